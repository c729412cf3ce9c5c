import { type VadKernels, growMemory } from "../wasm/kernels.ts";
import { type KernelMemory, acquireKernelMemory, releaseKernelMemory } from "../wasm/memory-pool.ts";
import { BandFilter } from "./band-filter.ts";
import { LevelPercentile } from "./level-percentile.ts";
import { NoiseFloor } from "./noise-floor.ts";
import { resolveVadOptions, type VadOptions } from "./options.ts";

/**
 * Voice-activity segmenter: a pure state machine over 10 ms frames of mono samples. It cuts a
 * stream into utterances and hands each one's audio over; no audio I/O, no clock but the sample
 * count. Times are stream seconds from the first sample after construction or `reset()`.
 *
 * Per frame: band energy (BandFilter) in dBFS; noise floor = quietest frame of the last
 * `noiseWindowMs`; onset threshold = max(floor + onsetMarginDb, minLevelDb); continuation
 * threshold is `onsetMarginDb - continueMarginDb` lower (hysteresis).
 *
 * States: idle → (a frame above the onset threshold) candidate → (onsetMs worth of such frames
 * before any frame falls below the continuation threshold) speaking → (hangoverMs below the
 * continuation threshold) idle, emitting the utterance; or → (speech reaches maxSpeechMs)
 * cooldown → (hangoverMs of silence) idle.
 *
 * No allocation per frame or block: audio sits in a preallocated ring; an utterance is copied into
 * a preallocated buffer; events are only created at speech boundaries.
 *
 * The per-sample work (ring, frame level and peak, band filter) runs in the `vadlevels` kernel
 * (engine/wasm/kernels.wat) on the segmenter's own WebAssembly memory, which holds the ring, the
 * filter and an input area: a caller that writes its samples there (`inputArea`) saves a copy.
 */

/**
 * Where the segmenter stands after a frame: "quiet" (idle), "onset" (a loud frame seen, not yet
 * confirmed: a click stays here), "speech" (an utterance is open and its last frame was voiced),
 * "hangover" (open, but silent since; it ends after `hangoverMs`), "cooldown" (speech cut at
 * `maxSpeechMs`, waiting for silence).
 */
export type VadState = "quiet" | "onset" | "speech" | "hangover" | "cooldown";

/** The meter reading after the last complete frame (one object, updated in place). */
export interface VadLevel {
  /** Stream time of the end of the frame, seconds. */
  t: number;
  /** Full-band RMS and peak of the frame, dBFS. */
  rmsDb: number;
  peakDb: number;
  /** Band level the decision uses, dBFS. */
  bandDb: number;
  noiseFloorDb: number;
  /** The threshold in force: onset when idle, continuation while speaking. */
  thresholdDb: number;
  /** An utterance is open: state "speech" or "hangover". */
  speaking: boolean;
  state: VadState;
}

export type VadRejectReason = "too-short" | "too-long";

export type VadEvent =
  | {
      type: "speech-start";
      /** When the onset was confirmed (the end of the confirming frame). */
      t: number;
      /** Where speech began: the first frame above the onset threshold. */
      start: number;
    }
  | {
      type: "speech-end";
      /** When the end was decided: `end` + hangover. */
      t: number;
      start: number;
      /** End of the last frame above the continuation threshold. */
      end: number;
      /**
       * The utterance: from `audioStart` (= start - preRoll, not before 0) to end + tail.
       * A view of the segmenter's buffer, valid until the next call to `process`/`finish`/`reset`:
       * copy it to keep it.
       */
      audio: Float32Array;
      audioStart: number;
      /**
       * `audio` with up to `busySearchMs` more on either side when the utterance began over a busy
       * background (else `audio` itself): a view of the same buffer, `audio` starting at
       * `wideOffset` in it.
       */
      wide: Float32Array;
      wideOffset: number;
    }
  | { type: "rejected"; reason: VadRejectReason; t: number; start: number; end: number };

export type VadEventHandler = (event: VadEvent) => void;

