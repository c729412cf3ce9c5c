import { type FeatureConfig, featureDimension, validateFeatureConfig } from "./feature-config.ts";
import { dctMatrix, hannWindow, melFilterbank } from "./mel-filterbank.ts";
import FFT from "fft.js";
import { trimFrames } from "./trim.ts";
import { LpcCepstrum } from "./lpc-cepstrum.ts";

/** Where `extract` spent its time, in ms: the trim apart from the rest of the features. */
export interface ExtractTimings {
  trimMs: number;
  featuresMs: number;
}

type MelBank = ReturnType<typeof melFilterbank>;

/** Frames of a signal of n samples: at least one (short inputs are zero-padded). */
export function frameCount(n: number, frameLength: number, hopLength: number): number {
  return n <= frameLength ? 1 : 1 + Math.floor((n - frameLength) / hopLength);
}

/** A run of `width` mel bands at `position` (0-1 across the bands) to flatten: a training augmentation. */
export interface BandMask {
  position: number;
  width: number;
}

/**
 * Turns one utterance (mono, at `config.sampleRate`) into a fixed-length feature vector:
 * MFCC averaged over a grid of equal time segments (keeps time order), plus the mean and std
 * of MFCC and of their deltas. Tables are built once; per-call buffers grow only when a longer
 * utterance than any before arrives, so steady-state use allocates nothing.
 *
 * Training can view the same analysed signal through warped mel filterbanks (vocal-tract-length
 * perturbation): `extractWarped` runs the FFT once and the mel stage once per warp.
 */
