import { Matrix } from "ml-matrix";
import { softmaxCrossEntropy } from "./cross-entropy.ts";
import { minimizeLbfgs } from "./lbfgs.ts";
import type { Dataset } from "./training-set.ts";

export interface SoftmaxOptions {
  /** Inverse L2 strength, as scikit-learn's C: the penalty is ‖W‖² / (2C), the data term Σ cross-entropy. */
  C: number;
  maxIterations: number;
  /** Weight of each non-digit row (class −1, trained towards the uniform distribution) relative to a digit row. */
  outlierWeight: number;
  onIteration?: (iteration: number, loss: number) => void;
}

export const DEFAULT_SOFTMAX: SoftmaxOptions = { C: 0.01, maxIterations: 300, outlierWeight: 1 };

export interface SoftmaxWeights {
  /** classes × features, row-major */
  weights: Float64Array;
  bias: Float64Array;
  iterations: number;
  /** Mean cross-entropy plus penalty / n at the optimum. */
  loss: number;
}

/**
 * Multinomial logistic regression with an L2 penalty on the weights (not the bias), fitted by
 * L-BFGS on the full batch, with the matrix products on ml-matrix. X must already be
 * standardised. Rows of class −1 are non-digits: their target is the uniform distribution
 * (outlier exposure), so such inputs come out with low confidence. Deterministic: it starts
 * from zero.
 */
export function trainSoftmax(data: Dataset, classes: number, options: Partial<SoftmaxOptions> = {}): SoftmaxWeights {
  const o = { ...DEFAULT_SOFTMAX, ...options };
  const { rows: n, cols: d, y } = data;
  const k = classes;
  const X = Matrix.from1DArray(n, d, data.X);
  const rowWeight = Float64Array.from(y, (label) => (label < 0 ? o.outlierWeight : 1));
  const totalWeight = rowWeight.reduce((a, b) => a + b, 0);
  const penalty = 1 / (o.C * totalWeight);
  const W = new Matrix(k, d);
  const G = new Matrix(n, k);
  const z = new Float64Array(k);
  const dz = new Float64Array(k);
  const objective = (params: Float64Array, grad: Float64Array): number => {
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) W.set(c, j, params[c * d + j]!);
    const Z = X.mmul(W.transpose());
    let loss = 0;
    grad.fill(0, k * d);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) z[c] = Z.get(i, c) + params[k * d + c]!;
      const scale = rowWeight[i]! / totalWeight;
      loss += rowWeight[i]! * softmaxCrossEntropy(z, y[i]!, scale, dz);
      for (let c = 0; c < k; c++) {
        G.set(i, c, dz[c]!);
        grad[k * d + c] += dz[c]!;
      }
    }
    const GW = G.transpose().mmul(X);
    let reg = 0;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        const w = params[c * d + j]!;
        reg += w * w;
        grad[c * d + j] = GW.get(c, j) + penalty * w;
      }
    }
    return loss / totalWeight + 0.5 * penalty * reg;
  };
  const result = minimizeLbfgs(objective, new Float64Array(k * d + k), {
    maxIterations: o.maxIterations,
    gradientTolerance: 1e-6,
    valueTolerance: 1e-10,
    onIteration: (it, v) => o.onIteration?.(it, v),
  });
  return { weights: result.x.slice(0, k * d), bias: result.x.slice(k * d), iterations: result.iterations, loss: result.value };
}
