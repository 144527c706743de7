/**
 * Fan-out throughput and memory against a fake FCM transport (20 ms per call, 1% dead tokens) at 50k and 200k
 * installations in the in-memory store, next to a naive baseline in the same run (load every token, then one
 * sendEachForMulticast of 500 after another, as the original server did).
 *
 * Each measurement runs in its own child process (`--expose-gc`): fill the store (and its token index), run a
 * last-resort collection (which also unmaps free pages), take RSS, then sample RSS every 2 ms during the run. Fan-out memory = peak RSS during the run minus RSS
 * once the store was filled. The pipeline runs unpaced (`maxMessagesPerSecond: Infinity`): this measures what the
 * pipeline can do; production paces itself at 8,000 messages/s under the FCM project quota.
 * Usage: npm run bench:fanout
 */
import { execFileSync } from "node:child_process";
import { DEFAULT_OPTIONS, type FanoutDeps, runFanout } from "../../functions/src/notifications/fanout";
import { buildMulticast } from "../../functions/src/notifications/messages";
import { InMemoryInstallationStore, InMemoryRunStore } from "../../functions/test/notifications/memoryStore";
import { FakePushTransport, fakeToken } from "../../functions/test/support/fakePushTransport";
import { median } from "./stats";

const SIZES = [50_000, 200_000];
const LATENCY_MS = 20;
const DEAD_EVERY = 100;
const REPEATS = 5;

type Mode = "pipeline" | "naive";

interface Measurement {
  mode: Mode;
  installations: number;
  seconds: number;
  tokensPerSecond: number;
  memoryMiB: number;
  sent: number;
  pruned: number;
  calls: number;
}

const gc = (globalThis as { gc?: (options?: { type: string; execution: string; flavor: string }) => void }).gc;

