import { type FeatureConfig, featureDimension, validateFeatureConfig } from "./feature-config.ts";
import { dctMatrix, hannWindow, melFilterbank } from "./mel-filterbank.ts";
import { trimFrames } from "./trim.ts";
import { plpTables } from "./lpc-cepstrum.ts";
import { Utterance } from "./utterance.ts";
import { type FeatureKernels, growMemory, instantiateKernels } from "../wasm/kernels.ts";

/** Where `analyse` spent its time, in ms (the voicing part is the classifier's). */
export interface AnalyseTimings {
  spectraMs: number;
  trimMs: number;
  voicingMs: number;
}

type MelBank = ReturnType<typeof melFilterbank>;

/** Frames of a signal of n samples: at least one (short inputs are zero-padded). */
export function frameCount(n: number, frameLength: number, hopLength: number): number {
  return n <= frameLength ? 1 : 1 + Math.floor((n - frameLength) / hopLength);
}

/** Byte offsets of the regions of the kernels' memory (see FeatureExtractor.memory). */
interface Layout {
  tw: number;
  post: number;
  rev: number;
  win: number;
  frame: number;
  buf: number;
  ownBank: number;
  ownRange: number;
  warpBank: number;
  warpRange: number;
  loud: number;
  cos: number;
  ratios: number;
  dct: number;
  tmp: number;
  out: number;
  band: number;
  power: number;
  logMel: number;
  cepstra: number;
  deltas: number;
  samples: number;
  emph: number;
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

/**
 * Turns one utterance (mono, at `config.sampleRate`) into a fixed-length feature vector, in two
 * steps that share nothing but what they return: `analyse` gives the power spectra and the trim
 * (an `Utterance`); `features` reads them through a mel filterbank, optionally warped (vocal-tract
 * length), into cepstra averaged over a grid of equal time segments (keeps time order), plus
 * the mean and std of the cepstra and of their deltas. `logMel`, `cepstra` and `fromLogMel` are
 * the stages of `features`, for training variants (band masks) and inspection.
 *
 * The arithmetic runs in the WebAssembly kernels (engine/wasm/kernels.wat, float64): the frames'
 * FFT and power (`spectra`), the filterbank (`melbands`), the log (`logfloor`, `raiseto`), the
 * cepstra (`plp` or the DCT by `matrows`) and the pooling (`pool`). Code compiled ahead needs no
 * JIT warm-up, which is most of a short batch's time in JavaScript. Tables are written once;
 * scratch is written and read within one call and grows only when a longer utterance than any
 * before arrives, so steady-state use allocates nothing.
 */
export class FeatureExtractor {
  readonly dimension: number;
  /**
   * The kernels' memory: fixed tables (FFT twiddles and bit reversal, window, filterbanks, PLP
   * and DCT tables) and small scratch first, then the regions that grow with the longest
   * utterance so far (band energies, power spectra, log-mel, cepstra, deltas, input samples).
   */
  private readonly kernels = instantiateKernels();
  private readonly memory = this.kernels.memory;
  private readonly k = this.kernels.exports as unknown as FeatureKernels;
  private readonly at: Layout;
  private f64 = new Float64Array(0);
  private f32 = new Float32Array(0);
  private i32 = new Int32Array(0);
  private frameCapacity = 0;
  private readonly melBanks = new Map<number, MelBank>();
  private readonly own: MelBank;
  private readonly nBins: number;
  private readonly bandLo: number;
  private readonly bandHi: number;
  /** Speech-band energy of each frame in dB, for the trim. */
  private bandDb = new Float64Array(0);
  private trimScratch = new Float64Array(0);

