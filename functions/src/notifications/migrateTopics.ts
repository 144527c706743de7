/**
 * One-off migration to topic delivery: subscribes the token of every installation registered before the registry
 * subscribed at registration. Resumable (a checkpoint after every page, so a rerun continues where the last one
 * stopped), idempotent (subscribing is; a finished migration is not rerun unless restarted) and prunes the
 * installations whose tokens FCM calls dead. A dry run reads and counts but subscribes, prunes and saves nothing.
 * No Firebase imports: every effect goes through the injected ports.
 */
import { type BackoffOptions, DEFAULT_BACKOFF, decide, retryDelayMs } from "./policy";
import type { InstallationStore, InstallationToken } from "./store";
import { isSendableToken } from "./tokens";
import { FCM_MAX_TOKENS_PER_SUBSCRIPTION_CALL, type TopicSubscriptions, WAKEUP_TOPIC, failureOf } from "./topics";

export interface MigrationCheckpoint {
  /** Last installation id handled; the next page starts after it. */
  cursor: string | null;
  done: boolean;
  scanned: number;
  /** Tokens FCM confirmed subscribed (in a dry run: that would be subscribed). */
  subscribed: number;
  pruned: number;
  /** Stored tokens that are no FCM token (legacy placeholders): left alone, never subscribed. */
  skippedInvalid: number;
  /** Tokens FCM kept refusing for another reason; a restarted run tries them again. */
  failed: number;
  updatedAt: number;
}

export interface MigrationCheckpoints {
  load(name: string): Promise<MigrationCheckpoint | undefined>;
  save(name: string, checkpoint: MigrationCheckpoint): Promise<void>;
}

export interface MigrationDeps {
  installations: Pick<InstallationStore, "pageById" | "prune">;
  topics: TopicSubscriptions;
  checkpoints: MigrationCheckpoints;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export interface MigrationOptions {
  name: string;
  topic: string;
  dryRun: boolean;
  /** Start from the first installation again, even after a finished run. */
  restart: boolean;
  /** Installations per page, and so tokens per subscribe call (FCM's ceiling is 1,000). */
  pageSize: number;
  /** Pages this invocation handles at most (Infinity: until done). */
  maxPages: number;
  maxAttempts: number;
  backoff: BackoffOptions;
  onPage?: (checkpoint: MigrationCheckpoint) => void;
}

export const DEFAULT_MIGRATION_OPTIONS: MigrationOptions = {
  name: "subscribe-wakeup-topic",
  topic: WAKEUP_TOPIC,
  dryRun: false,
  restart: false,
  pageSize: FCM_MAX_TOKENS_PER_SUBSCRIPTION_CALL,
  maxPages: Infinity,
  maxAttempts: 5,
  backoff: DEFAULT_BACKOFF,
};

export interface MigrationResult extends MigrationCheckpoint {
  dryRun: boolean;
  /** Where this invocation started (null: from the beginning). */
  resumedFrom: string | null;
  /** True when the checkpoint said the migration was already finished and nothing was done. */
  alreadyDone: boolean;
}

export async function migrateToTopic(deps: MigrationDeps, options: MigrationOptions): Promise<MigrationResult> {
  if (options.pageSize < 1 || options.pageSize > FCM_MAX_TOKENS_PER_SUBSCRIPTION_CALL) {
    throw new RangeError(`pageSize must be 1..${FCM_MAX_TOKENS_PER_SUBSCRIPTION_CALL}`);
  }
  const saved = options.restart ? undefined : await deps.checkpoints.load(options.name);
  if (saved?.done) return { ...saved, dryRun: options.dryRun, resumedFrom: saved.cursor, alreadyDone: true };
  const state: MigrationCheckpoint = saved ?? { cursor: null, done: false, scanned: 0, subscribed: 0, pruned: 0, skippedInvalid: 0, failed: 0, updatedAt: deps.now() };
  const resumedFrom = state.cursor;
  for (let pages = 0; pages < options.maxPages; pages++) {
    const page = await deps.installations.pageById(state.cursor, options.pageSize);
    const last = page[page.length - 1];
    if (!last) {
      state.done = true;
      break;
    }
    const sendable = page.filter((entry) => isSendableToken(entry.fcmToken));
    state.skippedInvalid += page.length - sendable.length;
    if (options.dryRun) {
      state.subscribed += new Set(sendable.map((entry) => entry.fcmToken)).size;
    } else if (sendable.length > 0) {
      const result = await subscribePage(deps, options, sendable);
      state.subscribed += result.subscribed;
      state.failed += result.failed;
      state.pruned += await deps.installations.prune(result.dead);
    }
    state.scanned += page.length;
    state.cursor = last.installationId;
    state.updatedAt = deps.now();
    if (!options.dryRun) await deps.checkpoints.save(options.name, state);
    options.onPage?.({ ...state });
  }
  if (state.done && !options.dryRun) await deps.checkpoints.save(options.name, { ...state, updatedAt: deps.now() });
  return { ...state, dryRun: options.dryRun, resumedFrom, alreadyDone: false };
}

interface PageResult {
  subscribed: number;
  failed: number;
  dead: InstallationToken[];
}

/**
 * One subscribe call per page of distinct tokens, retrying the tokens FCM asks to retry. A whole call that keeps
 * failing rejects, leaving the checkpoint before this page, so a rerun starts here again.
 */
async function subscribePage(deps: MigrationDeps, options: MigrationOptions, entries: readonly InstallationToken[]): Promise<PageResult> {
  const holders = new Map<string, InstallationToken[]>();
  for (const entry of entries) holders.set(entry.fcmToken, [...(holders.get(entry.fcmToken) ?? []), entry]);
  const result: PageResult = { subscribed: 0, failed: 0, dead: [] };
  let pending = [...holders.keys()];
  for (let attempt = 1; pending.length > 0; attempt++) {
    let answers;
    try {
      answers = await deps.topics.subscribe(pending, options.topic);
    } catch (err) {
      if (decide(failureOf(err)) !== "retry" || attempt >= options.maxAttempts) throw err;
      await deps.sleep(retryDelayMs(attempt, deps.random(), undefined, options.backoff));
      continue;
    }
    const retry: string[] = [];
    pending.forEach((token, i) => {
      const answer = answers[i] ?? { ok: false, code: "messaging/unknown-error", message: "no answer for the token" };
      if (answer.ok) result.subscribed += 1;
      else if (decide(answer) === "prune") result.dead.push(...(holders.get(token) ?? []));
      else if (decide(answer) === "retry" && attempt < options.maxAttempts) retry.push(token);
      else result.failed += 1;
    });
    if (retry.length > 0) await deps.sleep(retryDelayMs(attempt, deps.random(), undefined, options.backoff));
    pending = retry;
  }
  return result;
}
