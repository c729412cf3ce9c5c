import type { TopK } from "./events.ts";
import { type AnalyseTimings, FeatureExtractor } from "./features/extractor.ts";
import { Utterance } from "./features/utterance.ts";
import { DEFAULT_VOICING, VoicingDetector } from "./features/voicing.ts";
import { DenseNetwork, softmaxInPlace } from "./dense-network.ts";
import { TemplateMatcher } from "./adaptation/template-matcher.ts";
import type { ModelFile } from "./model-file.ts";
import { matrixData } from "./packed-matrix.ts";

/** Milliseconds spent by `Classifier.classify`: features (every warp) apart from the network passes. */
export interface ClassifyTimings {
  featuresMs: number;
  inferenceMs: number;
}

/**
 * A model file's recogniser as a pipeline of calls that share nothing but what they return:
 * `analyse(samples)` gives an `Utterance` (spectra, trim, voiced-speech check, pitch);
 * `features(utterance, warp)` and `classify(utterance)` read only that. Network weights and
 * tables are built once; scratch buffers are written and read within one call.
 */
export class Classifier {
  readonly labels: string[];
  readonly extractor: FeatureExtractor;
  private readonly mean: Float64Array;
  private readonly invScale: Float64Array;
  private readonly network: DenseNetwork;
  readonly voicing: VoicingDetector;
  /** Scratch of `classify`: the feature vector of one warp, the summed log-probabilities. */
  private readonly scratchFeatures: Float64Array;
  private readonly logSum: Float64Array;
  /** A speaker profile's takes, matched against each utterance (absent: the network alone). */
  readonly templates?: TemplateMatcher;

  constructor(readonly model: ModelFile) {
    this.labels = model.labels;
    this.extractor = new FeatureExtractor(model.features);
    this.mean = Float64Array.from(model.standardize.mean);
    this.invScale = Float64Array.from(model.standardize.scale, (s) => 1 / s);
    this.network = new DenseNetwork(model.layers.map((l) => ({ weights: matrixData(l.weights), bias: l.bias, relu: l.activation === "relu" })));
    this.scratchFeatures = new Float64Array(this.extractor.dimension);
    this.logSum = new Float64Array(this.network.outputs);
    const c = model.features;
    this.voicing = new VoicingDetector(model.voicing ?? DEFAULT_VOICING, c.sampleRate, c.hopLength, c.nFft, c.preEmphasis);
    if (model.templates) this.templates = new TemplateMatcher(model.templates, this.extractor, this.labels.length);
  }

  /** The model's sample rate: `analyse` expects its input at this rate. */
  get sampleRate(): number {
    return this.model.features.sampleRate;
  }

  /** Length of a feature vector. */
  get dimension(): number {
    return this.extractor.dimension;
  }

  /**
   * Analyses one utterance at the model's sample rate: power spectra, trim, the voiced-speech
   * check and (when the model warps high voices) the pitch. Refills `into` when given. Voiced
   * frames are counted up to `voicedUpTo` (or as many as the check needs).
   */
  analyse(samples: Float32Array, into: Utterance = new Utterance(), timings?: AnalyseTimings, voicedUpTo = 0): Utterance {
    const u = this.extractor.analyse(samples, into, timings);
    const t0 = timings ? performance.now() : 0;
    const pitch = this.model.pitchWarp !== undefined;
    u.voicedFrames = 0;
    if (this.voicing.enabled || pitch) this.voicing.measure(samples, u, pitch, voicedUpTo);
    if (timings) timings.voicingMs = performance.now() - t0;
    return u;
  }

  /** The feature vector of `u` through the filterbank warped by `warp` (1: unwarped), into `out` when given. */
  features(u: Utterance, warp = 1, out: Float64Array = new Float64Array(this.dimension)): Float64Array {
    return this.extractor.features(u, warp, out);
  }

  /**
   * Class probabilities of an analysed utterance, into `out` when given: the network on its
   * features; for a voice above the model's `pitchWarp.minHz`, the normalised geometric mean of
   * the network's outputs over its filterbank warps. With a profile's templates, their scores
   * are fused in (see TemplateMatcher.fuse).
   */
  classify(u: Utterance, out: Float64Array = new Float64Array(this.labels.length), timings?: ClassifyTimings): Float64Array {
    this.networkProbabilities(u, out, timings);
    return this.templates ? this.templates.fuse(u, out) : out;
  }

  /** The network's probabilities of `u` (averaged over warps for a high voice), into `out`. */
  private networkProbabilities(u: Utterance, out: Float64Array, timings?: ClassifyTimings): Float64Array {
    const pw = this.model.pitchWarp;
    const x = this.scratchFeatures;
    if (!pw || !(u.pitchHz > pw.minHz)) {
      const t0 = timings ? performance.now() : 0;
      this.extractor.features(u, 1, x);
      const t1 = timings ? performance.now() : 0;
      this.predict(x, out);
      if (timings) {
        timings.featuresMs = t1 - t0;
        timings.inferenceMs = performance.now() - t1;
      }
      return out;
    }
    const sum = this.logSum.fill(0);
    let featuresMs = 0;
    let inferenceMs = 0;
    for (const warp of pw.warps) {
      const t0 = timings ? performance.now() : 0;
      this.extractor.features(u, warp, x);
      const t1 = timings ? performance.now() : 0;
      const q = this.predict(x, out);
      for (let k = 0; k < sum.length; k++) sum[k] += Math.log(q[k]! + 1e-30);
      if (timings) {
        featuresMs += t1 - t0;
        inferenceMs += performance.now() - t1;
      }
    }
    for (let k = 0; k < out.length; k++) out[k] = sum[k]! / pw.warps.length;
    softmaxInPlace(out);
    if (timings) {
      timings.featuresMs = featuresMs;
      timings.inferenceMs = inferenceMs;
    }
    return out;
  }

  /** Class probabilities for one feature vector, into `out` when given. */
  predict(features: Float64Array, out: Float64Array = new Float64Array(this.labels.length)): Float64Array {
    const x = this.network.input;
    for (let i = 0; i < x.length; i++) x[i] = (features[i]! - this.mean[i]!) * this.invScale[i]!;
    this.network.run(out);
    softmaxInPlace(out);
    return out;
  }
}

/** Index of the largest value. */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

/** Whether an output names a digit (a speaker profile may add a non-digit output). */
export const isDigitLabel = (label: string): boolean => /^\d$/.test(label);

/** The k most probable digits, most probable first. */
export function topK(p: ArrayLike<number>, k: number, labels: string[]): TopK[] {
  const idx = Array.from({ length: p.length }, (_, i) => i)
    .filter((i) => isDigitLabel(labels[i]!))
    .sort((a, b) => p[b]! - p[a]!);
  return idx.slice(0, Math.min(k, p.length)).map((i) => ({ digit: Number(labels[i]), p: p[i]! }));
}
