import type { TopK } from "./events.ts";
import { type ExtractTimings, FeatureExtractor } from "./features/extractor.ts";
import { DEFAULT_VOICING, VoicingDetector } from "./features/voicing.ts";
import { DenseNetwork } from "./dense-network.ts";
import type { ModelFile } from "./model-file.ts";
import { matrixData } from "./packed-matrix.ts";

/** Milliseconds spent by `Classifier.classify`: trim, the rest of the features, the network passes. */
export interface ClassifyTimings extends ExtractTimings {
  inferenceMs: number;
}

/**
 * Runs a model file's network on feature vectors: standardise, dense layers, softmax.
 * Buffers are allocated once; `predict` writes probabilities into a reused array.
 */
export class Classifier {
  readonly labels: string[];
  readonly extractor: FeatureExtractor;
  private readonly mean: Float64Array;
  private readonly invScale: Float64Array;
  private readonly network: DenseNetwork;
  readonly probabilities: Float64Array;
  private readonly features: Float64Array;
  readonly voicing: VoicingDetector;
  /** Median pitch (Hz) of the last utterance `classify` saw; 0 when unvoiced or the model has no `pitchWarp`. */
  lastPitchHz = 0;
  private readonly warped: Float64Array;
  /** Extractions so far, and the samples and extraction the voicing detector last analysed. */
  private extractions = 0;
  private analysedSamples: Float32Array | undefined;
  private analysedAt = -1;
  private readonly logSum: Float64Array;
  private readonly powerFrame = (f: number): Float64Array => this.extractor.powerFrame(f);

  constructor(readonly model: ModelFile) {
    this.labels = model.labels;
    this.extractor = new FeatureExtractor(model.features);
    this.mean = Float64Array.from(model.standardize.mean);
    this.invScale = Float64Array.from(model.standardize.scale, (s) => 1 / s);
    this.network = new DenseNetwork(model.layers.map((l) => ({ weights: matrixData(l.weights), bias: l.bias, relu: l.activation === "relu" })));
    this.probabilities = new Float64Array(this.network.outputs);
    this.features = new Float64Array(this.extractor.dimension);
    this.warped = new Float64Array(this.extractor.dimension);
    this.logSum = new Float64Array(this.network.outputs);
    const c = model.features;
    this.voicing = new VoicingDetector(model.voicing ?? DEFAULT_VOICING, c.sampleRate, c.hopLength, c.nFft, c.preEmphasis);
  }

  /**
   * Class probabilities of one utterance at the model's sample rate (a reused buffer, valid
   * until the next call): features, then the network; for a voice above the model's
   * `pitchWarp.minHz`, the normalised geometric mean of the network's outputs over its
   * filterbank warps. With `timings`, feature work (trim, pitch, warped filterbanks) and network
   * passes are timed apart.
   */
  classify(samples: Float32Array, timings?: ClassifyTimings): Float64Array {
    const t0 = timings ? performance.now() : 0;
    const features = this.featuresOf(samples, timings);
    const pw = this.model.pitchWarp;
    this.lastPitchHz = 0;
    if (pw) {
      this.analyse(samples);
      this.lastPitchHz = this.voicing.pitchHz();
    }
    const t1 = timings ? performance.now() : 0;
    let warping = 0;
    let p: Float64Array;
    if (!pw || !(this.lastPitchHz > pw.minHz)) p = this.predict(features);
    else {
      const sum = this.logSum.fill(0);
      for (const warp of pw.warps) {
        const a = timings ? performance.now() : 0;
        const x = warp === 1 ? features : this.extractor.rewarp(warp, this.warped);
        if (timings) warping += performance.now() - a;
        const q = this.predict(x);
        for (let k = 0; k < sum.length; k++) sum[k] += Math.log(q[k]! + 1e-30);
      }
      p = this.probabilities;
      for (let k = 0; k < p.length; k++) p[k] = sum[k]! / pw.warps.length;
      softmaxInPlace(p);
    }
    if (timings) {
      timings.featuresMs = t1 - t0 - timings.trimMs + warping;
      timings.inferenceMs = performance.now() - t1 - warping;
    }
    return p;
  }

  /** Features of one utterance at the model's sample rate (a reused buffer). */
  featuresOf(samples: Float32Array, timings?: ExtractTimings): Float64Array {
    this.extractions++;
    return this.extractor.extract(samples, this.features, timings);
  }

  /**
   * Whether the utterance last given to `featuresOf` (pass the same samples) holds enough voiced
   * speech to be a digit; always true when the model turns the check off.
   */
  soundsLikeSpeech(samples: Float32Array): boolean {
    if (!this.voicing.enabled) return true;
    if (this.analysedSamples !== samples || this.analysedAt !== this.extractions) this.analyse(samples);
    return this.voicing.accepts(this.voicing.voicedFrames(this.powerFrame));
  }

  /** The voicing detector's analysis of the trimmed frames of the last extraction, shared by the pitch estimate and the voiced-speech check. */
  private analyse(samples: Float32Array): void {
    const { start, end } = this.extractor.lastTrim;
    this.voicing.analyse(samples, start, end);
    this.analysedSamples = samples;
    this.analysedAt = this.extractions;
  }

  /** Class probabilities for one feature vector (a reused buffer, valid until the next call). */
  predict(features: Float64Array): Float64Array {
    const x = this.network.input;
    for (let i = 0; i < x.length; i++) x[i] = (features[i]! - this.mean[i]!) * this.invScale[i]!;
    this.network.run(this.probabilities);
    softmaxInPlace(this.probabilities);
    return this.probabilities;
  }
}

export function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) if (z[i]! > max) max = z[i]!;
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    z[i] = Math.exp(z[i]! - max);
    sum += z[i]!;
  }
  for (let i = 0; i < z.length; i++) z[i] /= sum;
}

/** Index of the largest value. */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

/** The k most probable classes, most probable first. */
export function topK(p: ArrayLike<number>, k: number, labels: string[]): TopK[] {
  const idx = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b]! - p[a]!);
  return idx.slice(0, Math.min(k, p.length)).map((i) => ({ digit: Number(labels[i]), p: p[i]! }));
}
