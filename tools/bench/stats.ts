/** The figures benchmarks report about a series of samples. */

/** The value at percentile `p` (0–100) of ascending `sorted`, nearest rank; NaN for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export interface Throughput {
  messages: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Rate and latency percentiles of `latenciesMs.length` messages that took `elapsedMs` in all. */
export function throughput(latenciesMs: readonly number[], elapsedMs: number): Throughput {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { messages: sorted.length, perSecond: (sorted.length / elapsedMs) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}
