/** Per-sample fold index so that all samples of a group (speaker) share a fold. */
export function groupFolds(groups: string[], folds: number, seed = 0): { fold: Int32Array; names: string[][] } {
  const counts = new Map<string, number>();
  for (const g of groups) counts.set(g, (counts.get(g) ?? 0) + 1);
  const unique = [...counts.keys()].sort();
  if (folds > unique.length) throw new Error(`${folds} folds need at least ${folds} groups, found ${unique.length}`);
  // Largest groups first, each to the fold holding fewest samples (scikit-learn's GroupKFold);
  // the seed rotates ties so different seeds give different, equally balanced assignments.
  const order = unique.map((g, i) => ({ g, n: counts.get(g)!, tie: (i * 7919 + seed * 104729) % unique.length })).sort((a, b) => b.n - a.n || a.tie - b.tie);
  const load = new Array<number>(folds).fill(0);
  const assign = new Map<string, number>();
  const names: string[][] = Array.from({ length: folds }, () => []);
  for (const { g, n } of order) {
    let best = 0;
    for (let f = 1; f < folds; f++) if (load[f]! < load[best]!) best = f;
    load[best] += n;
    assign.set(g, best);
    names[best]!.push(g);
  }
  return { fold: Int32Array.from(groups, (g) => assign.get(g)!), names };
}

/** One fold per group: leave-one-speaker-out. */
export function leaveOneGroupOut(groups: string[]): { fold: Int32Array; names: string[][] } {
  const unique = [...new Set(groups)].sort();
  return { fold: Int32Array.from(groups, (g) => unique.indexOf(g)), names: unique.map((g) => [g]) };
}

export function indicesWhere(fold: Int32Array, f: number, inFold: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < fold.length; i++) if ((fold[i] === f) === inFold) out.push(i);
  return out;
}
