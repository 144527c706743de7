/**
 * What one wake-up run costs, end to end with the real firebase-admin client, for the shipped topic delivery and,
 * measured in the same run as the baseline, for the per-token pipeline that shipped before it.
 *
 * FCM is faked only at the socket: a child process serves FCM's HTTP/1.1 (`messages:send`, instance-id batchAdd)
 * and h2c (per-token sends) endpoints on loopback with FCM's real response bodies and 20 ms of latency (see
 * test/support/fakeFcmServer.ts). Each measurement runs in its own child process so its CPU time (user + system,
 * `process.cpuUsage`) and peak RSS (sampled every 5 ms) are the client's alone; the server's work is not counted.
 * Firestore is counted at the store boundary: every store call is billed the document reads and writes the
 * Firestore store performs for it (a query bills at least one read, a transaction its reads and its writes).
 * The per-token registry is generated page by page (the tokens of a real registry would live in Firestore, not in
 * the function), so its memory is the pipeline's own.
 *
 * Usage: npm run build:test && npm run bench:wakeup-cost [-- installations]   (default 1,000,000)
 */
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { getMessaging } from "firebase-admin/messaging";
import { fcmMessenger } from "../../functions/src/notifications/fcmTransport";
import { InMemoryRunStore } from "../../functions/test/notifications/memoryStore";
import { DEFAULT_MIGRATION_OPTIONS, type MigrationCheckpoint, migrateToTopic } from "../../functions/src/notifications/migrateTopics";
import type { ClaimResult, InstallationToken, RunStore } from "../../functions/src/notifications/store";
import { DEFAULT_OPTIONS as TOPIC_OPTIONS, type PushDeps, runTopicPush } from "../../functions/src/notifications/topicPush";
import { FakeFcmServer, type FakeFcmCounts, connectRealClient } from "../../functions/test/support/fakeFcmServer";
import { fakeToken } from "../../functions/test/support/fakeFcm";
import { DEFAULT_OPTIONS as PER_TOKEN_OPTIONS, type FanoutDeps, runFanout } from "./perToken/fanout";
import type { FanoutEntry, InstallationStore as TokenPages, RunStore as PerTokenRunStore } from "./perToken/store";
import { InMemoryRunStore as PerTokenRunStoreImpl } from "./perToken/store";
import { fcmTransport } from "./perToken/transport";

const LATENCY_MS = 20;
/** 1% of tokens are dead, as in the per-token benchmark before: FCM answers them UNREGISTERED / NOT_FOUND. */
const DEAD_EVERY = 100;
const isDead = (token: string): boolean => indexOfToken(token) % DEAD_EVERY === 7;
/** Per-token sizes actually measured; 1M is extrapolated from them (their counts and costs are shown linear). */
const PER_TOKEN_SIZES = [50_000, 100_000, 200_000];

interface Billing {
  reads: number;
  writes: number;
}

interface Measurement extends Billing {
  mode: string;
  installations: number;
  cpuS: number;
  peakRssMiB: number;
  detail: string;
}

/** fakeToken(i) starts with `d` and i in base 36 over 7 characters; the registry below relies on it. */
function indexOfToken(token: string): number {
  return parseInt(token.slice(1, 8), 36);
}

/** Installation ids in id order, generated on demand: the migration's view of an n-installation registry. */
class GeneratedRegistry implements TokenPages {
  readonly billing: Billing = { reads: 0, writes: 0 };
  private readonly pruned = new Set<number>();

  constructor(private readonly n: number) {}

  private id(i: number): string {
    return `inst-${String(i).padStart(8, "0")}`;
  }

  private page(from: number, limit: number): number[] {
    const out: number[] = [];
    for (let i = from; i < this.n && out.length < limit; i++) if (!this.pruned.has(i)) out.push(i);
    // Firestore bills a query at least one read, even when it returns nothing.
    this.billing.reads += Math.max(1, out.length);
    return out;
  }