const FRAME_MS = 10;
/** Longest a candidate onset may take to confirm. */
const CANDIDATE_MS = 200;
/** How far before a confirmed onset a soft beginning is searched for. */
const BACKTRACK_MS = 250;
/** The soft-start search accepts frames this much below the continuation threshold. */
const BACKTRACK_DB = 2;
/** One-pole smoothing of the band power that feeds the noise floor (per frame). */
const FLOOR_SMOOTHING = 0.7;
/** Frames the level must stay `QUIET_DB` under the typical level's reference before the typical level starts over. */
const QUIET_FRAMES = 50;
const QUIET_DB = 3;
/** Frames the typical level needs before it counts. */
const MIN_TYPICAL_FRAMES = 100;
/** How far below an utterance's peak its quietest stretch must be for a long utterance to be split there. */
const SPLIT_DIP_DB = 6;
/** The low percentile whose distance below the typical level measures how much the background fluctuates. */
const SPREAD_PERCENTILE = 0.1;
/** Byte offsets in the segmenter's memory: frame sum of squares and peak, filter coefficients and state, then the ring. */
const ACC_AT = 0;
const COEF_AT = 16;
const STATE_AT = COEF_AT + 15 * 8;
const RING_AT = 192;

/** Level reported for a frame of exact zeros (log of 0). */
const SILENCE_DB = -120;

const enum State {
  Idle,
  Candidate,
  Speaking,
  Cooldown,
}

function toDb(meanSquare: number): number {
  return meanSquare > 1e-12 ? 10 * Math.log10(meanSquare) : SILENCE_DB;
}

export class VadSegmenter {
  readonly options: Readonly<VadOptions>;
  readonly frameSize: number;

  private filter: BandFilter;
  private readonly pooled: KernelMemory;
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: VadKernels;
  private released = false;
  private acc: Float64Array;
  /** The input area: samples a caller writes here are read in place. */
  private input: Float32Array;
  private readonly inputAt: number;
  private readonly floor: NoiseFloor;
  private readonly typical: LevelPercentile;
  /** Loudest frame of the utterance in progress (dB). */
  private peakDb = -Infinity;
  private readonly onsetFrames: number;
  private readonly candidateFrames: number;
  private readonly hangoverFrames: number;
  private readonly minSpeechFrames: number;
  private readonly maxSpeechFrames: number;
  private readonly preRollSamples: number;
  private readonly tailSamples: number;
  private readonly busyPreRollSamples: number;
  private readonly busyTailSamples: number;
  private readonly busySearchSamples: number;
  /** The continuation margin of the last frame (the busy one over a busy background). */
  private continueMarginDb: number;
  /** Whether the utterance in progress began over a busy background (see VadOptions.busyFluctuationDb). */
  private busyUtterance = false;
  /** Consecutive frames well below the typical level (see QUIET_FRAMES). */
  private quietFrames = 0;

  /** Every input sample, by stream index & mask; long enough for pre-roll + max speech + hangover. */
  private ring: Float32Array;
  private readonly mask: number;
  private readonly utterance: Float32Array;
  private readonly meter: VadLevel = {
    t: 0,
    rmsDb: SILENCE_DB,
    peakDb: SILENCE_DB,
    bandDb: SILENCE_DB,
    noiseFloorDb: SILENCE_DB,
    thresholdDb: 0,
    speaking: false,
    state: "quiet",
  };

  /** Samples seen so far (stream index of the next sample). */
  private samples = 0;
  private frameFill = 0;
  private frameSumSq = 0;
  private framePeak = 0;
  private frameBand = 0;
  private frameIndex = 0;
  private smoothPower = 0;
  /** Band level of the most recent frames (long enough for the longest utterance), by frame index modulo length. */
  private readonly levels: Float64Array;
  private readonly backtrackFrames = Math.round(BACKTRACK_MS / FRAME_MS);
  /** Frame after the last utterance's last speech frame: neither soft start nor pre-roll reach back past it. */
  private lastEndFrame = 0;

  private state = State.Idle;
  /** Candidate/utterance start frame, last frame above the continuation threshold, frames above onset in the candidate. */
  private startFrame = 0;
  private lastSpeechFrame = 0;
  private onsetCount = 0;

