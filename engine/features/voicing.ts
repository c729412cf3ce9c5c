import { type VoicingKernels, growMemory, instantiateKernels } from "../wasm/kernels.ts";
import type { Utterance } from "./utterance.ts";
import { passFilter } from "../dsp/biquad.ts";

/**
 * Evidence that an utterance holds voiced speech: every digit from "zero" to "nine" has a vowel,
 * so a segment with no stretch of periodic, harmonic-rich sound (clicks, knocks, bursts, breaths,
 * beeps and whistles) is not a digit, however confident the classifier is.
 *
 * A frame counts as voiced when the normalised cross-correlation of the band below 1.8 kHz
 * (decimated to 4 kHz; a narrower band makes breath noise look periodic) peaks above
 * `minCorrelation` at a lag of 2.5-16 ms (62-400 Hz), the frame is within `relativeDb` of the
 * loudest one, and its spectrum is not a tone's or a resonance's (see `tonal`).
 */
export interface VoicingConfig {
  /** Voiced speech needed to accept an utterance, in ms (0 turns the check off). */
  minVoicedMs: number;
  minCorrelation: number;
  maxPeakiness: number;
  /** Least share of a voiced frame's power above 1 kHz, in dB (a vowel's formants put some there; a knock does not). */
  minHighDb: number;
  relativeDb: number;
}

export const DEFAULT_VOICING: VoicingConfig = { minVoicedMs: 40, minCorrelation: 0.4, maxPeakiness: 0.8, minHighDb: -35, relativeDb: 30 };

const LOW_RATE = 4000;
const LOWPASS_HZ = 1800;
/** Inputs (per decimation factor) each of `decimate4`'s segments runs before its own part: its state then matches its neighbour's. */
const WARM_PER_FACTOR = 64;
const WINDOW_S = 0.032;
const MIN_LAG_S = 0.0025;
const MAX_LAG_S = 0.016;
/**
 * Pitch: frames measured; how far below the loudest frame they may be (the vowel: in noise,
 * quieter frames are noise, and low-passed noise looks periodic); the correlation they need;
 * how many must agree to give a pitch at all.
 */
const PITCH_FRAMES = 12;
const PITCH_RELATIVE_DB = 8;
const PITCH_MIN_CORRELATION = 0.6;
const PITCH_MIN_FRAMES = 2;

/**
 * The voiced-speech check and the pitch estimate, both read from one analysis of an utterance
 * (`measure`): its trimmed frames low-passed to 1.8 kHz and decimated to 4 kHz (the `decimate`
 * WebAssembly kernel), whose normalised cross-correlation at every lag of a frame comes from the
 * `periodicity` kernel. The decimated band and the correlations are scratch, written and read
 * within one `measure`.
 */
export class VoicingDetector {
  private readonly factor: number;
  private readonly hopLow: number;
  private readonly window: number;
  private readonly minLag: number;
  private readonly maxLag: number;
  private readonly minFrames: number;
  private readonly peakLo: number;
  private readonly peakHi: number;
  private readonly b0: number;
  private readonly b1: number;
  private readonly a1: number;
  private readonly a2: number;
  private readonly deEmphasis: Float64Array;
  private readonly highFrom: number;
  private readonly minHighShare: number;
  /**
   * The kernels' memory: the dot products of `lagdots` (float32) at byte 0, the correlations
   * (float64) at `corrAt`, the best lag at `bestAt`, then the input samples (float32), the low
   * band (float32) and its prefix energies (float64), which grow with the longest span so far.
   */
  private readonly kernels = instantiateKernels();
  private readonly memory = this.kernels.memory;
  private readonly k = this.kernels.exports as unknown as VoicingKernels;
  private readonly corrAt: number;
  private readonly bestAt: number;
  /** Where the input samples start, after `warm` zero samples (see decimate4 in kernels.wat). */
  private readonly inputAt: number;
  private readonly warm: number;
  private lowAt = 0;
  private energyAt = 0;
  private lowCapacity = 0;
  private f32 = new Float32Array(0);
  private f64 = new Float64Array(0);
  private frameEnergy = new Float64Array(0);
  /** The span of the last `analyse`: its first frame, frame count, decimated length, loudest frame energy. */
  private spanStart = 0;
  private spanFrames = 0;
  private lowLength = 0;
  private loudest = 0;
  /** Lag (in low-rate samples, interpolated) of the last `periodicity` peak. */
  private bestLag = 0;
  private readonly lowRate: number;
  /** Pitch of each frame `pitchHz` measured. */
  private readonly pitches = new Float64Array(PITCH_FRAMES);

