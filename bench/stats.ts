/** Median, p95 and extremes of repeated measurements. */
export interface Summary {
  median: number;
  p95: number;
  min: number;
  max: number;
  n: number;
}

/** The q-quantile (0..1) of ascending `sorted`, linearly interpolated between neighbours. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = Math.min(1, Math.max(0, q)) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Summarises samples. For figures where higher is better (a real-time factor) `p95` is the value
 * that 95 % of the samples reach, i.e. the 5th percentile: the slow tail either way.
 */
export function summarize(values: readonly number[], higherIsBetter = false): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, higherIsBetter ? 0.05 : 0.95),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    n: sorted.length,
  };
}
