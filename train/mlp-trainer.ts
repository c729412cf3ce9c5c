import { type Rng, gaussian, seededRng } from "./augment.ts";
import { softmaxCrossEntropy } from "./cross-entropy.ts";
import type { Dataset } from "./training-set.ts";

export interface MlpOptions {
  /** Hidden ReLU units. */
  hidden: number;
  /** Passes over the training set. */
  epochs: number;
  batchSize: number;
  /** Adam step size (decays linearly to 10 % of it over the epochs). */
  learningRate: number;
  /** L2 penalty on both weight matrices, per row: λ/2 · ‖W‖². */
  weightDecay: number;
  /** Weight of each non-digit row (class −1, trained towards the uniform distribution). */
  outlierWeight: number;
  /** Dropout rate of the inputs and of the hidden units during training (0 = none). */
  inputDropout: number;
  hiddenDropout: number;
  seed: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

export const DEFAULT_MLP: MlpOptions = {
  hidden: 128,
  epochs: 20,
  batchSize: 64,
  learningRate: 0.002,
  weightDecay: 1e-3,
  outlierWeight: 1,
  inputDropout: 0,
  hiddenDropout: 0,
  seed: 0,
};

export interface MlpWeights {
  /** hidden × inputs, row-major, and its bias */
  w1: Float64Array;
  b1: Float64Array;
  /** classes × hidden, row-major, and its bias */
  w2: Float64Array;
  b2: Float64Array;
  loss: number;
}

/** Fisher-Yates permutation of 0..n−1. */
function shuffled(n: number, rng: Rng): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** Adam state for one parameter block. */
class AdamBlock {
  readonly m: Float64Array;
  readonly v: Float64Array;
  constructor(readonly params: Float64Array, readonly grad: Float64Array, readonly decay: number) {
    this.m = new Float64Array(params.length);
    this.v = new Float64Array(params.length);
  }

  step(lr: number, t: number): void {
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 / (1 - b1 ** t);
    const c2 = 1 / (1 - b2 ** t);
    const { params: p, grad: g, m, v, decay } = this;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]! + decay * p[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * gi;
      v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
      p[i]! -= (lr * m[i]! * c1) / (Math.sqrt(v[i]! * c2) + 1e-8);
    }
    g.fill(0);
  }
}

/** Forward and backward pass of one row, accumulating gradients (kept apart so the JIT compiles it on its own). */
class MlpStep {
  private readonly act: Float64Array;
  private readonly dAct: Float64Array;
  private readonly z: Float64Array;
  private readonly dz: Float64Array;
  private readonly x: Float64Array;
  constructor(
    private readonly rng: Rng,
    private readonly inputDropout: number,
    private readonly hiddenDropout: number,
    private readonly d: number,
    private readonly h: number,
    private readonly k: number,
    private readonly w1: Float64Array,
    private readonly b1: Float64Array,
    private readonly w2: Float64Array,
    private readonly b2: Float64Array,
    private readonly g1: Float64Array,
    private readonly gb1: Float64Array,
    private readonly g2: Float64Array,
    private readonly gb2: Float64Array,
  ) {
    this.act = new Float64Array(h);
    this.dAct = new Float64Array(h);
    this.z = new Float64Array(k);
    this.dz = new Float64Array(k);
    this.x = new Float64Array(d);
  }

