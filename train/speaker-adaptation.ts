import { Classifier } from "../engine/classifier.ts";
import type { SpeakerAdaptation } from "../engine/adaptation/adapted-model.ts";
import type { ModelFile } from "../engine/model-file.ts";
import { matrixData, packMatrix } from "../engine/packed-matrix.ts";
import { type AugmentOptions, NO_AUGMENTATION, augmentCopy } from "./augment-recipe.ts";
import { type Rng, seededRng } from "./augment.ts";
import { minimizeLbfgs } from "./lbfgs.ts";
import { nonDigitClips } from "./nondigit-set.ts";
import type { Clip } from "../data/fsdd.ts";

/** One enrolment recording at the model's sample rate: a digit (0-9) or a non-digit (−1). */
export interface Take {
  samples: Float32Array;
  label: number;
}

export interface AdaptOptions {
  /** Weight of the distance to the speaker's class prototypes added to the network's logits. */
  prototypeWeight: number;
  /** L-BFGS iterations fitting the output layer to the takes; 0 keeps the prototype blend alone. */
  iterations: number;
  /** Pull of the refitted output layer towards the blend it starts from (L2, per row of data). */
  anchor: number;
  /** Augmented copies of each take (noise, gain, padding) the output layer is fitted on. */
  copies: number;
  /**
   * A take the unadapted model hears as another digit with at least this confidence (and its
   * own digit below 1 − this) is left out: a take mislabelled or misspoken must not teach the
   * model. 1 keeps every take.
   */
  dropConfidentlyOther: number;
  /**
   * Non-digits made from the takes themselves, per digit take: time-reversed takes and chimeras
   * (the start of one digit joined to the end of another), fitted towards a flat output so the
   * sharper adapted model still rejects speech-like sounds that are no digit.
   */
  madeNegatives: number;
  seed: number;
}

export const DEFAULT_ADAPT: AdaptOptions = { prototypeWeight: 1, iterations: 0, anchor: 1, copies: 0, dropConfidentlyOther: 0.95, madeNegatives: 0, seed: 0 };

/** Light augmentation of takes: the user's own voice in a little noise and at other levels and alignments. */
export const TAKE_AUGMENT: AugmentOptions = { ...NO_AUGMENTATION, noise: 0.7, snrDb: [5, 30], noiseKinds: ["white", "pink", "brown", "hum"], gainDb: [-6, 6], pad: 0.5 };

/**
 * Hidden-layer activations of a model (the input of its output layer) for an utterance, taken
 * the way `Classifier.classify` sees it: one vector per filterbank warp the classifier averages
 * over (one for a low voice, every `pitchWarp` warp for a high one).
 */
export class HiddenProbe {
  readonly classifier: Classifier;
  readonly width: number;
  private readonly w1: Float32Array;
  private readonly b1: Float64Array;
  private readonly cols: number;
  private readonly mean: Float64Array;
  private readonly invScale: Float64Array;
  private readonly x: Float64Array;
  private readonly warped: Float64Array;

  constructor(readonly model: ModelFile) {
    if (model.layers.length !== 2) throw new Error("speaker adaptation needs a model of one hidden layer and an output layer");
    this.classifier = new Classifier(model);
    const hidden = matrixData(model.layers[0]!.weights);
    this.w1 = hidden.data;
    this.cols = hidden.cols;
    this.width = hidden.rows;
    this.b1 = Float64Array.from(model.layers[0]!.bias);
    this.mean = Float64Array.from(model.standardize.mean);
    this.invScale = Float64Array.from(model.standardize.scale, (s) => 1 / s);
    this.x = new Float64Array(this.cols);
    this.warped = new Float64Array(this.cols);
  }

  /** The unadapted model's probabilities for `samples` (a reused buffer) and its hidden vectors. */
  probe(samples: Float32Array): { probabilities: Float64Array; hidden: Float64Array[] } {
    const probabilities = Float64Array.from(this.classifier.classify(samples));
    const pw = this.model.pitchWarp;
    const warps = pw && this.classifier.lastPitchHz > pw.minHz ? pw.warps : [1];
    const fx = this.classifier.extractor;
    const base = this.classifier.featuresOf(samples);
    const hidden = warps.map((w) => this.hiddenOf(w === 1 ? base : fx.rewarp(w, this.warped)));
    return { probabilities, hidden };
  }

