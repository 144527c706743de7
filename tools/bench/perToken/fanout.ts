/**
 * The per-token fan-out that shipped before topic delivery, kept as the wake-up cost benchmark's baseline.
 * It pages through installations in token order, sends each window of tokens in chunks of at most 500
 * with bounded concurrency, retries what FCM asks to retry, prunes dead tokens, and checkpoints a cursor in the run
 * record BEFORE each window is sent. Claim-then-send makes delivery at-most-once per scheduled time: a retried or
 * concurrent invocation resumes after the last claimed token and can never send a claimed token again; a crash
 * between claim and send loses at most two windows of wake-ups (the next window is claimed while the previous one
 * is still in flight), which are best effort anyway.
 * No Firebase imports: every effect goes through the injected ports.
 */
import { Pool } from "../../../functions/src/core/pool";
import type { PushKind } from "../../../functions/src/notifications/messages";
import { type BackoffOptions, DEFAULT_BACKOFF, decide, retryDelayMs } from "../../../functions/src/notifications/policy";
import { isSendableToken } from "../../../functions/src/notifications/tokens";
import type { FanoutEntry, InstallationStore, RunCounts, RunKey, RunRecord, RunStore } from "./store";
import { type PushTransport, type SendOutcome, buildMulticast } from "./transport";

/** Hands the rest of a run to another invocation (Cloud Tasks in production). */
interface ContinuationPort {
  continueLater(key: RunKey, cursor: string | null): Promise<void>;
}

export interface FanoutDeps {
  installations: InstallationStore;
  runs: RunStore;
  transport: PushTransport;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); injected so jitter is reproducible in tests. */
  random: () => number;
  newOwner: () => string;
  continuation?: ContinuationPort;
}

export interface FanoutOptions {
  /** Tokens per sendEachForMulticast call; FCM's ceiling is 500. */
  chunkSize: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** Installations read from the store per query. */
  pageSize: number;
  /** Sends per token including the first; 429/5xx answers are retried until this is reached. */
  maxAttempts: number;
  backoff: BackoffOptions;
  /** How long a claimed lease protects a run from other invocations; renewed with every window. */
  leaseMs: number;
  /** Pacing under the project's FCM quota (600,000/min); Infinity disables pacing (benchmarks). */
  maxMessagesPerSecond: number;
  /** After this much wall time the run hands off to the continuation (when there is one). */
  timeBudgetMs: number;
  /** A run that has not finished this long after its scheduled time stops: the next wake-up supersedes it. */
  staleAfterMs: number;
  /** Skip installations whose user uploaded a fix this recently before the scheduled time; 0 wakes everyone. */
  skipIfFixWithinMs: number;
}

const FCM_MAX_TOKENS_PER_CALL = 500;
/** Dead tokens are pruned in batches of about this size rather than one store call per chunk. */
const PRUNE_BATCH = 500;

const BASE_OPTIONS: Omit<FanoutOptions, "staleAfterMs" | "skipIfFixWithinMs"> = {
  chunkSize: FCM_MAX_TOKENS_PER_CALL,
  concurrency: 16,
  pageSize: 8_000,
  maxAttempts: 5,
  backoff: DEFAULT_BACKOFF,
  leaseMs: 120_000,
  // 80% of the 600,000/min project quota leaves room for other senders and for retries.
  maxMessagesPerSecond: 8_000,
  timeBudgetMs: 7 * 60_000,
};

export const DEFAULT_OPTIONS: Record<PushKind, FanoutOptions> = {
  saveLocation: { ...BASE_OPTIONS, staleAfterMs: 25 * 60_000, skipIfFixWithinMs: 30 * 60_000 },
  pathDaily: { ...BASE_OPTIONS, staleAfterMs: 6 * 60 * 60_000, skipIfFixWithinMs: 0 },
};

type FanoutOutcome = "completed" | "expired" | "already_done" | "busy" | "handed_off" | "lost_lease";

export interface FanoutResult {
  outcome: FanoutOutcome;
  /** Counts for the whole run so far (this and earlier invocations). */
  counts: RunCounts;
  /** Failure codes seen by this invocation, for the log line. */
  failureCodes: Record<string, number>;
  record?: RunRecord;
}

export async function runFanout(deps: FanoutDeps, key: RunKey, options: FanoutOptions): Promise<FanoutResult> {
  if (options.chunkSize < 1 || options.chunkSize > FCM_MAX_TOKENS_PER_CALL) {
    throw new RangeError(`chunkSize must be 1..${FCM_MAX_TOKENS_PER_CALL}`);
  }
  const owner = deps.newOwner();
  const started = deps.now();
  const begun = await deps.runs.begin(key, owner, started, options.leaseMs);
  if (begun.state !== "claimed") {
    return {
      outcome: begun.state === "done" ? "already_done" : "busy",
      counts: countsOf(begun.record),
      failureCodes: {},
      record: begun.record,
    };
  }
  const run = new Run(deps, key, options, owner, begun.record);
  try {
    return await run.execute(started);
  } catch (err) {
    // Let calls already in flight settle, then give the lease back so a retry can resume at once.
    await run.settle();
    await deps.runs.release(key, owner, run.counts, false).catch(() => undefined);
    throw err;
  }
}