  pageById(afterId: string | null, limit: number): Promise<InstallationToken[]> {
    const from = afterId === null ? 0 : Number(afterId.slice(5)) + 1;
    return Promise.resolve(this.page(from, limit).map((i) => ({ installationId: this.id(i), fcmToken: fakeToken(i) })));
  }

  pageByToken(afterToken: string | null, limit: number): Promise<FanoutEntry[]> {
    const from = afterToken === null ? 0 : indexOfToken(afterToken) + 1;
    return Promise.resolve(this.page(from, limit).map((i) => ({ installationId: this.id(i), fcmToken: fakeToken(i) })));
  }

  /** getAll of the entries (one read each), then one delete per installation still holding its token. */
  prune(entries: readonly { installationId: string; fcmToken: string }[]): Promise<number> {
    this.billing.reads += entries.length;
    let removed = 0;
    for (const entry of entries) {
      const i = Number(entry.installationId.slice(5));
      if (this.pruned.has(i) || fakeToken(i) !== entry.fcmToken) continue;
      this.pruned.add(i);
      removed += 1;
    }
    this.billing.writes += removed;
    return Promise.resolve(removed);
  }
}

/** Every run-store call is one Firestore transaction: one document read, and one write when it changed the record. */
function billedTopicRuns(inner: RunStore, billing: Billing): RunStore {
  return {
    async claim(key, claim): Promise<ClaimResult> {
      const before = await inner.get(key);
      const result = await inner.claim(key, claim);
      billing.reads += 1;
      if (!isDeepStrictEqual(before, await inner.get(key))) billing.writes += 1;
      return result;
    },
    async settle(key, owner, settlement, nowMs) {
      const record = await inner.settle(key, owner, settlement, nowMs);
      billing.reads += 1;
      if (record) billing.writes += 1;
      return record;
    },
    get: (key) => {
      billing.reads += 1;
      return inner.get(key);
    },
  };
}

/** The per-token run store: begin, each window's claim, release and finish are each one read and one write. */
function billedPerTokenRuns(inner: PerTokenRunStore, billing: Billing): PerTokenRunStore {
  const bill = <T>(result: Promise<T>, wrote: (value: T) => boolean): Promise<T> =>
    result.then((value) => {
      billing.reads += 1;
      if (wrote(value)) billing.writes += 1;
      return value;
    });
  return {
    begin: (...args) => bill(inner.begin(...args), (r) => r.state === "claimed"),
    claim: (...args) => bill(inner.claim(...args), (ok) => ok),
    release: (...args) => bill(inner.release(...args), (ok) => ok),
    finish: (...args) => bill(inner.finish(...args), (r) => r !== undefined),
    get: (...args) => bill(inner.get(...args), () => false),
  };
}

function scheduledNow(): string {
  return new Date(Date.now() - (Date.now() % 60_000)).toISOString();
}

