import type { TopK } from "./events.ts";
import { type ExtractTimings, FeatureExtractor } from "./features/extractor.ts";
import { DEFAULT_VOICING, VoicingDetector } from "./features/voicing.ts";
import type { ModelFile } from "./model-file.ts";

interface Layer {
  inputs: number;
  outputs: number;
  weights: Float32Array;
  bias: Float64Array;
  relu: boolean;
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
  private readonly layers: Layer[];
  private readonly activations: Float64Array[];
  readonly probabilities: Float64Array;
  private readonly features: Float64Array;
  readonly voicing: VoicingDetector;
  private readonly powerFrame = (f: number): Float64Array => this.extractor.powerFrame(f);

  constructor(readonly model: ModelFile) {
    this.labels = model.labels;
    this.extractor = new FeatureExtractor(model.features);
    this.mean = Float64Array.from(model.standardize.mean);
    this.invScale = Float64Array.from(model.standardize.scale, (s) => 1 / s);
    this.layers = model.layers.map((l) => ({
      inputs: l.weights[0]!.length,
      outputs: l.weights.length,
      weights: packRows(l.weights),
      bias: Float64Array.from(l.bias),
      relu: l.activation === "relu",
    }));
    this.activations = [new Float64Array(this.mean.length), ...this.layers.map((l) => new Float64Array(l.outputs))];
    this.probabilities = this.activations[this.activations.length - 1]!;
    this.features = new Float64Array(this.extractor.dimension);
    const c = model.features;
    this.voicing = new VoicingDetector(model.voicing ?? DEFAULT_VOICING, c.sampleRate, c.hopLength, c.nFft, c.preEmphasis);
  }

  /** Features of one utterance at the model's sample rate (a reused buffer). */
  featuresOf(samples: Float32Array, timings?: ExtractTimings): Float64Array {
    return this.extractor.extract(samples, this.features, timings);
  }

  /**
   * Whether the utterance last given to `featuresOf` (pass the same samples) holds enough voiced
   * speech to be a digit; always true when the model turns the check off.
   */
  soundsLikeSpeech(samples: Float32Array): boolean {
    if (!this.voicing.enabled) return true;
    const { start, end } = this.extractor.lastTrim;
    return this.voicing.accepts(this.voicing.voicedFrames(samples, start, end, this.powerFrame));
  }

  /** Class probabilities for one feature vector (a reused buffer, valid until the next call). */
  predict(features: Float64Array): Float64Array {
    const x = this.activations[0]!;
    for (let i = 0; i < x.length; i++) x[i] = (features[i]! - this.mean[i]!) * this.invScale[i]!;
    for (let li = 0; li < this.layers.length; li++) {
      const l = this.layers[li]!;
      const input = this.activations[li]!;
      const out = this.activations[li + 1]!;
      const w = l.weights;
      for (let o = 0; o < l.outputs; o++) {
        const row = o * l.inputs;
        const n = l.inputs;
        // four partial sums: independent additions the CPU can overlap
        let s0 = l.bias[o]!;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let i = 0;
        for (; i + 3 < n; i += 4) {
          s0 += w[row + i]! * input[i]!;
          s1 += w[row + i + 1]! * input[i + 1]!;
          s2 += w[row + i + 2]! * input[i + 2]!;
          s3 += w[row + i + 3]! * input[i + 3]!;
        }
        for (; i < n; i++) s0 += w[row + i]! * input[i]!;
        const s = s0 + s1 + s2 + s3;
        out[o] = l.relu && s < 0 ? 0 : s;
      }
    }
    softmaxInPlace(this.probabilities);
    return this.probabilities;
  }
}

/** Rows of equal length into one row-major array (without `flat()`, which is slow on big layers). */
function packRows(rows: number[][]): Float32Array {
  const cols = rows[0]!.length;
  const out = new Float32Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < cols; c++) out[r * cols + c] = row[c]!;
  }
  return out;
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