class Run {
  counts: RunCounts;
  readonly failureCodes: Record<string, number> = {};
  private cursor: string | null;
  private readonly scanner: Scanner;
  private readonly pacer: Pacer;
  private readonly pool: Pool;
  private dead: FanoutEntry[] = [];
  private readonly scheduledMs: number;

  constructor(
    private readonly deps: FanoutDeps,
    private readonly key: RunKey,
    private readonly options: FanoutOptions,
    private readonly owner: string,
    record: RunRecord,
  ) {
    this.counts = countsOf(record);
    this.cursor = record.cursor;
    this.scanner = new Scanner(deps.installations, record.cursor, options.pageSize);
    this.pacer = new Pacer(options.maxMessagesPerSecond, deps.now, deps.sleep);
    this.pool = new Pool(options.concurrency);
    this.scheduledMs = Date.parse(key.scheduledTime);
  }

  /**
   * Windows are claimed in order and their chunks fed to a pool of `concurrency` calls; the next window is read and
   * claimed while earlier chunks are still in flight, so no call waits for a window's slowest chunk.
   */
  async execute(started: number): Promise<FanoutResult> {
    const windowSize = this.options.chunkSize * this.options.concurrency;
    let window = await this.nextWindow(windowSize);
    for (;;) {
      const now = this.deps.now();
      if (now > this.scheduledMs + this.options.staleAfterMs) return this.finish("expired");
      if (this.deps.continuation && now - started >= this.options.timeBudgetMs) return this.handOff();
      if (window.lastToken === null) return this.finish("done");
      const counts: RunCounts = {
        ...this.counts,
        skippedRecent: this.counts.skippedRecent + window.skippedRecent,
        skippedInvalid: this.counts.skippedInvalid + window.skippedInvalid,
      };
      const leaseUntil = this.deps.now() + this.options.leaseMs;
      if (!(await this.deps.runs.claim(this.key, this.owner, this.cursor, window.lastToken, counts, leaseUntil))) {
        await this.settle();
        return { outcome: "lost_lease", counts: this.counts, failureCodes: this.failureCodes };
      }
      this.counts.skippedRecent = counts.skippedRecent;
      this.counts.skippedInvalid = counts.skippedInvalid;
      this.cursor = window.lastToken;
      for (let i = 0; i < window.entries.length; i += this.options.chunkSize) {
        const chunk = window.entries.slice(i, i + this.options.chunkSize);
        await this.pool.run(() => this.sendChunk(chunk));
      }
      // Reading ahead sends nothing, so it cannot break at-most-once.
      window = await this.nextWindow(windowSize);
    }
  }

  /** Waits for every call in flight and prunes what they found dead; rethrows the first failure. */
  private async drain(): Promise<void> {
    await this.pool.drain();
    await this.flushDead();
  }

  /** Like drain, for the failure path: never throws. */
  async settle(): Promise<void> {
    await this.pool.drain().catch(() => undefined);
    await this.flushDead().catch(() => undefined);
  }

  private async flushDead(): Promise<void> {
    if (this.dead.length === 0) return;
    const dead = this.dead;
    this.dead = [];
    this.counts.pruned += await this.deps.installations.prune(dead);
  }

  /**
   * Up to `size` sendable entries, the last token looked at (skipped ones included) for the cursor, and what was
   * skipped; the skips count only once the window is claimed.
   */
  private async nextWindow(size: number): Promise<Window> {
    const window: Window = { entries: [], lastToken: null, skippedRecent: 0, skippedInvalid: 0 };
    const recentSince = this.scheduledMs - this.options.skipIfFixWithinMs;
    while (window.entries.length < size) {
      const batch = await this.scanner.take(size - window.entries.length);
      if (batch.length === 0) break;
      for (const entry of batch) {
        window.lastToken = entry.fcmToken;
        if (!isSendableToken(entry.fcmToken)) {
          window.skippedInvalid += 1;
        } else if (this.options.skipIfFixWithinMs > 0 && entry.lastFixAt !== undefined && entry.lastFixAt > recentSince) {
          window.skippedRecent += 1;
        } else {
          window.entries.push(entry);
        }
      }
    }
    return window;
  }