  constructor(options: Partial<VadOptions> = {}) {
    const o = resolveVadOptions(options);
    this.options = Object.freeze(o);
    this.frameSize = Math.round((o.sampleRate * FRAME_MS) / 1000);
    const frames = (ms: number) => Math.round(ms / FRAME_MS);

    this.floor = new NoiseFloor(frames(o.noiseWindowMs));
    this.typical = new LevelPercentile(frames(o.noiseWindowMs));
    this.onsetFrames = Math.max(1, frames(o.onsetMs));
    this.candidateFrames = Math.max(this.onsetFrames, frames(CANDIDATE_MS));
    this.hangoverFrames = Math.max(1, frames(o.hangoverMs));
    this.minSpeechFrames = frames(o.minSpeechMs);
    this.maxSpeechFrames = Math.max(1, frames(o.maxSpeechMs));
    this.levels = new Float64Array(Math.max(this.backtrackFrames, this.maxSpeechFrames + this.hangoverFrames + 2));
    this.preRollSamples = Math.round((o.preRollMs * o.sampleRate) / 1000);
    this.tailSamples = Math.round((o.tailMs * o.sampleRate) / 1000);
    this.busyPreRollSamples = Math.round((o.busyPreRollMs * o.sampleRate) / 1000);
    this.busyTailSamples = Math.round((o.busyTailMs * o.sampleRate) / 1000);
    this.busySearchSamples = Math.round((o.busySearchMs * o.sampleRate) / 1000);
    this.continueMarginDb = o.continueMarginDb;
    // The soft end may add up to a hangover to the longest speech.
    const maxUtterance =
      Math.max(this.preRollSamples, this.busyPreRollSamples + this.busySearchSamples) +
      (this.maxSpeechFrames + this.hangoverFrames + 1) * this.frameSize +
      Math.max(this.tailSamples, this.busyTailSamples + this.busySearchSamples);
    this.utterance = new Float32Array(maxUtterance);
    const keep = maxUtterance + (this.hangoverFrames + 2) * this.frameSize;
    const ringLength = 2 ** Math.ceil(Math.log2(keep));
    this.mask = ringLength - 1;
    this.inputAt = RING_AT + 4 * ringLength;
    this.pooled = acquireKernelMemory(this.inputAt + 4 * this.frameSize);
    this.memory = this.pooled.memory;
    this.kernels = this.pooled.exports as unknown as VadKernels;
    [this.filter, this.acc, this.ring, this.input] = this.views(ringLength);
    this.meter.thresholdDb = o.minLevelDb;
  }

  /** The meter reading after the last complete frame; the same object every time, updated in place. */
  get level(): Readonly<VadLevel> {
    return this.meter;
  }

  get speaking(): boolean {
    return this.state === State.Speaking;
  }

  /** Stream time in seconds of the next sample. */
  get time(): number {
    return this.samples / this.options.sampleRate;
  }

  /**
   * Feeds a block of any length (or its samples `from`..`to`); events are passed to `onEvent` as
   * frames complete.
   */
  process(block: Float32Array, onEvent: VadEventHandler, from = 0, to = block.length): void {
    if (this.released) throw new Error("this segmenter's memory was handed back (release)");
    const size = this.frameSize;
    const acc = this.acc;
    // samples in the input area are read where they are; others are copied there a frame at a time
    const inPlace = block.buffer === this.memory.buffer;
    let i = from;
    while (i < to) {
      const take = Math.min(size - this.frameFill, to - i);
      let at = block.byteOffset + 4 * i;
      if (!inPlace) {
        const input = this.input;
        for (let k = 0; k < take; k++) input[k] = block[i + k]!;
        at = this.inputAt;
      }
      acc[0] = this.frameSumSq;
      acc[1] = this.framePeak;
      this.frameBand += this.kernels.vadlevels(at, take, RING_AT, this.mask, this.samples, COEF_AT, STATE_AT, ACC_AT);
      this.frameSumSq = acc[0]!;
      this.framePeak = acc[1]!;
      this.samples += take;
      this.frameFill += take;
      i += take;
      if (this.frameFill === size) this.endFrame(onEvent);
    }
  }

  /**
   * An area of `length` samples in the segmenter's memory (grown if need be) for a caller to
   * write blocks into before passing them to `process`, which then reads them in place. Valid
   * until the next call of `inputArea`.
   */
  inputArea(length: number): Float32Array {
    const bytes = this.inputAt + 4 * length;
    if (growMemory(this.memory, bytes)) {
      [this.filter, this.acc, this.ring, this.input] = this.views(this.ring.length);
    }
    return new Float32Array(this.memory.buffer, this.inputAt, length);
  }