export class FeatureExtractor {
  readonly dimension: number;
  private readonly fft: FFT;
  /** fft.js output: interleaved re/im of bins 0..nFft/2 (it fills only that half). */
  private readonly spectrum: Float64Array;
  private readonly window: Float64Array;
  private mel: MelBank;
  private readonly own: MelBank;
  private readonly melBanks = new Map<number, MelBank>();
  private readonly dct: Float64Array;
  private readonly lpc: LpcCepstrum | undefined;
  private readonly frame: Float64Array;
  private readonly nBins: number;
  private readonly bandLo: number;
  private readonly bandHi: number;
  private capacity = 0;
  /** frames × nBins power spectra of the last call. */
  private power = new Float64Array(0);
  /** frames × nMels log-mel energies (natural log) of the last call. */
  private logMel = new Float64Array(0);
  /** frames × nMfcc cepstra of the last call. */
  private mfcc = new Float64Array(0);
  /** Speech-band energy of each frame in dB, for the trim. */
  private bandDb = new Float64Array(0);
  private scratch = new Float64Array(0);
  /** The pre-emphasised signal of the last call, zero-padded to what its frames cover. */
  private emphasised = new Float64Array(0);
  /** frames × nMfcc deltas of the trimmed frames of the last call. */
  private deltas = new Float64Array(0);
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
    this.mel = this.melBank(1);
    this.own = this.mel;
    this.nBins = this.mel.nBins;
    this.dct = dctMatrix(c.nMels, c.nMfcc);
    this.lpc = c.lpcOrder ? new LpcCepstrum(this.own.centersHz, c.lpcOrder, c.nMfcc) : undefined;
    this.frame = new Float64Array(c.nFft);
    const binHz = c.sampleRate / c.nFft;
    this.bandLo = Math.max(0, Math.round(c.trim.bandLowHz / binHz));
    this.bandHi = Math.min(this.nBins - 1, Math.round(c.trim.bandHighHz / binHz));
    this.ensureCapacity(256);
  }

  private melBank(warp: number): MelBank {
    let bank = this.melBanks.get(warp);
    if (!bank) {
      if (this.melBanks.size >= 256) this.melBanks.clear();
      const c = this.config;
      bank = melFilterbank(c.sampleRate, c.nFft, c.nMels, c.fMin, c.fMax, warp);
      this.melBanks.set(warp, bank);
    }
    return bank;
  }

  private ensureCapacity(frames: number): void {
    if (frames <= this.capacity) return;
    const cap = Math.max(frames, this.capacity * 2);
    this.power = new Float64Array(cap * (this.config.nFft / 2 + 1));
    this.logMel = new Float64Array(cap * this.config.nMels);
    this.mfcc = new Float64Array(cap * this.config.nMfcc);
    this.deltas = new Float64Array(cap * this.config.nMfcc);
    this.bandDb = new Float64Array(cap);
    this.scratch = new Float64Array(cap);
    this.capacity = cap;
  }

  /** Computes power spectra, band energy, log-mel and MFCC for every frame; returns the frame count. */
  analyze(samples: Float32Array): number {
    const n = this.spectra(samples);
    this.melStage(0, n);
    return n;
  }

  /** Power spectra and speech-band energy of every frame; returns the frame count. */
  private spectra(samples: Float32Array): number {
    const c = this.config;
    const n = frameCount(samples.length, c.frameLength, c.hopLength);
    this.ensureCapacity(n);
    const { frame, window, power, nBins, bandLo, bandHi, spectrum } = this;
    const frameLength = c.frameLength;
    const e = this.preEmphasize(samples, n);
    for (let f = 0; f < n; f++) {
      const start = f * c.hopLength;
      for (let i = 0; i < frameLength; i++) frame[i] = e[start + i]! * window[i]!;
      // frame[frameLength..nFft) stays zero: it is never written
      const row = f * nBins;
      this.fft.realTransform(spectrum, frame);
      let band = 0;
      for (let k = 0; k < nBins; k++) {
        const re = spectrum[2 * k]!;
        const im = spectrum[2 * k + 1]!;
        const p = re * re + im * im;
        power[row + k] = p;
        if (k >= bandLo && k <= bandHi) band += p;
      }
      this.bandDb[f] = 10 * Math.log10(band + 1e-12);
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

  /**
   * Log-mel and MFCC of frames [from, to) from the stored power spectra, through the current
   * filterbank. With `dynamicRangeDb` set, log-mel values are first raised to at least the
   * loudest value of these frames minus that range.
   */
  private melStage(from: number, to: number, mask?: BandMask): void {
    const c = this.config;
    const { power, dct, nBins, logMel } = this;
    const { weights, first, last } = this.mel;
    const floor = c.logFloor;
    const nMels = c.nMels;
    let peak = -Infinity;
    for (let f = from; f < to; f++) {
      const pr = f * nBins;
      const lm = f * nMels;
      for (let m = 0; m < nMels; m++) {
        let s = 0;
        const row = m * nBins;
        for (let k = first[m]!; k <= last[m]!; k++) s += weights[row + k]! * power[pr + k]!;
        const v = Math.log(s + floor);
        logMel[lm + m] = v;
        if (v > peak) peak = v;
      }
    }
    if (c.dynamicRangeDb !== undefined) {
      const lowest = peak - c.dynamicRangeDb / (10 / Math.LN10);
      for (let i = from * nMels; i < to * nMels; i++) if (logMel[i]! < lowest) logMel[i] = lowest;
    }
    if (mask) this.flattenBands(from, to, mask);
    if (this.lpc) {
      for (let f = from; f < to; f++) this.lpc.transform(logMel, f * nMels, this.mfcc, f * c.nMfcc);
      return;
    }
    for (let f = from; f < to; f++) {
      const lm = f * nMels;
      const mc = f * c.nMfcc;
      for (let k = 0; k < c.nMfcc; k++) {
        let s = 0;
        const row = k * nMels;
        for (let m = 0; m < nMels; m++) s += dct[row + m]! * logMel[lm + m]!;
        this.mfcc[mc + k] = s;
      }
    }
  }

  /** Sets the masked bands of frames [from, to) to the mean of each frame's other bands. */
  private flattenBands(from: number, to: number, mask: BandMask): void {
    const nMels = this.config.nMels;
    const width = Math.min(mask.width, nMels - 1);
    const a = Math.min(nMels - width, Math.floor(mask.position * (nMels - width + 1)));
    const b = a + width;
    for (let f = from; f < to; f++) {
      const lm = f * nMels;
      let s = 0;
      for (let m = 0; m < nMels; m++) if (m < a || m >= b) s += this.logMel[lm + m]!;
      const mean = s / (nMels - width);
      for (let m = a; m < b; m++) this.logMel[lm + m] = mean;
    }
  }

  /**
   * Log-mel energies of frame f of the last call (a view, valid until the next call). After
   * `analyze` every frame has them; after `extract` only the trimmed frames (`lastTrim`).
   */
  logMelFrame(f: number): Float64Array {
    const m = this.config.nMels;
    return this.logMel.subarray(f * m, (f + 1) * m);
  }

  /** Power spectrum (bins 0..nFft/2) of frame f of the last call (a view, valid until the next call). */
  powerFrame(f: number): Float64Array {
    const bins = this.config.nFft / 2 + 1;
    return this.power.subarray(f * bins, (f + 1) * bins);
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
    const t0 = timings ? performance.now() : 0;
    const n = this.spectra(samples);
    const t1 = timings ? performance.now() : 0;
    this.trim(n);
    const t2 = timings ? performance.now() : 0;
    const { start, end } = this.lastTrim;
    this.melStage(start, end);
    this.pool(start, end, out);
    if (timings) {
      timings.trimMs = t2 - t1;
      timings.featuresMs = t1 - t0 + (performance.now() - t2);
    }
    return out;
  }

  /**
   * Feature vectors of one signal seen through mel filterbanks warped by each factor in `warps`
   * (see `warpFrequency`; 1 gives exactly `extract`). One FFT pass and one trim serve all warps.
   */
  extractWarped(samples: Float32Array, warps: readonly number[], outs: Float64Array[], mask?: BandMask): Float64Array[] {
    this.trim(this.spectra(samples));
    for (let w = 0; w < warps.length; w++) this.rewarp(warps[w]!, outs[w]!, mask);
    return outs;
  }

  /**
   * The feature vector of the signal of the last `extract` (or `extractWarped`) call seen through
   * a mel filterbank warped by `warp`, from its stored spectra and trim: no FFT is repeated. The
   * extractor's own filterbank is restored afterwards.
   */
  rewarp(warp: number, out: Float64Array, mask?: BandMask): Float64Array {
    const { start, end } = this.lastTrim;
    this.mel = warp === 1 ? this.own : this.melBank(warp);
    this.melStage(start, end, mask);
    this.pool(start, end, out);
    this.mel = this.own;
    return out;
  }

  private trim(n: number): void {
    const c = this.config;
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
  }

  /** Averages frames [a, b) of `src` (frames × d) over the time grid into out[offset …]. */
  private gridPool(src: Float64Array, a: number, b: number, out: Float64Array, offset: number): void {
    const c = this.config;
    const d = c.nMfcc;
    const S = c.timeSegments;
    const len = b - a;
    for (let s = 0; s < S; s++) {
      let lo = a + Math.floor((s * len) / S);
      let hi = a + Math.floor(((s + 1) * len) / S);
      if (hi <= lo) {
        lo = a + Math.min(len - 1, Math.floor(((s + 0.5) * len) / S));
        hi = lo + 1;
      }
      const o = offset + s * d;
      for (let k = 0; k < d; k++) out[o + k] = 0;
      for (let f = lo; f < hi; f++) for (let k = 0; k < d; k++) out[o + k] += src[f * d + k]!;
      const g = 1 / (hi - lo);
      for (let k = 0; k < d; k++) out[o + k] *= g;
    }
  }

  private pool(a: number, b: number, out: Float64Array): void {
    const c = this.config;
    const d = c.nMfcc;
    const S = c.timeSegments;
    const len = b - a;
    const { mfcc, deltas } = this;
    out.fill(0);
    this.gridPool(mfcc, a, b, out, 0);
    const meanC = S * d;
    const stdC = meanC + d;
    const meanD = stdC + d;
    const stdD = meanD + d;
    const W = c.deltaWidth;
    let norm = 0;
    for (let k = 1; k <= W; k++) norm += 2 * k * k;
    for (let f = a; f < b; f++) {
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let w = 1; w <= W; w++) {
          const fp = Math.min(b - 1, f + w);
          const fm = Math.max(a, f - w);
          s += w * (mfcc[fp * d + k]! - mfcc[fm * d + k]!);
        }
        const delta = s / norm;
        deltas[f * d + k] = delta;
        const v = mfcc[f * d + k]!;
        out[meanC + k] += v;
        out[stdC + k] += v * v;
        out[meanD + k] += delta;
        out[stdD + k] += delta * delta;
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
    if (c.gridDeltas) this.gridPool(deltas, a, b, out, stdD + d);
  }
}
