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

/** Loss and gradient of one row (a method of its own, which the JIT compiles far better than one big loop). */
class SoftmaxRow {
  private readonly z: Float64Array;
  private readonly dz: Float64Array;
  constructor(
    private readonly d: number,
    private readonly k: number,
  ) {
    this.z = new Float64Array(k);
    this.dz = new Float64Array(k);
  }

  /** Adds scale × ∂loss/∂params of row X[row…row+d) to grad; returns the row's cross-entropy. */
  accumulate(params: Float64Array, grad: Float64Array, X: Float64Array, row: number, label: number, scale: number): number {
    const { d, k, z, dz } = this;
    for (let c = 0; c < k; c++) {
      let s = params[k * d + c]!;
      const wr = c * d;
      for (let j = 0; j < d; j++) s += params[wr + j]! * X[row + j]!;
      z[c] = s;
    }
    const loss = softmaxCrossEntropy(z, label, scale, dz);
    for (let c = 0; c < k; c++) {
      const g = dz[c]!;
      grad[k * d + c] += g;
      const wr = c * d;
      for (let j = 0; j < d; j++) grad[wr + j] += g * X[row + j]!;
    }
    return loss;
  }
}

/**
 * Multinomial logistic regression with an L2 penalty on the weights (not the bias), fitted by
 * L-BFGS on the full batch. X must already be standardised. Rows of class −1 are non-digits:
 * their target is the uniform distribution (outlier exposure), so such inputs come out with low
 * confidence. Deterministic: it starts from zero.
 */
export function trainSoftmax(data: Dataset, classes: number, options: Partial<SoftmaxOptions> = {}): SoftmaxWeights {
  const o = { ...DEFAULT_SOFTMAX, ...options };
  const { X, rows: n, cols: d, y } = data;
  const k = classes;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) totalWeight += y[i]! < 0 ? o.outlierWeight : 1;
  const penalty = 1 / (o.C * totalWeight);
  const rowStep = new SoftmaxRow(d, k);
  const objective = (params: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const label = y[i]!;
      const weight = label < 0 ? o.outlierWeight : 1;
      loss += weight * rowStep.accumulate(params, grad, X, i * d, label, weight / totalWeight);
    }
    let reg = 0;
    for (let j = 0; j < k * d; j++) {
      const w = params[j]!;
      reg += w * w;
      grad[j] += penalty * w;
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
