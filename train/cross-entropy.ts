/**
 * Cross-entropy of logits `z` against class `label` (−1: the uniform distribution, for
 * non-digits). Writes scale × ∂loss/∂z into `grad` and returns the loss.
 */
export function softmaxCrossEntropy(z: Float64Array, label: number, scale: number, grad: Float64Array): number {
  const k = z.length;
  let max = -Infinity;
  for (let c = 0; c < k; c++) if (z[c]! > max) max = z[c]!;
  let sum = 0;
  for (let c = 0; c < k; c++) sum += Math.exp(z[c]! - max);
  const logSum = max + Math.log(sum);
  let zMean = 0;
  for (let c = 0; c < k; c++) zMean += z[c]!;
  for (let c = 0; c < k; c++) {
    const target = label < 0 ? 1 / k : c === label ? 1 : 0;
    grad[c] = scale * (Math.exp(z[c]! - logSum) - target);
  }
  return logSum - (label < 0 ? zMean / k : z[label]!);
}
