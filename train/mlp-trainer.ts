import { type Rng, gaussian, seededRng } from "../data/synth/signals.ts";
import { type AxpyRows, instantiateKernels } from "../engine/wasm/kernels.ts";
import { softmaxCrossEntropy } from "./cross-entropy.ts";
import { DropoutBits, Float32Mlp, dropThreshold } from "./mlp-float32.ts";
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

/**
 * The network's parameters as flat row-major arrays. The hidden weights are kept transposed
 * (inputs × hidden): both big products of a batch then run along contiguous rows of hidden units.
 */
export interface MlpParams {
  /** inputs × hidden */
  w1t: Float64Array;
  b1: Float64Array;
  /** classes × hidden */
  w2: Float64Array;
  b2: Float64Array;
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

/**
 * The parameters, their gradient and the buffers of one batch's forward and backward pass in
 * float64, all in one WebAssembly memory: the two big products of a batch (inputs × hidden
 * units × rows) run in the float64 SIMD kernel `axpyrows`, which gives JavaScript's results bit
 * for bit. The reference whose loss and gradient the float32 trainer (mlp-float32.ts, which
 * `trainMlp` uses, Adam included) is checked against.
 */
export class MlpWorkspace {
  readonly params: MlpParams;
  readonly grad: MlpParams;
  /** Where callers put the batch's input rows (maxRows × inputs). */
  readonly xb: Float64Array;
  /** rows × hidden activations, rows × classes logits and their gradient, rows × hidden gradient. */
  readonly act: Float64Array;
  private readonly z: Float64Array;
  private readonly dz: Float64Array;
  private readonly dAct: Float64Array;
  /** The hidden weights' gradient as hidden × inputs (transposed into grad.w1t), and w2 transposed (hidden × classes). */
  private readonly gradW1: Float64Array;
  private readonly w2t: Float64Array;
  private readonly zRow: Float64Array;
  private readonly gRow: Float64Array;
  private readonly axpyRows: AxpyRows;

  constructor(
    readonly inputs: number,
    readonly hidden: number,
    readonly classes: number,
    readonly maxRows: number,
  ) {
    const d = inputs;
    const h = hidden;
    const k = classes;
    const params = [d * h, h, k * h, k];
    const sizes = [...params, ...params, maxRows * d, maxRows * h, maxRows * k, maxRows * k, maxRows * h, h * d, h * k];
    const bytes = sizes.reduce((s, n) => s + Math.ceil(n / 2) * 16, 0);
    const { memory, exports: kernels } = instantiateKernels(bytes);
    let at = 0;
    const take = (n: number) => {
      const a = new Float64Array(memory.buffer, at, n);
      at += Math.ceil(n / 2) * 16;
      return a;
    };
    this.params = { w1t: take(d * h), b1: take(h), w2: take(k * h), b2: take(k) };
    this.grad = { w1t: take(d * h), b1: take(h), w2: take(k * h), b2: take(k) };
    this.xb = take(maxRows * d);
    this.act = take(maxRows * h);
    this.z = take(maxRows * k);
    this.dz = take(maxRows * k);
    this.dAct = take(maxRows * h);
    this.gradW1 = take(h * d);
    this.w2t = take(h * k);
    this.zRow = new Float64Array(k);
    this.gRow = new Float64Array(k);
    this.axpyRows = kernels.axpyrows as AxpyRows;
  }

  /**
   * Forward and backward pass of the first `rows` rows of `xb` (inputs, already dropped out)
   * with their labels (−1: the uniform distribution) and per-row loss scales. Returns Σ
   * scale·loss and leaves its gradient (without weight decay) in `grad`; hidden units are
   * dropped at rate `hiddenDropout` drawing on `rng`.
   */
  batch(rows: number, labels: ArrayLike<number>, scales: ArrayLike<number>, hiddenDropout = 0, rng: Rng = Math.random): number {
    const { params: p, xb, act, z, dz, dAct, grad, zRow, gRow, gradW1, w2t } = this;
    const { inputs: d, hidden: h, classes: k } = this;
    const keep = 1 / (1 - hiddenDropout);
    act.fill(0, 0, rows * h);
    this.axpyRows(act.byteOffset, xb.byteOffset, p.w1t.byteOffset, rows, d, h, d, 1);
    for (let i = 0; i < rows; i++) {
      const row = i * h;
      for (let u = 0; u < h; u++) {
        const s = act[row + u]! + p.b1[u]!;
        act[row + u] = s > 0 && !(hiddenDropout > 0 && rng() < hiddenDropout) ? s * keep : 0;
      }
    }
    // Logits: for each row and class the sum over hidden units in order (skipping units that are
    // zero, about three in four after ReLU and dropout), as a product with w2 transposed.
    for (let c = 0; c < k; c++) for (let u = 0; u < h; u++) w2t[u * k + c] = p.w2[c * h + u]!;
    z.fill(0, 0, rows * k);
    this.axpyRows(z.byteOffset, act.byteOffset, w2t.byteOffset, rows, h, k, h, 1);
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      for (let c = 0; c < k; c++) zRow[c] = z[i * k + c]! + p.b2[c]!;
      loss += scales[i]! * softmaxCrossEntropy(zRow, labels[i]!, scales[i]!, gRow);
      dz.set(gRow, i * k);
    }
    // Units that are zero (inactive or dropped) pass no gradient back; kept ones carry the dropout scale.
    dAct.fill(0, 0, rows * h);
    this.axpyRows(dAct.byteOffset, dz.byteOffset, p.w2.byteOffset, rows, k, h, k, 1);
    for (let i = 0; i < rows * h; i++) dAct[i] = act[i]! > 0 ? dAct[i]! * keep : 0;
    // The hidden weights' gradient as (hidden × rows)·(rows × inputs), so that the kernel skips the
    // zero gradients of inactive and dropped units (most of them), then transposed. Each sum runs
    // over the rows in order, as (inputs × rows)·(rows × hidden) would.
    gradW1.fill(0);
    this.axpyRows(gradW1.byteOffset, dAct.byteOffset, xb.byteOffset, h, rows, d, 1, h);
    for (let u = 0; u < h; u++) for (let j = 0; j < d; j++) grad.w1t[j * h + u] = gradW1[u * d + j]!;
    grad.w2.fill(0);
    this.axpyRows(grad.w2.byteOffset, dz.byteOffset, act.byteOffset, k, rows, h, 1, k);
    columnSums(dAct, rows, h, grad.b1);
    columnSums(dz, rows, k, grad.b2);
    return loss;
  }
}