  private hiddenOf(features: Float64Array): Float64Array {
    const x = this.x;
    for (let i = 0; i < x.length; i++) x[i] = (features[i]! - this.mean[i]!) * this.invScale[i]!;
    const h = new Float64Array(this.width);
    const cols = this.cols;
    for (let r = 0; r < this.width; r++) {
      let s = this.b1[r]!;
      const o = r * cols;
      for (let c = 0; c < cols; c++) s += this.w1[o + c]! * x[c]!;
      h[r] = s > 0 ? s : 0;
    }
    return h;
  }
}

interface Row {
  h: Float64Array;
  label: number;
}

/** Takes the unadapted model confidently hears as another digit (indices into `takes`). */
export function confidentlyOther(probabilities: Float64Array, label: number, threshold: number): boolean {
  if (label < 0 || threshold >= 1) return false;
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[best]!) best = k;
  return best !== label && probabilities[best]! >= threshold && probabilities[label]! <= 1 - threshold;
}

/**
 * Fits a speaker's output layer: the model's logits plus `prototypeWeight` × a nearest-prototype
 * score in the hidden space (−‖h − μ_c‖² / 2D, μ_c the mean hidden vector of the speaker's takes
 * of digit c, D the takes' mean squared distance to their prototype), which is linear in h and so
 * an output layer itself; then, with `iterations`, that layer refitted by L-BFGS on the takes and
 * augmented copies (digits one-hot, non-digits towards a flat output), held near its start.
 */
export function fitSpeakerAdaptation(model: ModelFile, takes: readonly Take[], options: Partial<AdaptOptions> = {}): { adaptation: SpeakerAdaptation; dropped: number[] } {
  const o = { ...DEFAULT_ADAPT, ...options };
  const probe = new HiddenProbe(model);
  const classes = model.labels.length;
  const rng = seededRng(o.seed * 7919 + 3);
  const rate = model.features.sampleRate;
  const rows: Row[] = [];
  const protoRows: Row[] = [];
  const dropped: number[] = [];
  const pool = takes.map((t) => t.samples);
  const all = o.madeNegatives > 0 ? [...takes, ...negativesFrom(takes, rate, o.madeNegatives, o.seed)] : takes;
  all.forEach((take, i) => {
    const { probabilities, hidden } = probe.probe(take.samples);
    if (confidentlyOther(probabilities, take.label, o.dropConfidentlyOther)) {
      dropped.push(i);
      return;
    }
    for (const h of hidden) {
      rows.push({ h, label: take.label });
      if (take.label >= 0) protoRows.push({ h, label: take.label });
    }
    for (let c = 0; c < o.copies; c++) {
      const copy = augmentCopy(take.samples, rate, TAKE_AUGMENT, rng as Rng, pool);
      for (const h of probe.probe(copy.samples).hidden) rows.push({ h, label: take.label });
    }
  });
  const last = model.layers[model.layers.length - 1]!;
  const { rows: outRows, cols: width } = matrixData(last.weights);
  const w0 = matrixData(last.weights).data;
  // parameters: classes × (width + 1), the bias last in each row
  const stride = width + 1;
  const start = new Float64Array(classes * stride);
  for (let c = 0; c < outRows; c++) {
    for (let j = 0; j < width; j++) start[c * stride + j] = w0[c * width + j]!;
    start[c * stride + width] = last.bias[c]!;
  }
  addPrototypes(start, protoRows, classes, width, o.prototypeWeight);
  const fitted = o.iterations > 0 && rows.length > 0 ? refit(start, rows, classes, width, o) : start;
  const weights = Array.from({ length: classes }, (_, c) => Array.from(fitted.subarray(c * stride, c * stride + width)));
  const bias = Array.from({ length: classes }, (_, c) => fitted[c * stride + width]!);
  return { adaptation: { output: { weights: packMatrix(weights), bias } }, dropped };
}

