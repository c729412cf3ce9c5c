import { type FeatureConfig, featureDimension, validateFeatureConfig } from "./feature-config.ts";
import { dctMatrix, hannWindow, melFilterbank } from "./mel-filterbank.ts";
import FFT from "fft.js";
import { trimFrames } from "./trim.ts";

/** Where `extract` spent its time, in ms: the trim apart from the rest of the features. */
export interface ExtractTimings {
  trimMs: number;
  featuresMs: number;
}

/** Frames of a signal of n samples: at least one (short inputs are zero-padded). */
export function frameCount(n: number, frameLength: number, hopLength: number): number {
  return n <= frameLength ? 1 : 1 + Math.floor((n - frameLength) / hopLength);
}

/**
 * Turns one utterance (mono, at `config.sampleRate`) into a fixed-length feature vector:
 * MFCC averaged over a grid of equal time segments (keeps time order), plus the mean and std
 * of MFCC and of their deltas. Tables are built once; per-call buffers grow only when a longer
 * utterance than any before arrives, so steady-state use allocates nothing.
 */
export class FeatureExtractor {
  readonly dimension: number;
  private readonly fft: FFT;
  /** fft.js output: interleaved re/im of bins 0..nFft/2 (it fills only that half). */
  private readonly spectrum: Float64Array;
  private readonly window: Float64Array;
  private readonly mel: ReturnType<typeof melFilterbank>;
  private readonly dct: Float64Array;
  private readonly frame: Float64Array;
  private readonly power: Float64Array;
  private readonly melEnergy: Float64Array;
  private readonly bandLo: number;
  private readonly bandHi: number;
  private capacity = 0;
  /** frames × nMels log-mel energies (natural log) of the last call. */
  private logMel = new Float64Array(0);
  /** frames × nMfcc cepstra of the last call. */
  private mfcc = new Float64Array(0);
  /** Speech-band energy of each frame in dB, for the trim. */
  private bandDb = new Float64Array(0);
  private scratch = new Float64Array(0);
  /** The pre-emphasised signal of the last call, zero-padded to what its frames cover. */
  private emphasised = new Float64Array(0);
  private readonly delta: Float64Array;
  /** Frames of the last call, and the trimmed range [start, end) used for features. */
  lastFrames = 0;
  lastTrim = { start: 0, end: 0 };

  constructor(readonly config: FeatureConfig) {
    validateFeatureConfig(config);
    const c = config;
    this.dimension = featureDimension(c);
    this.fft = new FFT(c.nFft);
    this.spectrum = new Float64Array(2 * c.nFft);
    this.window = hannWindow(c.frameLength);
    this.mel = melFilterbank(c.sampleRate, c.nFft, c.nMels, c.fMin, c.fMax);
    this.dct = dctMatrix(c.nMels, c.nMfcc);
    this.frame = new Float64Array(c.nFft);
    this.power = new Float64Array(this.mel.nBins);
    this.melEnergy = new Float64Array(c.nMels);
    const binHz = c.sampleRate / c.nFft;
    this.bandLo = Math.max(0, Math.round(c.trim.bandLowHz / binHz));
    this.bandHi = Math.min(this.mel.nBins - 1, Math.round(c.trim.bandHighHz / binHz));
    this.delta = new Float64Array(c.nMfcc);
    this.ensureCapacity(256);
  }

  private ensureCapacity(frames: number): void {
    if (frames <= this.capacity) return;
    const cap = Math.max(frames, this.capacity * 2);
    this.logMel = new Float64Array(cap * this.config.nMels);
    this.mfcc = new Float64Array(cap * this.config.nMfcc);
    this.bandDb = new Float64Array(cap);
    this.scratch = new Float64Array(cap);
    this.capacity = cap;
  }

  /** Computes log-mel, MFCC and band energy for every frame; returns the frame count. */
  analyze(samples: Float32Array): number {
    const c = this.config;
    const n = frameCount(samples.length, c.frameLength, c.hopLength);
    this.ensureCapacity(n);
    const { frame, power, melEnergy, window, dct, bandLo, bandHi, logMel, mfcc, spectrum } = this;
    const { weights, first, last, nBins } = this.mel;
    const floor = c.logFloor;
    const { frameLength, nMels, nMfcc } = c;
    const e = this.preEmphasize(samples, n);
    for (let f = 0; f < n; f++) {
      const start = f * c.hopLength;
      for (let i = 0; i < frameLength; i++) frame[i] = e[start + i]! * window[i]!;
      // frame[frameLength..nFft) stays zero: it is never written
      this.fft.realTransform(spectrum, frame);
      let band = 0;
      for (let k = 0; k < nBins; k++) {
        const re = spectrum[2 * k]!;
        const im = spectrum[2 * k + 1]!;
        const p = re * re + im * im;
        power[k] = p;
        if (k >= bandLo && k <= bandHi) band += p;
      }
      this.bandDb[f] = 10 * Math.log10(band + 1e-12);
      const lm = f * nMels;
      for (let m = 0; m < nMels; m++) {
        let s = 0;
        const row = m * nBins;
        for (let k = first[m]!; k <= last[m]!; k++) s += weights[row + k]! * power[k]!;
        melEnergy[m] = Math.log(s + floor);
        logMel[lm + m] = melEnergy[m]!;
      }
      const mc = f * nMfcc;
      for (let k = 0; k < nMfcc; k++) {
        let s = 0;
        const row = k * nMels;
        for (let m = 0; m < nMels; m++) s += dct[row + m]! * melEnergy[m]!;
        mfcc[mc + k] = s;
      }
    }
    this.lastFrames = n;
    return n;
  }

