import { createHash, timingSafeEqual } from "node:crypto";
import { type AddressInfo, type Server, type Socket, createServer } from "node:net";
import type { Client } from "aedes" with { "resolution-mode": "import" };
import { type BrokerUser, mayPublish, maySubscribe } from "./brokerAcl";
import { LOCAL_BROKER_USERS } from "./localBrokerUsers";

export interface EmbeddedBroker {
  port: number;
  close(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  /** Lets a test keep the broker's sessions and queues across a stop and restart, as durable storage would. */
  persistence?: unknown;
}

/** MQTT 3.1.1 CONNACK return codes (aedes passes `returnCode` of the error through). */
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function connectError(message: string, returnCode: number): Error & { returnCode: number } {
  return Object.assign(new Error(message), { returnCode });
}

/** Compares digests, so neither the length nor the content of a password leaks through timing. */
function samePassword(given: Buffer, expected: string): boolean {
  const digest = (b: Buffer) => createHash("sha256").update(b).digest();
  return timingSafeEqual(digest(given), digest(Buffer.from(expected, "utf8")));
}

/**
 * An aedes broker in this process, for local runs without RabbitMQ and for tests. It authenticates every client
 * against the local accounts (localBrokerUsers.ts) and authorises each publish and subscribe by `BROKER_ACL` (brokerAcl.ts), as RabbitMQ does with
 * the topic permissions generated from the same table: a refused publish closes the connection (aedes' behaviour,
 * MQTT 3.1.1 has no negative PUBACK), a refused subscription gets the failure return code 0x80.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { Aedes } = await import("aedes");
  const identities = new WeakMap<Client, BrokerUser>();
  const broker = await Aedes.createBroker({
    ...(options.persistence ? { persistence: options.persistence } : {}),
    authenticate(client, username, password, done) {
      if (!username || !password) return done(connectError("anonymous clients are not accepted", NOT_AUTHORIZED), false);
      const user = LOCAL_BROKER_USERS.find((u) => u.username === username);
      // A wrong user name costs the same comparison as a wrong password.
      const ok = samePassword(password, user?.password ?? "\u0000") && user !== undefined;
      if (!ok) return done(connectError("bad user name or password", BAD_USERNAME_OR_PASSWORD), false);
      identities.set(client, { username: user.username, role: user.role });
      done(null, true);
    },
    authorizePublish(client, packet, callback) {
      // client is null for a will left by a session from before a restart: nobody to vouch for it, so it is dropped.
      const user = client ? identities.get(client) : undefined;
      if (!user || !mayPublish(user, packet.topic)) return callback(new Error(`publish to ${packet.topic} not allowed`));
      callback(null);
    },
    authorizeSubscribe(client, subscription, callback) {
      const user = identities.get(client);
      callback(null, user && maySubscribe(user, subscription.topic) ? subscription : null);
    },
  });
  const server: Server = createServer((socket) => broker.handle(socket));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await closed;
    },
  };
}