  constructor(
    readonly config: VoicingConfig,
    sampleRate: number,
    private readonly hopLength: number,
    nFft: number,
    preEmphasis: number,
  ) {
    this.factor = Math.max(1, Math.round(sampleRate / LOW_RATE));
    const rate = sampleRate / this.factor;
    this.lowRate = rate;
    this.hopLow = hopLength / this.factor;
    this.window = Math.round(WINDOW_S * rate);
    this.minLag = Math.round(MIN_LAG_S * rate);
    this.maxLag = Math.round(MAX_LAG_S * rate);
    this.corrAt = align16(4 * (this.maxLag + 1));
    this.bestAt = this.corrAt + 8 * (this.maxLag + 1);
    this.warm = WARM_PER_FACTOR * this.factor;
    this.inputAt = align16(this.bestAt + 8) + 4 * this.warm;
    this.minFrames = Math.ceil((config.minVoicedMs / 1000) * (sampleRate / hopLength));
    const binHz = sampleRate / nFft;
    this.peakLo = Math.ceil(100 / binHz);
    this.peakHi = Math.min(nFft / 2 - 1, Math.floor(3800 / binHz));
    this.highFrom = Math.round(1000 / binHz);
    this.minHighShare = 10 ** (config.minHighDb / 10);
    this.deEmphasis = Float64Array.from({ length: nFft / 2 + 1 }, (_, k) => 1 / (1 + preEmphasis ** 2 - 2 * preEmphasis * Math.cos((2 * Math.PI * k) / nFft)));
    // Second-order Butterworth low-pass: b2 = b0, which `decimate` relies on.
    const lowPass = passFilter("low", sampleRate, LOWPASS_HZ);
    this.b0 = lowPass.b0;
    this.b1 = lowPass.b1;
    this.a1 = lowPass.a1;
    this.a2 = lowPass.a2;
  }

  /** Whether the check is on at all. */
  get enabled(): boolean {
    return this.minFrames > 0;
  }

  /**
   * The voiced-speech check and (with `pitch`) the pitch estimate of the frames the trim kept in
   * `u` (from FeatureExtractor.analyse of the same `samples`): fills `u.speech`, `u.pitchHz` and
   * `u.voicedFrames` (counted up to `countUpTo` or the check's own need, whichever is more).
   */
  measure(samples: Float32Array, u: Utterance, pitch: boolean, countUpTo = 0): void {
    this.analyse(samples, u.trim.start, u.trim.end);
    u.voicedFrames = this.enabled ? this.voicedFrames(u, Math.max(this.minFrames, countUpTo)) : 0;
    u.speech = !this.enabled || u.voicedFrames >= this.minFrames;
    u.pitchHz = pitch ? this.pitchHz() : 0;
  }

  /**
   * Low-passes and decimates analysis frames [start, end) of `samples` (every frame's window
   * and its furthest lag, reading past the trim or zeros past the input, so every frame can be
   * correlated at every lag) and measures each frame's energy: what `voicedFrames` and `pitchHz`
   * then read.
   */
  private analyse(samples: Float32Array, start: number, end: number): void {
    this.spanStart = start;
    this.spanFrames = Math.max(0, end - start);
    this.loudest = 0;
    if (this.spanFrames === 0) return;
    const frames = this.spanFrames;
    this.lowLength = Math.round((frames - 1) * this.hopLow) + this.window + this.maxLag + 1;
    this.decimate(samples, start * this.hopLength, this.lowLength);
    if (this.frameEnergy.length < frames) this.frameEnergy = new Float64Array(Math.max(frames, 2 * this.frameEnergy.length));
    const e = this.f64;
    const e0 = this.energyAt / 8;
    for (let f = 0; f < frames; f++) {
      const a = e0 + this.frameAt(f);
      const v = e[a + this.window]! - e[a]!;
      this.frameEnergy[f] = v;
      if (v > this.loudest) this.loudest = v;
    }
  }

  /**
   * Voiced frames among those `analyse` was given, counting no further than `upTo` (so speech
   * is confirmed after a few frames). `u` holds their spectra.
   */
  private voicedFrames(u: Utterance, upTo: number): number {
    if (!this.enabled || this.loudest <= 0) return 0;
    const floor = this.loudest * 10 ** (-this.config.relativeDb / 10);
    let voiced = 0;
    for (let f = 0; f < this.spanFrames && voiced < upTo; f++) {
      if (this.frameEnergy[f]! < floor) continue;
      if (this.periodicity(this.frameAt(f)) < this.config.minCorrelation) continue;
      if (this.tonal(u.powerFrame(this.spanStart + f))) continue;
      voiced++;
    }
    return voiced;
  }