/** CPU seconds and peak RSS of `work` in this process. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; cpuS: number; peakRssMiB: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { value, cpuS: (used.user + used.system) / 1e6, peakRssMiB: peak / 2 ** 20 };
}

async function child(mode: string, n: number, ports: { http1Port: number; http2Port: number }): Promise<Measurement> {
  // The default app, so the production messenger (which uses the default app) is what runs.
  const client = await connectRealClient(ports, "[DEFAULT]");
  const billing: Billing = { reads: 0, writes: 0 };
  try {
    if (mode === "migration") {
      const registry = new GeneratedRegistry(n);
      const saved = new Map<string, MigrationCheckpoint>();
      const { value, cpuS, peakRssMiB } = await measured(() =>
        migrateToTopic(
          {
            installations: registry,
            topics: fcmMessenger,
            checkpoints: {
              load: (name) => {
                registry.billing.reads += 1;
                return Promise.resolve(saved.get(name));
              },
              save: (name, checkpoint) => {
                registry.billing.writes += 1;
                saved.set(name, { ...checkpoint });
                return Promise.resolve();
              },
            },
            now: Date.now,
            sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
            random: Math.random,
          },
          DEFAULT_MIGRATION_OPTIONS,
        ),
      );
      return { mode, installations: n, ...registry.billing, cpuS, peakRssMiB, detail: `subscribed=${value.subscribed} pruned=${value.pruned}` };
    }
    if (mode === "topic") {
      const deps: PushDeps = {
        runs: billedTopicRuns(new InMemoryRunStore(), billing),
        messenger: fcmMessenger,
        now: Date.now,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        random: Math.random,
        newOwner: () => "bench",
      };
      const { value, cpuS, peakRssMiB } = await measured(() => runTopicPush(deps, { kind: "saveLocation", scheduledTime: scheduledNow() }, TOPIC_OPTIONS.saveLocation));
      if (value.outcome !== "sent") throw new Error(`topic run ended ${value.outcome}`);
      return { mode, installations: n, ...billing, cpuS, peakRssMiB, detail: `outcome=${value.outcome}` };
    }
    const registry = new GeneratedRegistry(n);
    const deps: FanoutDeps = {
      installations: registry,
      runs: billedPerTokenRuns(new PerTokenRunStoreImpl(), billing),
      transport: fcmTransport(getMessaging(client.app)),
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      newOwner: () => "bench",
    };
    const options = { ...PER_TOKEN_OPTIONS.saveLocation, maxMessagesPerSecond: Infinity, staleAfterMs: Infinity, skipIfFixWithinMs: 0 };
    const { value, cpuS, peakRssMiB } = await measured(() => runFanout(deps, { kind: "saveLocation", scheduledTime: scheduledNow() }, options));
    return {
      mode,
      installations: n,
      reads: billing.reads + registry.billing.reads,
      writes: billing.writes + registry.billing.writes,
      cpuS,
      peakRssMiB,
      detail: `outcome=${value.outcome} sent=${value.counts.sent} pruned=${value.counts.pruned}`,
    };
  } finally {
    await client.restore();
  }
}

/** The fake FCM in its own process; it answers `stats` requests over IPC. */
async function serverMain(): Promise<void> {
  const server = new FakeFcmServer({ latencyMs: LATENCY_MS, isDead });
  const ports = await server.listen();
  process.on("message", (message: { cmd: string }) => {
    if (message.cmd === "stats") process.send?.({ stats: server.stats() });
    if (message.cmd === "stop") void server.close().then(() => process.exit(0));
  });
  process.send?.({ ports });
}

function ask<T>(proc: ChildProcess, cmd: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (!(key in message)) return;
      proc.off("message", onMessage);
      resolve(message[key] as T);
    };
    proc.on("message", onMessage);
    if (cmd) proc.send({ cmd });
  });
}

function runChild(mode: string, n: number, ports: unknown): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, ["child", mode, String(n), JSON.stringify(ports)], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
    let out = "";
    proc.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as Measurement) : reject(new Error(`${mode} ${n} exited ${code}`))));
  });
}