/** out[j] = Σ_i m[i·cols + j], rows in order. */
function columnSums(m: Float64Array, rows: number, cols: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += m[i * cols + j]!;
}

/**
 * One hidden ReLU layer and a softmax output, trained by mini-batch Adam on cross-entropy
 * (rows of class −1 towards the uniform distribution) with L2 weight decay. X must already be
 * standardised. Deterministic for a given seed.
 */
export function trainMlp(data: Dataset, classes: number, options: Partial<MlpOptions> = {}): MlpWeights {
  const o = { ...DEFAULT_MLP, ...options };
  const { X, rows: n, cols: d, y } = data;
  const rng = seededRng(o.seed * 7919 + 3);
  const h = o.hidden;
  const bs = Math.min(o.batchSize, n);
  // every product and the Adam step in float32 WebAssembly (docs/performance.md, "training round")
  const work = new Float32Mlp(d, h, classes, bs);
  const { stride, units } = work;
  const net = work.params;
  // Drawn row by row of the hidden × inputs matrix.
  const scale1 = Math.sqrt(2 / d);
  for (let u = 0; u < h; u++) for (let j = 0; j < d; j++) net.w1[u * stride + j] = gaussian(rng) * scale1;
  const scale2 = Math.sqrt(1 / h);
  for (let c = 0; c < classes; c++) for (let u = 0; u < h; u++) net.w2[c * units + u] = gaussian(rng) * scale2;
  const xb = work.xb;
  const labels = new Int32Array(bs);
  const scales = new Float64Array(bs);
  const pIn = o.inputDropout;
  const dropIn = dropThreshold(pIn);
  const keepIn = 1 / (1 - pIn);
  const bits = new DropoutBits();
  const words = new Int32Array(bs * Math.ceil(d / 2));
  let t = 0;
  let epochLoss = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = shuffled(n, rng);
    const lr = o.learningRate * (1 - (0.9 * epoch) / Math.max(1, o.epochs - 1));
    epochLoss = 0;
    let epochWeight = 0;
    for (let start = 0; start < n; start += bs) {
      const rows = Math.min(bs, n - start);
      let batchWeight = 0;
      if (pIn > 0) {
        bits.reseed(rng);
        bits.fill(words, rows * Math.ceil(d / 2));
      }
      for (let b = 0; b < rows; b++) {
        const i = order[start + b]!;
        labels[b] = y[i]!;
        scales[b] = y[i]! < 0 ? o.outlierWeight : 1;
        batchWeight += scales[b]!;
        const from = i * d;
        const to = b * stride;
        if (pIn > 0) {
          // two 16-bit dropout decisions per random draw
          for (let j = 0, w = b * Math.ceil(d / 2); j < d; j += 2, w++) {
            const r = words[w]!;
            xb[to + j] = r >>> 16 < dropIn ? 0 : X[from + j]! * keepIn;
            if (j + 1 < d) xb[to + j + 1] = (r & 0xffff) < dropIn ? 0 : X[from + j + 1]! * keepIn;
          }
        } else {
          for (let j = 0; j < d; j++) xb[to + j] = X[from + j]!;
        }
      }
      for (let b = 0; b < rows; b++) scales[b]! /= batchWeight;
      const loss = work.batch(rows, labels, scales, o.hiddenDropout, rng);
      epochLoss += batchWeight * loss;
      epochWeight += batchWeight;
      t++;
      work.adam(lr, t, o.weightDecay);
    }
    epochLoss /= epochWeight;
    o.onEpoch?.(epoch + 1, epochLoss);
  }
  const w1 = new Float64Array(h * d);
  for (let u = 0; u < h; u++) for (let j = 0; j < d; j++) w1[u * d + j] = net.w1[u * stride + j]!;
  const w2 = new Float64Array(classes * h);
  for (let c = 0; c < classes; c++) for (let u = 0; u < h; u++) w2[c * h + u] = net.w2[c * units + u]!;
  return { w1, b1: Float64Array.from(net.b1.subarray(0, h)), w2, b2: Float64Array.from(net.b2), loss: epochLoss };
}