  constructor(readonly config: FeatureConfig) {
    validateFeatureConfig(config);
    const c = config;
    this.dimension = featureDimension(c);
    this.own = this.buildBank(1);
    this.nBins = this.own.nBins;
    const binHz = c.sampleRate / c.nFft;
    this.bandLo = Math.max(0, Math.round(c.trim.bandLowHz / binHz));
    this.bandHi = Math.min(this.nBins - 1, Math.round(c.trim.bandHighHz / binHz));
    this.at = this.fixedLayout();
    this.reserveFrames(256);
    this.writeTables();
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

  /** Places the fixed tables and scratch; the growing regions are placed by `reserveFrames`. */
  private fixedLayout(): Layout {
    const c = this.config;
    const m = c.nFft / 2;
    const bank = 8 * c.nMels * this.nBins;
    const order = c.lpcOrder ?? 0;
    const at = {} as Layout;
    let o = 0;
    const take = (bytes: number) => {
      const here = o;
      o = align16(o + bytes);
      return here;
    };
    at.tw = take(16 * (m - 4));
    at.post = take(16 * (m + 1));
    at.rev = take(4 * m);
    at.win = take(4 * c.frameLength);
    at.frame = take(32 * m);
    at.buf = take(32 * m);
    at.ownBank = take(bank);
    at.ownRange = take(8 * c.nMels);
    at.warpBank = take(bank);
    at.warpRange = take(8 * c.nMels);
    at.loud = take(8 * c.nMels);
    at.cos = take(8 * (order + 1) * (c.nMels + 2));
    at.ratios = take(8 * c.nCepstra * c.nCepstra);
    at.dct = take(8 * c.nCepstra * c.nMels);
    at.tmp = take(16 * (c.nMels + 2 + 3 * (order + 1) + c.nCepstra));
    at.out = take(8 * this.dimension);
    at.band = o;
    return at;
  }

  /** Writes the tables: FFT twiddles (each radix-2 stage after the first two, then the split's), bit reversal, window, filterbank, PLP or DCT. */
  private writeTables(): void {
    const c = this.config;
    const m = c.nFft / 2;
    const { at, f64 } = this;
    // float32, as the FFT that reads them
    const pair = (offset: number, angle: number) => {
      const re = Math.cos(angle);
      const im = -Math.sin(angle);
      this.f32.set([re, re, -im, im], offset / 4);
    };
    for (let half = 4, o = at.tw; half < m; o += 16 * half, half *= 2) for (let j = 0; j < half; j++) pair(o + 16 * j, (Math.PI * j) / half);
    for (let k = 0; k <= m; k++) pair(at.post + 16 * k, (Math.PI * k) / m);
    const bits = Math.log2(m);
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
      // byte offset of z[r] = frame[2r] + i·frame[2r + 1]
      this.i32[at.rev / 4 + i] = 32 * r;
    }
    this.f32.set(hannWindow(c.frameLength), at.win / 4);
    this.writeBank(this.own, at.ownBank, at.ownRange);
    if (c.lpcOrder) {
      const t = plpTables(this.own.centersHz, c.lpcOrder, c.nCepstra);
      f64.set(t.loudness, at.loud / 8);
      f64.set(t.cosines, at.cos / 8);
      f64.set(t.ratios, at.ratios / 8);
    } else {
      f64.set(dctMatrix(c.nMels, c.nCepstra), at.dct / 8);
    }
  }

  private writeBank(bank: MelBank, weights: number, range: number): void {
    this.f64.set(bank.weights, weights / 8);
    for (let b = 0; b < this.config.nMels; b++) {
      this.i32[range / 4 + 2 * b] = bank.first[b]!;
      this.i32[range / 4 + 2 * b + 1] = bank.last[b]!;
    }
  }

  /** Places the regions that grow with the frame count for `frames` frames (growing the memory), then remakes the views. */
  private reserveFrames(frames: number): void {
    if (frames <= this.frameCapacity) return;
    const c = this.config;
    const cap = Math.max(frames, 2 * this.frameCapacity);
    const at = this.at;
    at.power = align16(at.band + 8 * cap);
    at.logMel = align16(at.power + 8 * cap * this.nBins);
    at.cepstra = align16(at.logMel + 8 * cap * c.nMels);
    at.deltas = align16(at.cepstra + 8 * cap * c.nCepstra);
    at.samples = align16(at.deltas + 8 * cap * c.nCepstra);
    at.emph = align16(at.samples + 4 * ((cap - 1) * c.hopLength + c.frameLength + 1));
    const end = at.emph + 8 * ((cap - 1) * c.hopLength + c.frameLength + 1);
    growMemory(this.memory, end);
    const buffer = this.memory.buffer;
    this.f64 = new Float64Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.bandDb = new Float64Array(cap);
    this.trimScratch = new Float64Array(cap);
    this.frameCapacity = cap;
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
    this.reserveFrames(n);
    const { nBins, bandDb, at } = this;
    if (into.power.length < n * nBins) into.power = new Float64Array(Math.max(n * nBins, 2 * into.power.length));
    into.frames = n;
    into.bins = nBins;
    into.speech = true;
    into.pitchHz = 0;
    // The samples after a zero (x[−1]), zeros past the input up to the last frame's end.
    const span = (n - 1) * c.hopLength + c.frameLength;
    const x = at.samples / 4;
    const len = Math.min(samples.length, span);
    this.f32[x] = 0;
    this.f32.set(len === samples.length ? samples : samples.subarray(0, len), x + 1);
    this.f32.fill(0, x + 1 + len, x + 1 + span);
    this.k.spectra(
      at.samples + 4,
      n,
      c.hopLength,
      c.frameLength,
      c.preEmphasis,
      at.win,
      at.frame,
      at.rev,
      at.buf,
      at.tw,
      at.post,
      nBins - 1,
      at.power,
      at.band,
      this.bandLo,
      this.bandHi,
      at.emph,
    );
    into.power.set(this.f64.subarray(at.power / 8, at.power / 8 + n * nBins));
    const band = at.band / 8;
    for (let f = 0; f < n; f++) bandDb[f] = 10 * Math.log10(this.f64[band + f]! + 1e-12);
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
    this.logMelInPlace(u, warp, start, end);
    return this.poolInPlace(end - start, out);
  }

