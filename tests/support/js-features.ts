/**
 * The feature pipeline as it was in JavaScript before its loops moved to the WebAssembly kernels
 * (fft.js for the FFT, the filterbank, log, PLP or DCT cepstra and pooling as plain loops): the
 * oracle tests/features.test.ts holds the kernels to. Not used by the app.
 */
import { type FeatureConfig, featureDimension, validateFeatureConfig } from "../../engine/features/feature-config.ts";
import { dctMatrix, hannWindow, melFilterbank } from "../../engine/features/mel-filterbank.ts";
import { equalLoudness } from "../../engine/features/lpc-cepstrum.ts";
import FFT from "fft.js";
import { trimFrames } from "../../engine/features/trim.ts";
import { Utterance } from "../../engine/features/utterance.ts";

/** Where `analyse` spent its time, in ms (the voicing part is the classifier's). */
interface AnalyseTimings {
  spectraMs: number;
  trimMs: number;
  voicingMs: number;
}

type MelBank = ReturnType<typeof melFilterbank>;

/** Frames of a signal of n samples: at least one (short inputs are zero-padded). */
function frameCount(n: number, frameLength: number, hopLength: number): number {
  return n <= frameLength ? 1 : 1 + Math.floor((n - frameLength) / hopLength);
}

/**
 * Turns one utterance (mono, at `config.sampleRate`) into a fixed-length feature vector, in two
 * steps that share nothing but what they return: `analyse` gives the power spectra and the trim
 * (an `Utterance`); `features` reads them through a mel filterbank, optionally warped (vocal-tract
 * length), into cepstra averaged over a grid of equal time segments (keeps time order), plus
 * the mean and std of the cepstra and of their deltas. `logMel`, `cepstra` and `fromLogMel` are
 * the stages of `features`, for training variants (band masks) and inspection.
 *
 * Tables are built once. Scratch buffers (the pre-emphasised signal, log-mel, cepstra, deltas)
 * are written and read within one call and grow only when a longer utterance than any before
 * arrives, so steady-state use allocates nothing.
 */
export class JsFeatureExtractor {
  readonly dimension: number;
  private readonly fft: FFT;
  /** fft.js output: interleaved re/im of bins 0..nFft/2 (it fills only that half). */
  private readonly spectrum: Float64Array;
  private readonly window: Float64Array;
  private readonly melBanks = new Map<number, MelBank>();
  private readonly own: MelBank;
  private readonly dct: Float64Array;
  private readonly lpc: JsLpcCepstrum | undefined;
  private readonly frame: Float64Array;
  private readonly nBins: number;
  private readonly bandLo: number;
  private readonly bandHi: number;
  private capacity = 0;
  private logMelScratch = new Float64Array(0);
  private cepstraScratch = new Float64Array(0);
  private deltas = new Float64Array(0);
  /** Speech-band energy of each frame in dB, for the trim. */
  private bandDb = new Float64Array(0);
  private trimScratch = new Float64Array(0);
  private emphasised = new Float64Array(0);

  constructor(readonly config: FeatureConfig) {
    validateFeatureConfig(config);
    const c = config;
    this.dimension = featureDimension(c);
    this.fft = new FFT(c.nFft);
    this.spectrum = new Float64Array(2 * c.nFft);
    this.window = hannWindow(c.frameLength);
    this.own = this.buildBank(1);
    this.nBins = this.own.nBins;
    this.dct = dctMatrix(c.nMels, c.nCepstra);
    this.lpc = c.lpcOrder ? new JsLpcCepstrum(this.own.centersHz, c.lpcOrder, c.nCepstra) : undefined;
    this.frame = new Float64Array(c.nFft);
    const binHz = c.sampleRate / c.nFft;
    this.bandLo = Math.max(0, Math.round(c.trim.bandLowHz / binHz));
    this.bandHi = Math.min(this.nBins - 1, Math.round(c.trim.bandHighHz / binHz));
    this.ensureCapacity(256);
  }

  /** The mel filterbank warped by `warp` (1: the model's own), built once per warp. */
  private melBank(warp: number): MelBank {
    if (warp === 1) return this.own;
    let bank = this.melBanks.get(warp);
    if (!bank) {
      // Training draws a fresh warp per copy: the cache is bounded.
      if (this.melBanks.size >= 256) this.melBanks.clear();
      bank = this.buildBank(warp);
      this.melBanks.set(warp, bank);
    }
    return bank;
  }

  private buildBank(warp: number): MelBank {
    const c = this.config;
    return melFilterbank(c.sampleRate, c.nFft, c.nMels, c.fMin, c.fMax, warp);
  }

  private ensureCapacity(frames: number): void {
    if (frames <= this.capacity) return;
    const cap = Math.max(frames, this.capacity * 2);
    this.logMelScratch = new Float64Array(cap * this.config.nMels);
    this.cepstraScratch = new Float64Array(cap * this.config.nCepstra);
    this.deltas = new Float64Array(cap * this.config.nCepstra);
    this.bandDb = new Float64Array(cap);
    this.trimScratch = new Float64Array(cap);
    this.capacity = cap;
  }