function negativesFrom(takes: readonly Take[], rate: number, perTake: number, seed: number): Take[] {
  const digits: Clip[] = takes.flatMap((t, i) => (t.label >= 0 ? [{ path: `take${i}`, label: t.label, speaker: "user", index: i, sampleRate: rate, samples: t.samples }] : []));
  const made = nonDigitClips(digits, rate, { soundsPerKind: 0, reversed: perTake / 2, chimeras: perTake / 2, fragments: 0, seed });
  return made.map((c) => ({ samples: c.samples, label: -1 }));
}

function addPrototypes(params: Float64Array, rows: readonly Row[], classes: number, width: number, weight: number): void {
  if (weight === 0 || rows.length === 0) return;
  const stride = width + 1;
  const protos = Array.from({ length: classes }, () => new Float64Array(width));
  const counts = new Int32Array(classes);
  for (const r of rows) {
    const p = protos[r.label]!;
    for (let j = 0; j < width; j++) p[j] += r.h[j]!;
    counts[r.label]++;
  }
  for (let c = 0; c < classes; c++) if (counts[c]) for (let j = 0; j < width; j++) protos[c]![j] /= counts[c]!;
  // D: the takes' mean squared distance to their own prototype, or, with one take per digit,
  // half the mean squared distance between prototypes (a scale of the same order).
  let spread = 0;
  let n = 0;
  for (const r of rows) {
    if (counts[r.label]! < 2) continue;
    spread += squaredDistance(r.h, protos[r.label]!);
    n++;
  }
  if (n > 0) spread /= n;
  else {
    let pairs = 0;
    for (let a = 0; a < classes; a++) for (let b = a + 1; b < classes; b++) if (counts[a] && counts[b]) {
      spread += squaredDistance(protos[a]!, protos[b]!) / 2;
      pairs++;
    }
    spread = pairs ? spread / pairs : 1;
  }
  const scale = weight / Math.max(spread, 1e-9);
  for (let c = 0; c < classes; c++) {
    if (!counts[c]) continue;
    const p = protos[c]!;
    let norm = 0;
    for (let j = 0; j < width; j++) {
      params[c * stride + j] += scale * p[j]!;
      norm += p[j]! * p[j]!;
    }
    params[c * stride + width] -= (scale * norm) / 2;
  }
}

function squaredDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j]! - b[j]!;
    s += d * d;
  }
  return s;
}

/** Cross-entropy of the rows (non-digits towards a flat output) plus `anchor` × ‖θ − θ₀‖² / 2, minimised from θ₀. */
function refit(start: Float64Array, rows: readonly Row[], classes: number, width: number, o: AdaptOptions): Float64Array {
  const stride = width + 1;
  const z = new Float64Array(classes);
  const n = rows.length;
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    let loss = 0;
    grad.fill(0);
    for (const r of rows) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        let s = theta[c * stride + width]!;
        const off = c * stride;
        for (let j = 0; j < width; j++) s += theta[off + j]! * r.h[j]!;
        z[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(z[c]! - max);
      const logSum = max + Math.log(sum);
      for (let c = 0; c < classes; c++) {
        const p = Math.exp(z[c]! - logSum);
        const target = r.label < 0 ? 1 / classes : c === r.label ? 1 : 0;
        loss -= target * (z[c]! - logSum);
        const g = (p - target) / n;
        if (g === 0) continue;
        const off = c * stride;
        for (let j = 0; j < width; j++) grad[off + j] += g * r.h[j]!;
        grad[off + width] += g;
      }
    }
    loss /= n;
    for (let i = 0; i < theta.length; i++) {
      const d = theta[i]! - start[i]!;
      loss += (o.anchor / 2) * d * d;
      grad[i] += o.anchor * d;
    }
    return loss;
  };
  return minimizeLbfgs(objective, start, { maxIterations: o.iterations }).x;
}