async function child(mode: Mode, n: number): Promise<Measurement> {
  if (!gc) throw new Error("run with node --expose-gc");
  const store = new InMemoryInstallationStore();
  const dead = new Set<string>();
  for (let i = 0; i < n; i++) {
    // Spread tokens over the key space as real ones are, rather than inserting them pre-sorted.
    const j = (i * 7919) % n;
    const token = fakeToken(j);
    if (j % DEAD_EVERY === 7) dead.add(token);
    await store.register(`user${j % 50_000}`, { installationId: `inst-${j}`, fcmToken: token, platform: j % 3 ? "android" : "ios" }, 0);
  }
  await store.pageByToken(null, 1);
  const transport = new FakePushTransport({
    latencyMs: LATENCY_MS,
    record: false,
    answer: (token) => (dead.has(token) ? "not-registered" : "success"),
  });
  // A last-resort collection also returns free pages to the OS, so the fill's garbage does not hide the run's own use.
  gc({ type: "major", execution: "sync", flavor: "last-resort" });
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 2);
  const started = process.hrtime.bigint();
  let sent = 0;
  let pruned = 0;
  if (mode === "pipeline") {
    const deps: FanoutDeps = {
      installations: store,
      runs: new InMemoryRunStore(),
      transport,
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      newOwner: () => "bench",
    };
    const result = await runFanout(
      deps,
      { kind: "saveLocation", scheduledTime: new Date(Date.now() - (Date.now() % 60_000)).toISOString() },
      { ...DEFAULT_OPTIONS.saveLocation, maxMessagesPerSecond: Infinity, staleAfterMs: Infinity, skipIfFixWithinMs: 0 },
    );
    sent = result.counts.sent;
    pruned = result.counts.pruned;
  } else {
    const tokens = (await store.pageByToken(null, Number.MAX_SAFE_INTEGER)).map((entry) => entry.fcmToken);
    for (let i = 0; i < tokens.length; i += 500) {
      const outcomes = await transport.sendEachForMulticast(buildMulticast("saveLocation", tokens.slice(i, i + 500), Date.now()));
      sent += outcomes.filter((o) => o.ok).length;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return {
    mode,
    installations: n,
    seconds,
    tokensPerSecond: n / seconds,
    memoryMiB: (peak - baseline) / 2 ** 20,
    sent,
    pruned,
    calls: transport.calls,
  };
}

/**
 * V8 grows the young generation while a process runs, so with default flags the peak RSS of a short run (50k) and
 * a long one (200k) differ by how far that growth got, not by what the fan-out keeps. Pinning the semi-space (4 MiB,
 * small enough that both sizes reach steady state) compares steady-state footprints; default-flag figures are
 * printed too.
 */
const PINNED = ["--min-semi-space-size=4", "--max-semi-space-size=4"];

interface Config {
  mode: Mode;
  flags: string[];
  label: string;
}

const CONFIGS: Config[] = [
  { mode: "pipeline", flags: PINNED, label: "pipeline" },
  { mode: "naive", flags: PINNED, label: "naive" },
  { mode: "pipeline", flags: [], label: "pipeline (default V8 flags)" },
  { mode: "naive", flags: [], label: "naive (default V8 flags)" },
];

function measure(config: Config, n: number): Measurement {
  const runs: Measurement[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const out = execFileSync(process.execPath, ["--expose-gc", ...config.flags, __filename, "child", config.mode, String(n)], {
      encoding: "utf8",
    });
    runs.push(JSON.parse(out) as Measurement);
  }
  const first = runs[0] as Measurement;
  return {
    ...first,
    seconds: median(runs.map((m) => m.seconds)),
    tokensPerSecond: median(runs.map((m) => m.tokensPerSecond)),
    memoryMiB: median(runs.map((m) => m.memoryMiB)),
  };
}

function main(): void {
  console.log(`fan-out benchmark: fake transport ${LATENCY_MS} ms/call, 1% dead tokens, median of ${REPEATS} child processes each`);
  const opts = DEFAULT_OPTIONS.saveLocation;
  console.log(`pipeline: chunk ${opts.chunkSize}, concurrency ${opts.concurrency}, page ${opts.pageSize}, unpaced; semi-space pinned at 4 MiB unless noted`);
  console.log("mode                         installations  seconds   tokens/s  fan-out MiB     sent  pruned  calls");
  const results = new Map<string, Measurement>();
  for (const config of CONFIGS) {
    for (const n of SIZES) {
      const m = measure(config, n);
      results.set(`${config.label}@${n}`, m);
      console.log(
        `${config.label.padEnd(28)} ${String(n).padStart(13)}  ${m.seconds.toFixed(2).padStart(7)}  ${Math.round(m.tokensPerSecond).toString().padStart(9)}  ${m.memoryMiB.toFixed(2).padStart(11)}  ${String(m.sent).padStart(7)}  ${String(m.pruned).padStart(6)}  ${String(m.calls).padStart(5)}`,
      );
    }
  }
  const get = (label: string, n: number) => results.get(`${label}@${n}`) as Measurement;
  const [small, large] = SIZES as [number, number];
  for (const n of SIZES) {
    const ratio = get("pipeline", n).tokensPerSecond / get("naive", n).tokensPerSecond;
    console.log(`throughput ratio pipeline/naive at ${n}: ${ratio.toFixed(1)}x`);
  }
  const growth = (label: string) => get(label, large).memoryMiB / get(label, small).memoryMiB - 1;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`fan-out memory growth ${small}->${large}: pipeline ${pct(growth("pipeline"))}, naive ${pct(growth("naive"))}`);
  console.log(
    `  with default V8 flags: pipeline ${pct(growth("pipeline (default V8 flags)"))}, naive ${pct(growth("naive (default V8 flags)"))}`,
  );
  const minThroughput = Math.min(get("pipeline", small).tokensPerSecond, get("pipeline", large).tokensPerSecond);
  console.log(`target >= 100000 tokens/s: ${minThroughput >= 100_000 ? "met" : "MISSED"} (${Math.round(minThroughput)})`);
  console.log(`target memory growth <= 20%: ${growth("pipeline") <= 0.2 ? "met" : "MISSED"} (${pct(growth("pipeline"))})`);
}

if (process.argv[2] === "child") {
  child(process.argv[3] as Mode, Number(process.argv[4])).then(
    (m) => process.stdout.write(JSON.stringify(m)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main();
}