  /**
   * Log-mel energies (natural log) of frames [from, to) of `u` through the filterbank warped by
   * `warp`, (to − from) × nMels. With `dynamicRangeDb` set, values are first raised to at least
   * the loudest value of these frames minus that range.
   */
  logMel(u: Utterance, warp = 1, from = u.trim.start, to = u.trim.end, out = new Float64Array((to - from) * this.config.nMels)): Float64Array {
    this.logMelInPlace(u, warp, from, to);
    const at = this.at.logMel / 8;
    out.set(this.f64.subarray(at, at + (to - from) * this.config.nMels));
    return out;
  }

  /** `logMel` into the kernels' log-mel region. */
  private logMelInPlace(u: Utterance, warp: number, from: number, to: number): void {
    const c = this.config;
    const frames = to - from;
    this.reserveFrames(frames);
    const { at, nBins, k } = this;
    this.f64.set(u.power.subarray(from * nBins, to * nBins), at.power / 8);
    let weights = at.ownBank;
    let range = at.ownRange;
    if (warp !== 1) {
      this.writeBank(this.melBank(warp), at.warpBank, at.warpRange);
      weights = at.warpBank;
      range = at.warpRange;
    }
    k.melbands(at.power, frames, nBins, weights, range, c.nMels, at.logMel);
    const peak = k.logfloor(at.logMel, frames * c.nMels, c.logFloor);
    if (c.dynamicRangeDb !== undefined) k.raiseto(at.logMel, frames * c.nMels, peak - c.dynamicRangeDb / (10 / Math.LN10));
  }

  /** Cepstra (PLP or MFCC, as configured) of `frames` rows of log-mel: frames × nCepstra. */
  cepstra(logMel: Float64Array, frames: number, out = new Float64Array(frames * this.config.nCepstra)): Float64Array {
    this.reserveFrames(frames);
    this.f64.set(logMel.subarray(0, frames * this.config.nMels), this.at.logMel / 8);
    this.cepstraInPlace(frames);
    const at = this.at.cepstra / 8;
    out.set(this.f64.subarray(at, at + frames * this.config.nCepstra));
    return out;
  }

  private cepstraInPlace(frames: number): void {
    const c = this.config;
    const { at, k } = this;
    if (c.lpcOrder) k.plp(at.logMel, frames, c.nMels, at.loud, at.cos, c.lpcOrder, c.nCepstra, at.ratios, at.cepstra, at.tmp);
    else k.matrows(at.dct, at.logMel, frames, c.nCepstra, c.nMels, at.cepstra);
  }

  /** The utterance feature vector of `frames` rows of log-mel (see `logMel`), into `out`. */
  fromLogMel(logMel: Float64Array, frames: number, out: Float64Array = new Float64Array(this.dimension)): Float64Array {
    this.reserveFrames(frames);
    this.f64.set(logMel.subarray(0, frames * this.config.nMels), this.at.logMel / 8);
    return this.poolInPlace(frames, out);
  }

  /** Cepstra of the log-mel region's `frames` rows, pooled into the feature vector, copied to `out`. */
  private poolInPlace(frames: number, out: Float64Array): Float64Array {
    const c = this.config;
    const at = this.at;
    this.cepstraInPlace(frames);
    this.k.pool(at.cepstra, frames, c.nCepstra, c.timeSegments, c.deltaWidth, c.gridDeltas ? 1 : 0, at.out, at.deltas);
    out.set(this.f64.subarray(at.out / 8, at.out / 8 + this.dimension));
    return out;
  }
}