  /** Views of the memory (made again when it grows; its contents stay). */
  private views(ringLength: number): [BandFilter, Float64Array, Float32Array, Float32Array] {
    const buffer = this.memory.buffer;
    const o = this.options;
    const filter = new BandFilter(o.sampleRate, o.bandLowHz, o.bandHighHz, new Float64Array(buffer, COEF_AT, 15), new Float64Array(buffer, STATE_AT, 6));
    return [filter, new Float64Array(buffer, ACC_AT, 2), new Float32Array(buffer, RING_AT, ringLength), new Float32Array(buffer, this.inputAt, this.frameSize)];
  }

  /**
   * Ends the stream: an utterance in progress ends at its last speech frame (its tail cut to the
   * audio there is); a partial frame is ignored. Then resets for a new stream.
   */
  finish(onEvent: VadEventHandler): void {
    if (this.state === State.Speaking) this.closeUtterance(onEvent, this.frameIndex);
    this.reset();
  }

  /**
   * Hands the segmenter's WebAssembly memory back for the next segmenter to use; this one must
   * not process again.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    releaseKernelMemory(this.pooled);
  }

  /** Forgets everything, including the noise floor and the stream clock. */
  reset(): void {
    if (!this.released) this.filter.reset();
    this.floor.reset();
    this.typical.reset();
    this.peakDb = -Infinity;
    this.busyUtterance = false;
    this.quietFrames = 0;
    this.continueMarginDb = this.options.continueMarginDb;
    this.samples = 0;
    this.frameFill = 0;
    this.frameSumSq = 0;
    this.framePeak = 0;
    this.frameBand = 0;
    this.frameIndex = 0;
    this.state = State.Idle;
    this.onsetCount = 0;
    this.lastEndFrame = 0;
    this.smoothPower = 0;
    this.levels.fill(0);
    Object.assign(this.meter, { t: 0, rmsDb: SILENCE_DB, peakDb: SILENCE_DB, bandDb: SILENCE_DB, noiseFloorDb: SILENCE_DB, speaking: false, state: "quiet" });
    this.meter.thresholdDb = this.options.minLevelDb;
  }