function line(label: string, n: number, m: Billing & { cpuS: number; peakRssMiB: number }, fcmRequests: number, note: string): string {
  return `${label} installations=${n} firestore_reads=${Math.round(m.reads)} firestore_writes=${Math.round(m.writes)} fcm_requests=${Math.round(fcmRequests)} cpu_s=${m.cpuS.toFixed(3)} peak_rss_mib=${m.peakRssMiB.toFixed(1)} ${note}`;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1_000_000);
  const server = fork(__filename, ["server"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ports = await ask<unknown>(server, "", "ports");
  const stats = () => ask<FakeFcmCounts>(server, "stats", "stats");
  const fcmDelta = async (work: () => Promise<Measurement>) => {
    const before = await stats();
    const m = await work();
    const after = await stats();
    return { m, fcm: after.http1Requests + after.http2Requests - before.http1Requests - before.http2Requests, subscribers: after.subscribers };
  };
  try {
    console.log(`wake-up cost: real firebase-admin over loopback sockets, fake FCM ${LATENCY_MS} ms per answer, 1% dead tokens`);
    const migration = await fcmDelta(() => runChild("migration", n, ports));
    console.log(line("wakeup_migration", n, migration.m, migration.fcm, `path=topic one_off=true measured=${n} subscribers=${migration.subscribers} ${migration.m.detail}`));
    const topic = await fcmDelta(() => runChild("topic", n, ports));
    console.log(line("wakeup_cost", n, topic.m, topic.fcm, `path=topic measured=${n} subscribers=${topic.subscribers} ${topic.m.detail}`));
    const perToken: { n: number; m: Measurement; fcm: number }[] = [];
    for (const size of PER_TOKEN_SIZES) {
      const run = await fcmDelta(() => runChild("per-token", size, ports));
      perToken.push({ n: size, m: run.m, fcm: run.fcm });
      console.log(line("wakeup_cost_measured", size, run.m, run.fcm, `path=per_token ${run.m.detail}`));
    }
    const first = perToken[0] as (typeof perToken)[number];
    const last = perToken[perToken.length - 1] as (typeof perToken)[number];
    const fit = (pick: (p: (typeof perToken)[number]) => number) => {
      const slope = (pick(last) - pick(first)) / (last.n - first.n);
      return { at: (x: number) => pick(first) + slope * (x - first.n), slope };
    };
    const metrics = {
      reads: fit((p) => p.m.reads),
      writes: fit((p) => p.m.writes),
      fcm: fit((p) => p.fcm),
      cpuS: fit((p) => p.m.cpuS),
      peakRssMiB: fit((p) => p.m.peakRssMiB),
    };
    for (const middle of perToken.slice(1, -1)) {
      const err = (predicted: number, actual: number) => `${(((predicted - actual) / actual) * 100).toFixed(1)}%`;
      console.log(
        `linearity check at ${middle.n} (line through ${first.n} and ${last.n}): reads ${err(metrics.reads.at(middle.n), middle.m.reads)}, writes ${err(metrics.writes.at(middle.n), middle.m.writes)}, fcm_requests ${err(metrics.fcm.at(middle.n), middle.fcm)}, cpu_s ${err(metrics.cpuS.at(middle.n), middle.m.cpuS)}, peak_rss_mib ${err(metrics.peakRssMiB.at(middle.n), middle.m.peakRssMiB)}`,
      );
    }
    console.log(
      `per-token slopes: ${metrics.reads.slope.toFixed(4)} reads, ${metrics.writes.slope.toFixed(4)} writes, ${metrics.fcm.slope.toFixed(4)} FCM requests, ${(metrics.cpuS.slope * 1e6).toFixed(1)} µs CPU, ${((metrics.peakRssMiB.slope * 2 ** 20) / 1024).toFixed(2)} KiB peak RSS per installation`,
    );
    const projected = { reads: metrics.reads.at(n), writes: metrics.writes.at(n), cpuS: metrics.cpuS.at(n), peakRssMiB: metrics.peakRssMiB.at(n) };
    console.log(line("wakeup_cost", n, projected, metrics.fcm.at(n), `path=per_token extrapolated_from=${PER_TOKEN_SIZES.join(",")}`));
    console.log(
      `ratio per_token/topic at ${n}: firestore_reads ${(projected.reads / topic.m.reads).toFixed(0)}x, fcm_requests ${(metrics.fcm.at(n) / topic.fcm).toFixed(0)}x, cpu_s ${(projected.cpuS / topic.m.cpuS).toFixed(0)}x`,
    );
  } finally {
    server.send({ cmd: "stop" });
  }
}

if (process.argv[2] === "server") {
  void serverMain();
} else if (process.argv[2] === "child") {
  const [, , , mode = "", n = "0", ports = "{}"] = process.argv;
  child(mode, Number(n), JSON.parse(ports) as { http1Port: number; http2Port: number }).then(
    (m) => {
      process.stdout.write(JSON.stringify(m));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
