import type { Matrix } from "ml-matrix";

/** Column means and standard deviations of X (constant columns get scale 1). */
export function fitStandardizer(X: Matrix): { mean: Float64Array; scale: Float64Array } {
  const n = X.rows;
  const d = X.columns;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const row = X.getRow(i);
    for (let j = 0; j < d; j++) {
      mean[j] += row[j]!;
      sq[j] += row[j]! * row[j]!;
    }
  }
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    mean[j] /= n;
    const sd = Math.sqrt(Math.max(0, sq[j]! / n - mean[j]! * mean[j]!));
    scale[j] = sd > 1e-8 ? sd : 1;
  }
  return { mean, scale };
}

/** (X − mean) / scale, as a new matrix. */
export function applyStandardizer(X: Matrix, s: { mean: Float64Array; scale: Float64Array }): Matrix {
  const out = X.clone();
  for (let i = 0; i < out.rows; i++) {
    for (let j = 0; j < out.columns; j++) out.set(i, j, (out.get(i, j) - s.mean[j]!) / s.scale[j]!);
  }
  return out;
}