  private endFrame(onEvent: VadEventHandler): void {
    const o = this.options;
    const size = this.frameSize;
    const f = this.frameIndex;
    const bandPower = this.frameBand / size;
    const bandDb = toDb(bandPower);
    // The floor tracks the minimum of a smoothed level: the raw frame level of noise scatters by
    // several dB (more for pink noise), and its minimum would sit far below the noise's mean.
    this.smoothPower = f === 0 ? bandPower : FLOOR_SMOOTHING * this.smoothPower + (1 - FLOOR_SMOOTHING) * bandPower;
    const smoothDb = toDb(this.smoothPower);
    let floorDb = this.floor.push(smoothDb);
    let busy = false;
    if (o.noisePercentile > 0) {
      this.typical.push(smoothDb);
      let typicalDb = this.typical.value(o.noisePercentile);
      // The room got quieter (a loud sound ended): the percentile would take half the window to
      // follow, deaf to speech meanwhile; the minimum follows at once, the percentile starts over.
      this.quietFrames = smoothDb < typicalDb - o.typicalBelowDb - QUIET_DB ? this.quietFrames + 1 : 0;
      if (this.quietFrames >= QUIET_FRAMES) {
        this.typical.reset();
        this.typical.push(smoothDb);
        this.quietFrames = 0;
        typicalDb = smoothDb;
      }
      // A percentile of a few frames could be a word's: the floor alone until a second is in.
      if (this.typical.count >= MIN_TYPICAL_FRAMES) {
        busy = o.busyFluctuationDb > 0 && typicalDb >= o.minLevelDb && typicalDb - this.typical.value(SPREAD_PERCENTILE) >= o.busyFluctuationDb;
        floorDb = Math.max(floorDb, busy ? typicalDb : typicalDb - o.typicalBelowDb);
      }
    }
    const onsetMarginDb = busy ? o.busyOnsetMarginDb : o.onsetMarginDb;
    const continueMarginDb = busy ? o.busyContinueMarginDb : o.continueMarginDb;
    const onsetDb = Math.max(floorDb + onsetMarginDb, o.minLevelDb);
    const continueDb = onsetDb - (onsetMarginDb - continueMarginDb);
    this.continueMarginDb = continueMarginDb;

    this.levels[f % this.levels.length] = bandDb;
    const m = this.meter;
    m.t = ((f + 1) * size) / o.sampleRate;
    m.rmsDb = toDb(this.frameSumSq / size);
    m.peakDb = this.framePeak > 1e-6 ? 20 * Math.log10(this.framePeak) : SILENCE_DB;
    m.bandDb = bandDb;
    m.noiseFloorDb = floorDb;

    this.frameSumSq = 0;
    this.framePeak = 0;
    this.frameBand = 0;
    this.frameFill = 0;
    this.frameIndex = f + 1;

    const loud = bandDb >= onsetDb;
    if (this.state === State.Speaking && bandDb > this.peakDb) this.peakDb = bandDb;
    const voiced = bandDb >= continueDb && (o.endBelowPeakDb === 0 || this.state !== State.Speaking || bandDb >= this.peakDb - o.endBelowPeakDb);
    switch (this.state) {
      case State.Idle:
        if (loud) {
          this.state = State.Candidate;
          this.startFrame = f;
          this.lastSpeechFrame = f;
          this.onsetCount = 0;
        }
        break;
      case State.Candidate:
        // A candidate that hovers between the thresholds without confirming is dropped, so a
        // confirmed onset never reaches back further than CANDIDATE_MS.
        if (!voiced || f - this.startFrame >= this.candidateFrames) this.state = State.Idle;
        else this.lastSpeechFrame = f;
        break;
      case State.Speaking:
        if (voiced) this.lastSpeechFrame = f;
        if (this.lastSpeechFrame + 1 - this.startFrame > this.maxSpeechFrames && o.splitLong && this.busyUtterance && this.split(onEvent, f + 1)) {
          // the first word-sized piece went out; the rest goes on as an utterance of its own
        } else if (this.lastSpeechFrame + 1 - this.startFrame > this.maxSpeechFrames) {
          this.state = State.Cooldown;
          onEvent({ type: "rejected", reason: "too-long", t: m.t, start: this.seconds(this.startFrame), end: m.t });
        } else if (f - this.lastSpeechFrame >= this.hangoverFrames) {
          this.closeUtterance(onEvent, f + 1);
        }
        break;
      case State.Cooldown:
        if (voiced) this.lastSpeechFrame = f;
        else if (f - this.lastSpeechFrame >= this.hangoverFrames) {
          this.state = State.Idle;
          this.lastEndFrame = f;
        }
        break;
    }
    if (this.state === State.Candidate && loud && ++this.onsetCount >= this.onsetFrames) {
      this.state = State.Speaking;
      this.peakDb = bandDb;
      this.busyUtterance = busy;
      this.startFrame = this.softStart(this.startFrame, floorDb + continueMarginDb - BACKTRACK_DB);
      onEvent({ type: "speech-start", t: m.t, start: this.seconds(this.startFrame) });
    }
    m.speaking = this.state === State.Speaking;
    m.state = this.publicState(f);
    m.thresholdDb = m.speaking ? continueDb : onsetDb;
  }

  /**
   * Walks back from a confirmed onset over the frames just before it that still stand above
   * `thresholdDb` (floor-relative, not clamped by minLevelDb): soft beginnings such as f, s, th
   * or a breathy vowel, quieter than any onset threshold. In digital silence this finds the first
   * non-silent frame. Never reaches into the previous utterance or further than the level history.
   */
  private softStart(frame: number, thresholdDb: number): number {
    const levels = this.levels;
    const limit = Math.max(0, frame - this.backtrackFrames + 1, this.lastEndFrame);
    let b = frame;
    while (b > limit && levels[(b - 1) % levels.length] >= thresholdDb) b--;
    return b;
  }