  private async sendChunk(entries: FanoutEntry[]): Promise<void> {
    const result: ChunkResult = { attempted: entries.length, sent: 0, failed: 0, dead: [] };
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      await this.pacer.acquire(pending.length);
      const outcomes = await this.send(pending);
      const retry: FanoutEntry[] = [];
      let retryAfterMs: number | undefined;
      for (let i = 0; i < pending.length; i++) {
        const outcome = outcomes[i] as SendOutcome;
        const entry = pending[i] as FanoutEntry;
        if (outcome.ok) {
          result.sent += 1;
          continue;
        }
        const decision = decide(outcome);
        if (decision === "prune") {
          result.dead.push(entry);
        } else if (decision === "retry") {
          retry.push(entry);
          if (outcome.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, outcome.retryAfterMs);
        } else {
          result.failed += 1;
        }
        if (decision !== "retry" || attempt >= this.options.maxAttempts) {
          this.failureCodes[outcome.code] = (this.failureCodes[outcome.code] ?? 0) + 1;
        }
      }
      if (retry.length === 0) break;
      if (attempt >= this.options.maxAttempts) {
        result.failed += retry.length;
        break;
      }
      await this.deps.sleep(retryDelayMs(attempt, this.deps.random(), retryAfterMs, this.options.backoff));
      pending = retry;
    }
    this.counts.attempted += result.attempted;
    this.counts.sent += result.sent;
    this.counts.failed += result.failed;
    for (const entry of result.dead) this.dead.push(entry);
    if (this.dead.length >= PRUNE_BATCH) await this.flushDead();
  }

  /** One call; a rejected call counts as the same failure for every token in it. */
  private async send(entries: FanoutEntry[]): Promise<SendOutcome[]> {
    const message = buildMulticast(this.key.kind, entries.map((e) => e.fcmToken), this.deps.now());
    try {
      const outcomes = await this.deps.transport.sendEachForMulticast(message);
      if (outcomes.length === entries.length) return outcomes;
      const mismatch: SendOutcome = {
        ok: false,
        code: "fanout/response-length-mismatch",
        message: `${outcomes.length} responses for ${entries.length} tokens`,
      };
      return entries.map(() => mismatch);
    } catch (err) {
      const failure = failureOf(err);
      return entries.map(() => failure);
    }
  }

  private async finish(status: "done" | "expired"): Promise<FanoutResult> {
    await this.drain();
    const record = await this.deps.runs.finish(this.key, this.owner, this.counts, status, this.deps.now());
    if (!record) return { outcome: "lost_lease", counts: this.counts, failureCodes: this.failureCodes };
    return { outcome: status === "done" ? "completed" : "expired", counts: this.counts, failureCodes: this.failureCodes, record };
  }

  private async handOff(): Promise<FanoutResult> {
    const continuation = this.deps.continuation as ContinuationPort;
    await this.drain();
    if (!(await this.deps.runs.release(this.key, this.owner, this.counts, true))) {
      return { outcome: "lost_lease", counts: this.counts, failureCodes: this.failureCodes };
    }
    await continuation.continueLater(this.key, this.cursor);
    return { outcome: "handed_off", counts: this.counts, failureCodes: this.failureCodes };
  }
}

interface Window {
  entries: FanoutEntry[];
  lastToken: string | null;
  skippedRecent: number;
  skippedInvalid: number;
}

interface ChunkResult {
  attempted: number;
  sent: number;
  failed: number;
  dead: FanoutEntry[];
}

/** Reads the store one page at a time; holds at most one page. */
class Scanner {
  private buffer: FanoutEntry[] = [];
  private position = 0;
  private exhausted = false;

  constructor(
    private readonly store: InstallationStore,
    private after: string | null,
    private readonly pageSize: number,
  ) {}

  /** Up to `max` entries in token order; empty once the store has no more. */
  async take(max: number): Promise<FanoutEntry[]> {
    if (this.position >= this.buffer.length) {
      if (this.exhausted) return [];
      this.buffer = await this.store.pageByToken(this.after, this.pageSize);
      this.position = 0;
      if (this.buffer.length < this.pageSize) this.exhausted = true;
      const last = this.buffer[this.buffer.length - 1];
      if (!last) return [];
      this.after = last.fcmToken;
    }
    const batch = this.buffer.slice(this.position, this.position + max);
    this.position += batch.length;
    return batch;
  }
}

/** Spaces calls so the long-run rate stays under `perSecond` messages. */
class Pacer {
  private nextFreeAt = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async acquire(messages: number): Promise<void> {
    if (!Number.isFinite(this.perSecond)) return;
    const now = this.now();
    const start = Math.max(now, this.nextFreeAt);
    this.nextFreeAt = start + (messages * 1000) / this.perSecond;
    if (start > now) await this.sleep(start - now);
  }
}

function failureOf(err: unknown): SendOutcome {
  const fields = (typeof err === "object" && err !== null ? err : {}) as Record<string, unknown>;
  const code = typeof fields.code === "string" ? fields.code : "transport/unknown";
  const message = err instanceof Error ? err.message : String(err);
  return {
    ok: false,
    code,
    message,
    ...(typeof fields.status === "number" ? { status: fields.status } : {}),
    ...(typeof fields.retryAfterMs === "number" ? { retryAfterMs: fields.retryAfterMs } : {}),
  };
}

function countsOf(record: RunCounts): RunCounts {
  return {
    attempted: record.attempted,
    sent: record.sent,
    pruned: record.pruned,
    failed: record.failed,
    skippedRecent: record.skippedRecent,
    skippedInvalid: record.skippedInvalid,
  };
}