  /** Adds scale × ∂loss/∂params of row X[row…row+d) to the gradients; returns the row's loss. */
  accumulate(X: Float64Array, row: number, label: number, scale: number): number {
    const { d, h, k, w1, b1, w2, b2, g1, gb1, g2, gb2, act, dAct, z, dz, x, rng } = this;
    const pIn = this.inputDropout;
    const pHid = this.hiddenDropout;
    for (let j = 0; j < d; j++) x[j] = pIn > 0 ? (rng() < pIn ? 0 : X[row + j]! / (1 - pIn)) : X[row + j]!;
    for (let u = 0; u < h; u++) {
      let s = b1[u]!;
      const wr = u * d;
      for (let j = 0; j < d; j++) s += w1[wr + j]! * x[j]!;
      act[u] = s > 0 && !(pHid > 0 && rng() < pHid) ? s / (1 - pHid) : 0;
    }
    for (let c = 0; c < k; c++) {
      let s = b2[c]!;
      const wr = c * h;
      for (let u = 0; u < h; u++) s += w2[wr + u]! * act[u]!;
      z[c] = s;
    }
    const loss = softmaxCrossEntropy(z, label, scale, dz);
    dAct.fill(0);
    for (let c = 0; c < k; c++) {
      const g = dz[c]!;
      gb2[c] += g;
      const wr = c * h;
      for (let u = 0; u < h; u++) {
        g2[wr + u] += g * act[u]!;
        dAct[u] += g * w2[wr + u]!;
      }
    }
    for (let u = 0; u < h; u++) {
      if (act[u] === 0) continue;
      const g = dAct[u]! / (1 - pHid);
      gb1[u] += g;
      const wr = u * d;
      for (let j = 0; j < d; j++) g1[wr + j] += g * x[j]!;
    }
    return loss;
  }
}

/**
 * One hidden ReLU layer and a softmax output, trained by mini-batch Adam on cross-entropy
 * (rows of class −1 towards the uniform distribution) with L2 weight decay. X must already be
 * standardised. Deterministic for a given seed.
 */
export function trainMlp(data: Dataset, classes: number, options: Partial<MlpOptions> = {}): MlpWeights {
  const o = { ...DEFAULT_MLP, ...options };
  const { X, rows: n, cols: d, y } = data;
  const h = o.hidden;
  const k = classes;
  const rng = seededRng(o.seed * 7919 + 3);
  const w1 = new Float64Array(h * d);
  const b1 = new Float64Array(h);
  const w2 = new Float64Array(k * h);
  const b2 = new Float64Array(k);
  const s1 = Math.sqrt(2 / d);
  const s2 = Math.sqrt(1 / h);
  for (let i = 0; i < w1.length; i++) w1[i] = gaussian(rng) * s1;
  for (let i = 0; i < w2.length; i++) w2[i] = gaussian(rng) * s2;
  const g1 = new Float64Array(h * d);
  const gb1 = new Float64Array(h);
  const g2 = new Float64Array(k * h);
  const gb2 = new Float64Array(k);
  const blocks = [new AdamBlock(w1, g1, o.weightDecay), new AdamBlock(b1, gb1, 0), new AdamBlock(w2, g2, o.weightDecay), new AdamBlock(b2, gb2, 0)];
  const net = new MlpStep(rng, o.inputDropout, o.hiddenDropout, d, h, k, w1, b1, w2, b2, g1, gb1, g2, gb2);
  let t = 0;
  let epochLoss = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = shuffled(n, rng);
    const lr = o.learningRate * (1 - (0.9 * epoch) / Math.max(1, o.epochs - 1));
    epochLoss = 0;
    let epochWeight = 0;
    for (let start = 0; start < n; start += o.batchSize) {
      const end = Math.min(n, start + o.batchSize);
      let batchWeight = 0;
      for (let b = start; b < end; b++) batchWeight += y[order[b]!]! < 0 ? o.outlierWeight : 1;
      for (let b = start; b < end; b++) {
        const i = order[b]!;
        const label = y[i]!;
        const weight = label < 0 ? o.outlierWeight : 1;
        epochLoss += weight * net.accumulate(X, i * d, label, weight / batchWeight);
        epochWeight += weight;
      }
      t++;
      for (const block of blocks) block.step(lr, t);
    }
    epochLoss /= epochWeight;
    o.onEpoch?.(epoch + 1, epochLoss);
  }
  return { w1, b1, w2, b2, loss: epochLoss };
}