  /**
   * Median pitch in Hz of the frames `analyse` was given (0 when fewer than PITCH_MIN_FRAMES are
   * periodic): up to PITCH_FRAMES frames spread evenly over those within PITCH_RELATIVE_DB of
   * the loudest (the vowel), each counted when its correlation peaks at PITCH_MIN_CORRELATION or
   * more inside the lag range.
   */
  private pitchHz(): number {
    if (this.loudest <= 0) return 0;
    const floor = this.loudest * 10 ** (-PITCH_RELATIVE_DB / 10);
    const frames = this.spanFrames;
    let loud = 0;
    for (let f = 0; f < frames; f++) if (this.frameEnergy[f]! >= floor) loud++;
    const step = Math.ceil(loud / PITCH_FRAMES);
    const p = this.pitches;
    let n = 0;
    for (let f = 0, seen = 0; f < frames && n < PITCH_FRAMES; f++) {
      if (this.frameEnergy[f]! < floor || seen++ % step !== 0) continue;
      if (this.periodicity(this.frameAt(f)) < PITCH_MIN_CORRELATION) continue;
      // A peak at either end of the lag range is no period: low-passed noise rises towards it.
      if (this.bestLag <= this.minLag || this.bestLag >= this.maxLag) continue;
      // Insertion into the sorted pitches so far.
      const hz = this.lowRate / this.bestLag;
      let i = n++;
      for (; i > 0 && p[i - 1]! > hz; i--) p[i] = p[i - 1]!;
      p[i] = hz;
    }
    if (n < PITCH_MIN_FRAMES) return 0;
    return n % 2 ? p[n >> 1]! : (p[n / 2 - 1]! + p[n / 2]!) / 2;
  }

  /** Where analysed frame f starts in the decimated band. */
  private frameAt(f: number): number {
    return Math.round(f * this.hopLow);
  }

  /** Low-passes samples[from…] and keeps every factor-th sample; zero-padded to `n`; fills the prefix energies. */
  private decimate(samples: Float32Array, from: number, n: number): void {
    const reads = Math.max(0, Math.min(samples.length - from, (n - 1) * this.factor + 1));
    this.reserve(reads, n);
    this.f32.set(samples.subarray(from, from + reads), this.inputAt / 4);
    this.k.decimate4(this.inputAt, reads, n, this.factor, this.b0, this.b1, this.a1, this.a2, this.lowAt, this.energyAt, this.warm);
  }

  /** Places the input, low band and energies for `reads` samples and a band of `n` (growing the memory). */
  private reserve(reads: number, n: number): void {
    if (n <= this.lowCapacity && reads <= this.lowCapacity * this.factor) return;
    const cap = Math.max(n, Math.ceil(reads / this.factor), 2 * this.lowCapacity);
    // decimate4's room: input past the band's end, its first segment's outputs before low[0] and its last one's after low[n].
    this.lowAt = align16(this.inputAt + 4 * (cap + 5) * this.factor + (4 * this.warm) / this.factor);
    this.energyAt = align16(this.lowAt + 4 * (cap + 8));
    const end = this.energyAt + 8 * (cap + 1);
    growMemory(this.memory, end);
    this.f32 = new Float32Array(this.memory.buffer);
    this.f64 = new Float64Array(this.memory.buffer);
    this.lowCapacity = cap;
  }

  /**
   * The largest normalised cross-correlation of the window at `a` with itself 2.5-16 ms later;
   * its lag, refined by a parabola through its neighbours, is left in `bestLag`. A periodic
   * signal correlates about as well at two or three periods as at one, so the lag may be a
   * multiple of the period: a pitch read from it errs low far more often than high.
   */
  private periodicity(a: number): number {
    const best = this.k.periodicity(this.lowAt, this.energyAt, a, this.minLag, this.maxLag, this.window, 0, this.corrAt, this.bestAt);
    const bestLag = this.f64[this.bestAt / 8]!;
    this.bestLag = bestLag + this.peakShift(bestLag);
    return best;
  }

  /** Offset of the parabola's vertex through the correlations at lag − 1, lag, lag + 1 (0 at the range's ends). */
  private peakShift(lag: number): number {
    if (lag <= this.minLag || lag >= this.maxLag) return 0;
    const at = this.corrAt / 8 + lag;
    const corr = this.f64;
    const curve = corr[at - 1]! - 2 * corr[at]! + corr[at + 1]!;
    return curve < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (corr[at - 1]! - corr[at + 1]!)) / curve)) : 0;
  }

  /**
   * Whether a frame's spectrum is that of a tone or resonance rather than a vowel: one peak holds
   * `maxPeakiness` of the (pre-emphasised) power, or almost nothing lies above 1 kHz once the
   * pre-emphasis is undone (a vowel's second formant always puts some power there).
   */
  private tonal(p: Float64Array): boolean {
    const w = this.deEmphasis;
    let total = 0;
    let most = 0;
    let before = 0;
    let here = p[this.peakLo]!;
    let flatLow = 0;
    let flatHigh = 0;
    for (let k = this.peakLo; k <= this.peakHi; k++) {
      const next = k < this.peakHi ? p[k + 1]! : 0;
      total += here;
      const s = before + here + next;
      if (s > most) most = s;
      if (k < this.highFrom) flatLow += here * w[k]!;
      else flatHigh += here * w[k]!;
      before = here;
      here = next;
    }
    if (total <= 0) return true;
    return most / total >= this.config.maxPeakiness || flatHigh < this.minHighShare * (flatLow + flatHigh);
  }
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;
