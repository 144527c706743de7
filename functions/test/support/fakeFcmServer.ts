/**
 * FCM's network side on loopback, for the real firebase-admin client: an HTTP/1.1 server for the v1 `messages:send`
 * endpoint and the instance-id topic API (`iid/v1:batchAdd` / `batchRemove`), and an h2c server for the HTTP/2
 * per-token sends of `sendEachForMulticast`. Answers use FCM's real response bodies. Only the socket is faked:
 * `connectRealClient` points an app's https agent and `http2.connect` at these servers, so every byte the client
 * builds, serialises and parses is the client's own work.
 */
import http from "node:http";
import http2 from "node:http2";
import https from "node:https";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import type { App } from "firebase-admin/app";

export interface FakeFcmOptions {
  /** Added to every answer. */
  latencyMs?: number;
  /** Tokens FCM no longer knows: sends answer UNREGISTERED, subscriptions NOT_FOUND. */
  isDead?: (token: string) => boolean;
  /** Keep every request body (tests); the benchmark turns it off. */
  record?: boolean;
  /** Overrides the answer to the n-th (0-based) topic send: an HTTP status and FCM error status. */
  failTopicSend?: (index: number) => { status: number; errorStatus: string } | undefined;
}

export interface FcmRequest {
  path: string;
  body: unknown;
}

export interface FakeFcmCounts {
  http1Requests: number;
  http2Requests: number;
  topicSends: number;
  tokenSends: number;
  subscribeCalls: number;
  unsubscribeCalls: number;
  subscribers: number;
}

const UNREGISTERED = JSON.stringify({
  error: {
    code: 404,
    message: "Requested entity was not found.",
    status: "NOT_FOUND",
    details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode: "UNREGISTERED" }],
  },
});

export class FakeFcmServer {
  readonly requests: FcmRequest[] = [];
  readonly topics = new Map<string, Set<string>>();
  private readonly counts = { http1Requests: 0, http2Requests: 0, topicSends: 0, tokenSends: 0, subscribeCalls: 0, unsubscribeCalls: 0 };
  private messageIds = 0;
  private readonly h1: http.Server;
  private readonly h2: http2.Http2Server;

