import { Matrix } from "ml-matrix";
import { minimizeLbfgs } from "./lbfgs.ts";

export interface SoftmaxOptions {
  /** Inverse L2 strength, as scikit-learn's C: the penalty is ‖W‖² / (2C), the data term Σ cross-entropy. */
  C: number;
  maxIterations: number;
  onIteration?: (iteration: number, loss: number) => void;
}

export const DEFAULT_SOFTMAX: SoftmaxOptions = { C: 0.01, maxIterations: 300 };

export interface SoftmaxWeights {
  /** classes × features */
  weights: Matrix;
  bias: Float64Array;
  iterations: number;
  /** Mean cross-entropy plus penalty / n at the optimum. */
  loss: number;
}

/**
 * Multinomial logistic regression with an L2 penalty on the weights (not the bias), fitted by
 * L-BFGS on the full batch. X must already be standardised. Deterministic: it starts from zero.
 */
export function trainSoftmax(X: Matrix, y: Int32Array, classes: number, options: Partial<SoftmaxOptions> = {}): SoftmaxWeights {
  const o = { ...DEFAULT_SOFTMAX, ...options };
  const n = X.rows;
  const d = X.columns;
  const k = classes;
  const penalty = 1 / (o.C * n);
  const W = new Matrix(k, d);
  const G = new Matrix(n, k);
  const objective = (params: Float64Array, grad: Float64Array): number => {
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) W.set(c, j, params[c * d + j]!);
    const Z = X.mmul(W.transpose());
    let loss = 0;
    const gb = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        const z = Z.get(i, c) + params[k * d + c]!;
        Z.set(i, c, z);
        if (z > max) max = z;
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(Z.get(i, c) - max);
      const logSum = max + Math.log(sum);
      loss += logSum - Z.get(i, y[i]!);
      for (let c = 0; c < k; c++) {
        const g = (Math.exp(Z.get(i, c) - logSum) - (c === y[i] ? 1 : 0)) / n;
        G.set(i, c, g);
        gb[c] += g;
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
      grad[k * d + c] = gb[c]!;
    }
    return loss / n + 0.5 * penalty * reg;
  };
  const result = minimizeLbfgs(objective, new Float64Array(k * d + k), {
    maxIterations: o.maxIterations,
    gradientTolerance: 1e-6,
    valueTolerance: 1e-10,
    onIteration: (it, v) => o.onIteration?.(it, v),
  });
  const weights = new Matrix(k, d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) weights.set(c, j, result.x[c * d + j]!);
  return { weights, bias: result.x.slice(k * d), iterations: result.iterations, loss: result.value };
}
