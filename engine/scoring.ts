/** Levenshtein distance between two strings (insertions, deletions, substitutions cost 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** 1 − edit distance / reference length, floored at 0: the digit-string accuracy of a stream. */
export function digitStringAccuracy(reference: string, hypothesis: string): number {
  if (reference.length === 0) return hypothesis.length === 0 ? 1 : 0;
  return Math.max(0, 1 - editDistance(reference, hypothesis) / reference.length);
}

export interface Span {
  start: number;
  end: number;
}

/**
 * Segment precision and recall: a detected span counts as found when it overlaps a reference
 * span (each reference matched at most once, in time order).
 */
export function segmentMatch(reference: Span[], detected: Span[]): { precision: number; recall: number; matched: number } {
  const used = new Array<boolean>(reference.length).fill(false);
  let matched = 0;
  for (const d of detected) {
    const i = reference.findIndex((r, k) => !used[k] && d.start < r.end && r.start < d.end);
    if (i >= 0) {
      used[i] = true;
      matched++;
    }
  }
  return {
    precision: detected.length ? matched / detected.length : reference.length ? 0 : 1,
    recall: reference.length ? matched / reference.length : 1,
    matched,
  };
}

/** Nearest-rank percentile (q in 0..1) of an ascending array; NaN when it is empty. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
