import type { Dataset } from "./training-set.ts";

export interface Standardizer {
  mean: Float64Array;
  scale: Float64Array;
}

/** Column means and standard deviations of the rows of class ≥ 0 (constant columns get scale 1). */
export function fitStandardizer(data: Dataset): Standardizer {
  const { X, rows, cols: d, y } = data;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  let n = 0;
  for (let i = 0; i < rows; i++) {
    if (y[i]! < 0) continue;
    n++;
    for (let j = 0; j < d; j++) {
      const v = X[i * d + j]!;
      mean[j] += v;
      sq[j] += v * v;
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

/** (X − mean) / scale, as a new dataset. */
export function applyStandardizer(data: Dataset, s: Standardizer): Dataset {
  const d = data.cols;
  const X = new Float64Array(data.X.length);
  for (let i = 0; i < data.rows; i++) {
    for (let j = 0; j < d; j++) X[i * d + j] = (data.X[i * d + j]! - s.mean[j]!) / s.scale[j]!;
  }
  return { ...data, X };
}
