/**
 * Capped exponential backoff with jitter, for every retry loop of the functions and the bridge: the delay before
 * retry `attempt` (0-based) is uniform in [minMs, min(maxMs, baseMs·2^attempt)), so many clients retrying together
 * do not come back in lockstep.
 */
export interface BackoffRange {
  /** The shortest delay; 0 is "full jitter". */
  minMs: number;
  maxMs: number;
  /** The first retry's ceiling; `minMs` when absent. */
  baseMs?: number;
}

export function backoffDelay(attempt: number, range: BackoffRange, random: () => number = Math.random): number {
  const ceiling = Math.min(range.maxMs, (range.baseMs ?? range.minMs) * 2 ** Math.min(attempt, 30));
  return Math.floor(range.minMs + random() * (ceiling - range.minMs));
}
