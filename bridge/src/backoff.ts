/**
 * Capped exponential backoff with full jitter: the delay before retry `attempt` (0-based) is uniform in
 * [min, min(max, min·2^attempt)], so many bridges restarting together do not reconnect in lockstep.
 */
export interface BackoffRange {
  minMs: number;
  maxMs: number;
}

export function backoffDelay(attempt: number, range: BackoffRange, random: () => number = Math.random): number {
  const ceiling = Math.min(range.maxMs, range.minMs * 2 ** Math.min(attempt, 30));
  return Math.round(range.minMs + random() * (ceiling - range.minMs));
}