  /**
   * An utterance that reached `maxSpeechMs`: cuts it at its quietest stretch (the lowest 50 ms
   * mean level at least `minSpeechMs` from either end), sends the part before as an utterance and
   * keeps speaking from the cut. False when the utterance is too short to hold two pieces or has
   * no dip `SPLIT_DIP_DB` below its peak.
   */
  private split(onEvent: VadEventHandler, nowFrame: number): boolean {
    const levels = this.levels;
    const len = levels.length;
    const from = this.startFrame + Math.max(this.minSpeechFrames, 3);
    const to = this.lastSpeechFrame - Math.max(this.minSpeechFrames, 3);
    let cut = -1;
    let lowest = Infinity;
    for (let v = from; v <= to; v++) {
      let sum = 0;
      for (let k = -2; k <= 2; k++) sum += levels[(v + k) % len]!;
      if (sum < lowest) {
        lowest = sum;
        cut = v;
      }
    }
    // a steady sound (a tone, a hiss) has no dip between words: it stays too long
    if (cut < 0 || lowest / 5 > this.peakDb - SPLIT_DIP_DB) return false;
    const last = this.lastSpeechFrame;
    this.lastSpeechFrame = cut - 1;
    this.closeUtterance(onEvent, nowFrame, cut);
    this.state = State.Speaking;
    this.startFrame = cut;
    this.lastSpeechFrame = last;
    let peak = -Infinity;
    for (let v = cut; v < nowFrame; v++) peak = Math.max(peak, levels[v % len]!);
    this.peakDb = peak;
    return true;
  }

  /**
   * Ends the utterance at its last speech frame; `nowFrame` frames have been completed. The soft
   * end looks no further than `limitFrame`.
   */
  private closeUtterance(onEvent: VadEventHandler, nowFrame: number, limitFrame = nowFrame): void {
    this.state = State.Idle;
    // The soft end: like the soft start, over the hangover frames after the last speech frame.
    const softDb = this.meter.noiseFloorDb + this.continueMarginDb - BACKTRACK_DB;
    while (this.lastSpeechFrame + 1 < limitFrame && this.levels[(this.lastSpeechFrame + 1) % this.levels.length] >= softDb) {
      this.lastSpeechFrame++;
    }
    const previousEnd = this.lastEndFrame * this.frameSize;
    this.lastEndFrame = this.lastSpeechFrame + 1;
    const size = this.frameSize;
    const start = this.seconds(this.startFrame);
    const end = this.seconds(this.lastSpeechFrame + 1);
    const t = this.seconds(nowFrame);
    if (this.lastSpeechFrame + 1 - this.startFrame < this.minSpeechFrames) {
      onEvent({ type: "rejected", reason: "too-short", t, start, end });
      return;
    }
    const busy = this.busyUtterance;
    const preRoll = busy ? this.busyPreRollSamples : this.preRollSamples;
    const tail = busy ? this.busyTailSamples : this.tailSamples;
    const search = busy ? this.busySearchSamples : 0;
    const oldest = Math.max(previousEnd, this.samples - this.ring.length, 0);
    const from = Math.max(this.startFrame * size - preRoll, oldest);
    const to = Math.min((this.lastSpeechFrame + 1) * size + tail, this.samples);
    // the wider audio never reaches into the previous utterance nor past a split's cut
    const wideFrom = Math.max(from - search, oldest);
    const wideTo = Math.max(to, Math.min(to + search, limitFrame * size, this.samples));
    const n = Math.min(wideTo - wideFrom, this.utterance.length);
    for (let k = 0; k < n; k++) this.utterance[k] = this.ring[(wideFrom + k) & this.mask];
    const wide = this.utterance.subarray(0, n);
    const audio = wide.subarray(from - wideFrom, Math.min(to - wideFrom, n));
    onEvent({ type: "speech-end", t, start, end, audio, audioStart: from / this.options.sampleRate, wide, wideOffset: from - wideFrom });
  }

  private publicState(frame: number): VadState {
    switch (this.state) {
      case State.Idle:
        return "quiet";
      case State.Candidate:
        return "onset";
      case State.Speaking:
        return this.lastSpeechFrame === frame ? "speech" : "hangover";
      case State.Cooldown:
        return "cooldown";
    }
  }

  private seconds(frame: number): number {
    return (frame * this.frameSize) / this.options.sampleRate;
  }
}