  constructor(private readonly options: FakeFcmOptions = {}) {
    this.h1 = http.createServer((req, res) => {
      this.counts.http1Requests += 1;
      void readBody(req).then((raw) => this.answer(req.url ?? "", raw)).then(([status, body]) => {
        res.writeHead(status, { "content-type": "application/json; charset=UTF-8" }).end(body);
      });
    });
    this.h2 = http2.createServer();
    this.h2.on("stream", (stream, headers) => {
      this.counts.http2Requests += 1;
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        void this.answer(String(headers[":path"]), Buffer.concat(chunks).toString("utf8")).then(([status, body]) => {
          if (stream.destroyed) return;
          stream.respond({ ":status": status, "content-type": "application/json; charset=UTF-8" });
          stream.end(body);
        });
      });
    });
  }

  async listen(): Promise<{ http1Port: number; http2Port: number }> {
    await new Promise<void>((resolve) => this.h1.listen(0, "127.0.0.1", resolve));
    await new Promise<void>((resolve) => this.h2.listen(0, "127.0.0.1", resolve));
    return { http1Port: (this.h1.address() as AddressInfo).port, http2Port: (this.h2.address() as AddressInfo).port };
  }

  async close(): Promise<void> {
    this.h1.closeAllConnections();
    await new Promise<void>((resolve) => this.h1.close(() => resolve()));
    await new Promise<void>((resolve) => this.h2.close(() => resolve()));
  }

  stats(): FakeFcmCounts {
    let subscribers = 0;
    for (const tokens of this.topics.values()) subscribers += tokens.size;
    return { ...this.counts, subscribers };
  }

  /** The topic messages sent so far (recording on), as the client put them on the wire. */
  topicMessages(): Record<string, unknown>[] {
    return this.requests.flatMap((r) => {
      const message = (r.body as { message?: Record<string, unknown> }).message;
      return r.path.endsWith("/messages:send") && message && "topic" in message ? [message] : [];
    });
  }

  private async answer(path: string, raw: string): Promise<[number, string]> {
    const body: unknown = JSON.parse(raw || "{}");
    if (this.options.record) this.requests.push({ path, body });
    if (this.options.latencyMs) await delay(this.options.latencyMs);
    if (path.endsWith("/messages:send")) return this.send(body as { message: { topic?: string; token?: string } });
    if (path === "/iid/v1:batchAdd" || path === "/iid/v1:batchRemove") {
      return this.manage(path === "/iid/v1:batchAdd", body as { to: string; registration_tokens: string[] });
    }
    return [404, JSON.stringify({ error: { code: 404, message: `no such endpoint ${path}`, status: "NOT_FOUND" } })];
  }

  private send(body: { message: { topic?: string; token?: string } }): [number, string] {
    const { topic, token } = body.message;
    if (topic !== undefined) {
      const failure = this.options.failTopicSend?.(this.counts.topicSends);
      this.counts.topicSends += 1;
      if (failure) return [failure.status, JSON.stringify({ error: { code: failure.status, message: "refused", status: failure.errorStatus } })];
    } else {
      this.counts.tokenSends += 1;
      if (token !== undefined && this.options.isDead?.(token)) return [404, UNREGISTERED];
    }
    return [200, JSON.stringify({ name: `projects/demo-wolley/messages/${++this.messageIds}` })];
  }

  private manage(add: boolean, body: { to: string; registration_tokens: string[] }): [number, string] {
    if (add) this.counts.subscribeCalls += 1;
    else this.counts.unsubscribeCalls += 1;
    const topic = body.to.replace(/^\/topics\//, "");
    const members = this.topics.get(topic) ?? new Set<string>();
    this.topics.set(topic, members);
    const results = body.registration_tokens.map((token) => {
      if (this.options.isDead?.(token)) return { error: "NOT_FOUND" };
      if (add) members.add(token);
      else members.delete(token);
      return {};
    });
    return [200, JSON.stringify({ results })];
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** An https agent whose sockets are plain loopback TCP: the client speaks HTTP/1.1 to the fake as it would to FCM. */
class LoopbackAgent extends https.Agent {
  constructor(private readonly port: number) {
    super({ keepAlive: true, maxSockets: 16 });
  }

  override createConnection(): net.Socket {
    return net.connect({ host: "127.0.0.1", port: this.port });
  }
}

/** A credential that never leaves the process: the client attaches its token as it would a real one. */
const fakeCredential = {
  getAccessToken: () => Promise.resolve({ access_token: "fake-access-token", expires_in: 3600 }),
};

/**
 * A firebase-admin app named `name` whose FCM traffic goes to the fake: `httpAgent` carries the HTTP/1 calls and
 * `http2.connect` is redirected to the h2c server while the returned restore function has not been called.
 */
export async function connectRealClient(ports: { http1Port: number; http2Port: number }, name: string): Promise<{ app: App; restore: () => Promise<void> }> {
  const { initializeApp, deleteApp } = await import("firebase-admin/app");
  const agent = new LoopbackAgent(ports.http1Port);
  const app = initializeApp({ projectId: "demo-wolley", credential: fakeCredential, httpAgent: agent }, name);
  const original = http2.connect;
  const redirected = ((_authority: unknown, options?: http2.ClientSessionOptions) => {
    const session = original(`http://127.0.0.1:${ports.http2Port}`, options ?? {});
    // firebase-admin 13 sends `:scheme: "https:"` (the URL protocol, colon included). Google's front end accepts it;
    // Node's HTTP/2 server refuses the stream, so the pseudo-header alone is corrected on the way out.
    const request = session.request.bind(session);
    session.request = (headers, requestOptions) => request({ ...headers, ":scheme": "https" }, requestOptions);
    return session;
  }) as typeof http2.connect;
  (http2 as { connect: typeof http2.connect }).connect = redirected;
  return {
    app,
    restore: async () => {
      (http2 as { connect: typeof http2.connect }).connect = original;
      agent.destroy();
      await deleteApp(app);
    },
  };
}