  /**
   * Power spectra of every frame of `samples` (at config.sampleRate) and the frames the trim
   * keeps. Refills `into` when given (growing its arrays when needed), else a new Utterance;
   * the voicing fields are left for the classifier (speech true, pitch 0).
   */
  analyse(samples: Float32Array, into: Utterance = new Utterance(), timings?: AnalyseTimings): Utterance {
    const t0 = timings ? performance.now() : 0;
    const c = this.config;
    const n = frameCount(samples.length, c.frameLength, c.hopLength);
    this.ensureCapacity(n);
    const { frame, window, nBins, bandLo, bandHi, spectrum, bandDb } = this;
    if (into.power.length < n * nBins) into.power = new Float64Array(Math.max(n * nBins, 2 * into.power.length));
    into.frames = n;
    into.bins = nBins;
    into.speech = true;
    into.pitchHz = 0;
    const power = into.power;
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
      bandDb[f] = 10 * Math.log10(band + 1e-12);
    }
    const t1 = timings ? performance.now() : 0;
    let a = 0;
    let b = n;
    if (c.trim.enabled && n > 1) {
      const frameMs = (c.hopLength / c.sampleRate) * 1000;
      const r = trimFrames(bandDb.subarray(0, n), this.trimScratch, c.trim, frameMs);
      a = r.start;
      b = r.end;
    }
    into.trim.start = a;
    into.trim.end = b;
    if (timings) {
      timings.spectraMs = t1 - t0;
      timings.trimMs = performance.now() - t1;
    }
    return into;
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

  /** `analyse` then `features` in one call, on a fresh Utterance (for tests and tools; the engine reuses one). */
  extract(samples: Float32Array, warp = 1, out: Float64Array = new Float64Array(this.dimension)): Float64Array {
    return this.features(this.analyse(samples), warp, out);
  }

  /**
   * The utterance feature vector of `u` seen through the mel filterbank warped by `warp` (see
   * `warpFrequency`; 1 is the model's own). Writes into `out` when given (length `dimension`).
   */
  features(u: Utterance, warp = 1, out: Float64Array = new Float64Array(this.dimension)): Float64Array {
    const { start, end } = u.trim;
    this.ensureCapacity(end - start);
    this.logMel(u, warp, start, end, this.logMelScratch);
    return this.fromLogMel(this.logMelScratch, end - start, out);
  }

  /**
   * Log-mel energies (natural log) of frames [from, to) of `u` through the filterbank warped by
   * `warp`, (to − from) × nMels. With `dynamicRangeDb` set, values are first raised to at least
   * the loudest value of these frames minus that range.
   */
  logMel(u: Utterance, warp = 1, from = u.trim.start, to = u.trim.end, out = new Float64Array((to - from) * this.config.nMels)): Float64Array {
    const c = this.config;
    const { nBins } = this;
    const power = u.power;
    const { weights, first, last } = this.melBank(warp);
    const floor = c.logFloor;
    const nMels = c.nMels;
    let peak = -Infinity;
    for (let f = from; f < to; f++) {
      const pr = f * nBins;
      const lm = (f - from) * nMels;
      for (let m = 0; m < nMels; m++) {
        let s = 0;
        const row = m * nBins;
        for (let k = first[m]!; k <= last[m]!; k++) s += weights[row + k]! * power[pr + k]!;
        const v = Math.log(s + floor);
        out[lm + m] = v;
        if (v > peak) peak = v;
      }
    }
    if (c.dynamicRangeDb !== undefined) {
      const lowest = peak - c.dynamicRangeDb / (10 / Math.LN10);
      for (let i = 0; i < (to - from) * nMels; i++) if (out[i]! < lowest) out[i] = lowest;
    }
    return out;
  }

  /** Cepstra (PLP or MFCC, as configured) of `frames` rows of log-mel: frames × nCepstra. */
  cepstra(logMel: Float64Array, frames: number, out = new Float64Array(frames * this.config.nCepstra)): Float64Array {
    const { nMels, nCepstra } = this.config;
    if (this.lpc) {
      for (let f = 0; f < frames; f++) this.lpc.transform(logMel, f * nMels, out, f * nCepstra);
      return out;
    }
    const dct = this.dct;
    for (let f = 0; f < frames; f++) {
      const lm = f * nMels;
      const mc = f * nCepstra;
      for (let k = 0; k < nCepstra; k++) {
        let s = 0;
        const row = k * nMels;
        for (let m = 0; m < nMels; m++) s += dct[row + m]! * logMel[lm + m]!;
        out[mc + k] = s;
      }
    }
    return out;
  }

  /** The utterance feature vector of `frames` rows of log-mel (see `logMel`), into `out`. */
  fromLogMel(logMel: Float64Array, frames: number, out: Float64Array = new Float64Array(this.dimension)): Float64Array {
    this.ensureCapacity(frames);
    this.cepstra(logMel, frames, this.cepstraScratch);
    this.pool(this.cepstraScratch, frames, out);
    return out;
  }

