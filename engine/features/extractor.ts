import FFT from "fft.js";
import { type FeatureConfig, featureDimension, validateFeatureConfig } from "./feature-config.ts";
import { dctMatrix, hannWindow, melFilterbank } from "./mel-filterbank.ts";
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
  private readonly window: Float64Array;
  private readonly mel: ReturnType<typeof melFilterbank>;
  private readonly dct: Float64Array;
  private readonly frame: Float64Array;
  private readonly spectrum: Float64Array;
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
  private readonly delta: Float64Array;
  /** Frames of the last call, and the trimmed range [start, end) used for features. */
  lastFrames = 0;
  lastTrim = { start: 0, end: 0 };

  constructor(readonly config: FeatureConfig) {
    validateFeatureConfig(config);
    const c = config;
    this.dimension = featureDimension(c);
    this.fft = new FFT(c.nFft);
    this.window = hannWindow(c.frameLength);
    this.mel = melFilterbank(c.sampleRate, c.nFft, c.nMels, c.fMin, c.fMax);
    this.dct = dctMatrix(c.nMels, c.nMfcc);
    this.frame = new Float64Array(c.nFft);
    this.spectrum = new Float64Array(2 * c.nFft);
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
    const { frame, spectrum, power, melEnergy, window, dct } = this;
    const { weights, first, last, nBins } = this.mel;
    const a = c.preEmphasis;
    const floor = c.logFloor;
    for (let f = 0; f < n; f++) {
      const start = f * c.hopLength;
      for (let i = 0; i < c.frameLength; i++) {
        const j = start + i;
        const x = j < samples.length ? samples[j]! : 0;
        const prev = j > 0 && j - 1 < samples.length ? samples[j - 1]! : 0;
        frame[i] = (x - a * prev) * window[i]!;
      }
      // frame[frameLength..nFft) stays zero: it is never written
      this.fft.realTransform(spectrum, frame);
      let band = 0;
      for (let k = 0; k < nBins; k++) {
        const re = spectrum[2 * k]!;
        const im = spectrum[2 * k + 1]!;
        const p = re * re + im * im;
        power[k] = p;
        if (k >= this.bandLo && k <= this.bandHi) band += p;
      }
      this.bandDb[f] = 10 * Math.log10(band + 1e-12);
      const lm = f * c.nMels;
      for (let m = 0; m < c.nMels; m++) {
        let s = 0;
        const row = m * nBins;
        for (let k = first[m]!; k <= last[m]!; k++) s += weights[row + k]! * power[k]!;
        melEnergy[m] = Math.log(s + floor);
        this.logMel[lm + m] = melEnergy[m]!;
      }
      const mc = f * c.nMfcc;
      for (let k = 0; k < c.nMfcc; k++) {
        let s = 0;
        const row = k * c.nMels;
        for (let m = 0; m < c.nMels; m++) s += dct[row + m]! * melEnergy[m]!;
        this.mfcc[mc + k] = s;
      }
    }
    this.lastFrames = n;
    return n;
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