  /**
   * The pre-emphasised signal (x[j] − a·x[j−1], zero before and after the input) over the span
   * the n frames cover: computed once per call rather than once per frame a sample falls in.
   */
  private preEmphasize(samples: Float32Array, n: number): Float64Array {
    const c = this.config;
    const span = (n - 1) * c.hopLength + c.frameLength;
    if (this.emphasised.length < span) this.emphasised = new Float64Array(Math.max(span, 2 * this.emphasised.length));
    const e = this.emphasised;
    const a = c.preEmphasis;
    const len = Math.min(samples.length, span);
    if (len > 0) e[0] = samples[0]! - a * 0;
    for (let j = 1; j < len; j++) e[j] = samples[j]! - a * samples[j - 1]!;
    if (len < span) {
      e[len] = len > 0 ? 0 - a * samples[len - 1]! : 0;
      e.fill(0, len + 1, span);
    }
    return e;
  }

  /** Log-mel energies of frame f of the last `analyze`/`extract` call (a view, valid until the next call). */
  logMelFrame(f: number): Float64Array {
    const m = this.config.nMels;
    return this.logMel.subarray(f * m, (f + 1) * m);
  }

  /** Cepstra of frame f of the last call (a view, valid until the next call). */
  mfccFrame(f: number): Float64Array {
    const m = this.config.nMfcc;
    return this.mfcc.subarray(f * m, (f + 1) * m);
  }

  /**
   * The utterance feature vector of `samples` (at config.sampleRate). Writes into `out` when
   * given (length `dimension`), else into a new array.
   */
  extract(samples: Float32Array, out: Float64Array = new Float64Array(this.dimension), timings?: ExtractTimings): Float64Array {
    const c = this.config;
    const t0 = timings ? performance.now() : 0;
    const n = this.analyze(samples);
    const t1 = timings ? performance.now() : 0;
    let a = 0;
    let b = n;
    if (c.trim.enabled && n > 1) {
      const frameMs = (c.hopLength / c.sampleRate) * 1000;
      const r = trimFrames(this.bandDb.subarray(0, n), this.scratch, c.trim, frameMs);
      a = r.start;
      b = r.end;
    }
    this.lastTrim.start = a;
    this.lastTrim.end = b;
    const t2 = timings ? performance.now() : 0;
    this.pool(a, b, out);
    if (timings) {
      timings.trimMs = t2 - t1;
      timings.featuresMs = t1 - t0 + (performance.now() - t2);
    }
    return out;
  }

  private pool(a: number, b: number, out: Float64Array): void {
    const c = this.config;
    const d = c.nMfcc;
    const S = c.timeSegments;
    const len = b - a;
    const mfcc = this.mfcc;
    out.fill(0);
    for (let s = 0; s < S; s++) {
      let lo = a + Math.floor((s * len) / S);
      let hi = a + Math.floor(((s + 1) * len) / S);
      if (hi <= lo) {
        lo = a + Math.min(len - 1, Math.floor(((s + 0.5) * len) / S));
        hi = lo + 1;
      }
      const o = s * d;
      for (let f = lo; f < hi; f++) for (let k = 0; k < d; k++) out[o + k] += mfcc[f * d + k]!;
      const g = 1 / (hi - lo);
      for (let k = 0; k < d; k++) out[o + k] *= g;
    }
    const meanC = S * d;
    const stdC = meanC + d;
    const meanD = stdC + d;
    const stdD = meanD + d;
    const W = c.deltaWidth;
    let norm = 0;
    for (let k = 1; k <= W; k++) norm += 2 * k * k;
    const delta = this.delta;
    for (let f = a; f < b; f++) {
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let w = 1; w <= W; w++) {
          const fp = Math.min(b - 1, f + w);
          const fm = Math.max(a, f - w);
          s += w * (mfcc[fp * d + k]! - mfcc[fm * d + k]!);
        }
        delta[k] = s / norm;
        const v = mfcc[f * d + k]!;
        out[meanC + k] += v;
        out[stdC + k] += v * v;
        out[meanD + k] += delta[k]!;
        out[stdD + k] += delta[k]! * delta[k]!;
      }
    }
    for (let k = 0; k < d; k++) {
      const m = out[meanC + k]! / len;
      out[meanC + k] = m;
      out[stdC + k] = Math.sqrt(Math.max(0, out[stdC + k]! / len - m * m));
      const md = out[meanD + k]! / len;
      out[meanD + k] = md;
      out[stdD + k] = Math.sqrt(Math.max(0, out[stdD + k]! / len - md * md));
    }
  }
}