  /** Averages frames [0, len) of `src` (frames × d) over the time grid into out[offset …]. */
  private gridPool(src: Float64Array, len: number, out: Float64Array, offset: number): void {
    const c = this.config;
    const d = c.nCepstra;
    const S = c.timeSegments;
    for (let s = 0; s < S; s++) {
      let lo = Math.floor((s * len) / S);
      let hi = Math.floor(((s + 1) * len) / S);
      if (hi <= lo) {
        lo = Math.min(len - 1, Math.floor(((s + 0.5) * len) / S));
        hi = lo + 1;
      }
      const o = offset + s * d;
      for (let k = 0; k < d; k++) out[o + k] = 0;
      for (let f = lo; f < hi; f++) for (let k = 0; k < d; k++) out[o + k] += src[f * d + k]!;
      const g = 1 / (hi - lo);
      for (let k = 0; k < d; k++) out[o + k] *= g;
    }
  }

  /** The feature vector of `len` frames of cepstra. */
  private pool(cepstra: Float64Array, len: number, out: Float64Array): void {
    const c = this.config;
    const d = c.nCepstra;
    const S = c.timeSegments;
    const deltas = this.deltas;
    out.fill(0);
    this.gridPool(cepstra, len, out, 0);
    const meanC = S * d;
    const stdC = meanC + d;
    const meanD = stdC + d;
    const stdD = meanD + d;
    const W = c.deltaWidth;
    let norm = 0;
    for (let k = 1; k <= W; k++) norm += 2 * k * k;
    for (let f = 0; f < len; f++) {
      for (let k = 0; k < d; k++) {
        let s = 0;
        for (let w = 1; w <= W; w++) {
          const fp = Math.min(len - 1, f + w);
          const fm = Math.max(0, f - w);
          s += w * (cepstra[fp * d + k]! - cepstra[fm * d + k]!);
        }
        const delta = s / norm;
        deltas[f * d + k] = delta;
        const v = cepstra[f * d + k]!;
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
    if (c.gridDeltas) this.gridPool(deltas, len, out, stdD + d);
  }
}

class JsLpcCepstrum {
  private readonly nBands: number;
  /** ln(equal-loudness weight) / 3 for each band: added to log power / 3 before exp. */
  private readonly loudness: Float64Array;
  /** cos(π·k·m/(M+1)) for lags k ≤ order and points m = 0..M+1 of the extended spectrum. */
  private readonly cosines: Float64Array;
  private readonly points: Float64Array;
  private readonly r: Float64Array;
  private readonly a: Float64Array;
  private readonly prev: Float64Array;

  constructor(
    bandCentersHz: Float64Array,
    readonly order: number,
    readonly nCeps: number,
  ) {
    const M = bandCentersHz.length;
    this.nBands = M;
    this.loudness = Float64Array.from(bandCentersHz, (hz) => Math.log(equalLoudness(hz)) / 3);
    this.cosines = new Float64Array((order + 1) * (M + 2));
    for (let k = 0; k <= order; k++) for (let m = 0; m < M + 2; m++) this.cosines[k * (M + 2) + m] = Math.cos((Math.PI * k * m) / (M + 1));
    this.points = new Float64Array(M + 2);
    this.r = new Float64Array(order + 1);
    this.a = new Float64Array(order + 1);
    this.prev = new Float64Array(order + 1);
  }

  /** Cepstra c0…c(nCeps−1) of the natural-log band powers logBand[from … from+nBands) into out[to …]. */
  transform(logBand: Float64Array, from: number, out: Float64Array, to: number): void {
    const M = this.nBands;
    const { points, cosines, r, a, prev, order } = this;
    for (let m = 0; m < M; m++) points[m + 1] = Math.exp(logBand[from + m]! / 3 + this.loudness[m]!);
    // The spectrum's ends (0 Hz and Nyquist) repeat the outer bands, as in PLP.
    points[0] = points[1]!;
    points[M + 1] = points[M]!;
    const width = M + 2;
    for (let k = 0; k <= order; k++) {
      const row = k * width;
      let s = 0.5 * (points[0]! + cosines[row + M + 1]! * points[M + 1]!);
      for (let m = 1; m <= M; m++) s += cosines[row + m]! * points[m]!;
      r[k] = s / (M + 1);
    }
    let error = r[0]!;
    if (!(error > 0)) {
      for (let n = 0; n < this.nCeps; n++) out[to + n] = 0;
      return;
    }
    a.fill(0);
    a[0] = 1;
    for (let i = 1; i <= order; i++) {
      let acc = r[i]!;
      for (let j = 1; j < i; j++) acc += a[j]! * r[i - j]!;
      const k = -acc / error;
      prev.set(a);
      for (let j = 1; j < i; j++) a[j] = prev[j]! + k * prev[i - j]!;
      a[i] = k;
      error *= Math.max(1e-9, 1 - k * k);
    }
    // Cepstrum of the model spectrum error/|A|²: c0 = ln(error); c_n by the usual recursion.
    out[to] = Math.log(error);
    for (let n = 1; n < this.nCeps; n++) {
      let c = n <= order ? -a[n]! : 0;
      for (let k = 1; k < n; k++) if (n - k <= order) c -= (k / n) * out[to + k]! * a[n - k]!;
      out[to + n] = c;
    }
  }
}
