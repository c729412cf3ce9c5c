import { type ClassifyTimings, Classifier, argmax, topK } from "./classifier.ts";
import type { AnalyseTimings } from "./features/extractor.ts";
import { Utterance } from "./features/utterance.ts";
import type { EngineEvent, EngineSummary, RejectReason, StageLatency } from "./events.ts";
import type { ModelFile } from "./model-file.ts";
import { Resampler } from "./resampler.ts";
import { sanitizeSamples } from "./sample-guard.ts";
import { type AudioSource, DEFAULT_BLOCK_SIZE, type FrontEndBlocks, type SourceInfo } from "./sources/audio-source.ts";
import { type VadEvent, type VadOptions, VadSegmenter } from "./vad/index.ts";

export interface EngineOptions {
  model: ModelFile;
  /**
   * A classifier already built for `model`, for engines run one after another over many short
   * sources (never two at once: its buffers are shared). Absent: the engine builds its own.
   */
  classifier?: Classifier;
  source: AudioSource;
  /** Overrides of the VAD defaults (engine/vad/options.ts). */
  vad?: Partial<Omit<VadOptions, "sampleRate">>;
  /** Probabilities listed per prediction. */
  topK?: number;
  /** Confidence below which an utterance is rejected; default: the model's `rejectBelow`, else 0.3. */
  rejectBelow?: number;
  /**
   * A level event every this many ms of stream time, rounded to the VAD's 10 ms frames so that
   * each one ends on a frame and carries the VAD's state after it; 0 turns them off.
   */
  levelIntervalMs?: number;
  /** Warn when a microphone has delivered exact zeros for this long (s). */
  silenceWarningSeconds?: number;
  /** Input samples read per step. */
  blockSize?: number;
  /**
   * An utterance with less voiced speech than `belowMs` (yet enough to pass the model's
   * voiced-speech check) needs `rejectBelow` confidence: every digit has a vowel longer than
   * that, while a cough, knock or beep the check lets through has a short voiced-looking stretch
   * and a middling confidence. Default { belowMs: 90, rejectBelow: 0.55 }; belowMs 0 turns it off.
   */
  weakVoicing?: { belowMs: number; rejectBelow: number };
  /** A first listener, same as calling `on(listener)` before `start()`. */
  onEvent?: EngineListener;
}

export type EngineListener = (event: EngineEvent) => void;

const SILENT_DB = -120;
/** Widenings tried on each side of a busy utterance's cut: 0, 1/CUT_STEPS, … of its search reach. */
const CUT_STEPS = 2;
/**
 * The winning class must be the best of at least this share of the cuts tried: a spoken word
 * that is no digit finds some cut that looks like one, while a digit's class mostly holds over
 * its cuts (over babble, 3 of 9 gave back a third to a half of the words the search let through,
 * for about three digits in a thousand).
 */
const AGREEING_SHARE = 1 / 3;
/**
 * The VAD's own cut of a busy utterance, when this sure, is kept without trying the others (they
 * rarely overturn it, and cost eight classifications).
 */
const SURE_CUT = 0.8;
const DEFAULT_WEAK_VOICING = { belowMs: 90, rejectBelow: 0.55 };

function toDb(x: number): number {
  return x > 1e-12 ? 20 * Math.log10(x) : SILENT_DB;
}

/**
 * The streaming recogniser: source → resampler → VAD → features → classifier → events. One
 * engine serves the Ink UI, `bun listen` and the tests. All per-block buffers are allocated up
 * front; steady-state processing allocates only event objects.
 */
export class RecognitionEngine {
  readonly classifier: Classifier;
  /** Scratch of one classification, refilled for every utterance (nothing in them outlives it). */
  private readonly utterance = new Utterance();
  private readonly probabilities: Float64Array;
  /** The probabilities of the cut being tried while a busy utterance's cuts are tried (the best go to `probabilities`). */
  private readonly candidate: Float64Array;
  /** What `bestCut` found (refilled for every utterance). */
  private readonly cut = { speech: false, voicedFrames: 0, featuresMs: 0, agreeing: true };
  /** The best class of each cut tried (-1: no voiced speech). */
  private readonly cutClasses = new Int32Array((CUT_STEPS + 1) ** 2);
  private readonly analyseTimings: AnalyseTimings = { spectraMs: 0, trimMs: 0, voicingMs: 0 };
  private readonly classifyTimings: ClassifyTimings = { featuresMs: 0, inferenceMs: 0 };
  private readonly listeners = new Set<EngineListener>();
  private readonly vad: VadSegmenter;
  private resampler: Resampler | undefined;
  /** The source's blocks already through the front end (repair, resampling), when it has them. */
  private frontEnd: FrontEndBlocks | null = null;
  private readonly block: Float32Array;
  /** Views of `block` by length, made once each, so reading a short block allocates nothing. */
  private readonly views: (Float32Array | undefined)[];
  private resampled: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private resampledViews: (Float32Array<ArrayBufferLike> | undefined)[] = [];
  private readonly k: number;
  private readonly rejectBelow: number;
  /** Voiced frames below which an utterance needs `weakVoicingBelow` confidence (0: off). */
  private readonly weakVoicedFrames: number;
  private readonly weakVoicingBelow: number;
  private readonly levelEverySamples: number;
  private readonly silenceWarningSeconds: number;
  private readonly onVad = (e: VadEvent) => this.handleVad(e);

  private info: SourceInfo | undefined;
  private paused = false;
  private stopRequested = false;
  private finished: Promise<EngineSummary> | undefined;
  /** The run is over: its WebAssembly memories are handed back. */
  private ended = false;

  // stream position and per-block costs
  private inputSamples = 0;
  /** Input-sample offset of the VAD's stream clock (it restarts at zero after a pause). */
  private vadOffsetSamples = 0;
  private lastDropped = 0;
  private blockResampleMs = 0;
  private vadStartedAt = 0;
  private blockRingWaitMs = 0;
  private levelSamples = 0;
  private levelSumSq = 0;
  private levelPeak = 0;
  private zeroRun = 0;
  private repairedSinceEvent = 0;
  private repairedEventAt = -Infinity;
  private silenceWarned = false;
  private readonly summary: EngineSummary = { seconds: 0, utterances: 0, predictions: 0, rejected: 0, droppedSamples: 0, repairedSamples: 0, digits: "" };

  constructor(private readonly options: EngineOptions) {
    if (options.classifier && options.classifier.model !== options.model) throw new Error("EngineOptions.classifier must be built for EngineOptions.model");
    this.classifier = options.classifier ?? new Classifier(options.model);
    const rate = this.classifier.sampleRate;
    this.probabilities = new Float64Array(this.classifier.labels.length);
    this.candidate = new Float64Array(this.classifier.labels.length);
    this.vad = new VadSegmenter({ ...options.vad, sampleRate: rate });
    this.block = new Float32Array(options.blockSize ?? DEFAULT_BLOCK_SIZE);
    this.views = new Array(this.block.length + 1);
    this.k = options.topK ?? 3;
    this.rejectBelow = options.rejectBelow ?? options.model.rejectBelow ?? 0.3;
    const weak = options.weakVoicing ?? DEFAULT_WEAK_VOICING;
    const f = options.model.features;
    this.weakVoicedFrames = Math.max(0, Math.ceil((weak.belowMs / 1000) * (f.sampleRate / f.hopLength)));
    this.weakVoicingBelow = weak.rejectBelow;
    const levelMs = options.levelIntervalMs ?? 50;
    this.levelEverySamples = levelMs > 0 ? Math.max(1, Math.round(levelMs / 10)) * this.vad.frameSize : Infinity;
    this.silenceWarningSeconds = options.silenceWarningSeconds ?? 5;
    if (options.onEvent) this.listeners.add(options.onEvent);
  }

  /** Subscribes to events; returns the unsubscribe function. */
  on(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get sourceInfo(): SourceInfo | undefined {
    return this.info;
  }

  get vadOptions(): Readonly<VadOptions> {
    return this.vad.options;
  }

  /** Stream time in seconds of the next input sample. */
  get time(): number {
    return this.info ? this.inputSamples / this.info.sampleRate : 0;
  }

  private emit(event: EngineEvent): void {
    for (const l of this.listeners) l(event);
  }

  /**
   * Starts the source and processes it until it ends or `stop()` is called. Resolves with the
   * summary (also sent as the `stopped` event). Rejects only when the source cannot start.
   */
  start(): Promise<EngineSummary> {
    this.finished ??= this.run();
    return this.finished;
  }

  /** While paused the engine keeps draining the source (so nothing piles up) but ignores it. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused || this.ended) return;
    this.paused = false;
    this.vad.reset();
    // a source's own front end carries on through the pause (its filter's history with it)
    if (this.info && !this.frontEnd) {
      this.resampler?.release();
      this.resampler = this.makeResampler();
    }
    this.vadOffsetSamples = this.inputSamples;
    this.levelSamples = 0;
    this.levelSumSq = 0;
    this.levelPeak = 0;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Asks the loop to stop; resolves once it has (with the summary). */
  async stop(): Promise<EngineSummary | undefined> {
    this.stopRequested = true;
    await this.options.source.stop();
    return this.finished;
  }

  private vadTimeToStream(t: number): number {
    return t + this.vadOffsetSamples / this.info!.sampleRate;
  }

  private async run(): Promise<EngineSummary> {
    const source = this.options.source;
    try {
      this.info = await source.start();
    } catch (err) {
      // stopped while the source was still starting (a FIFO with no writer yet): a clean stop
      if (!this.stopRequested) throw err;
      this.emit({ type: "stopped", t: 0, reason: "stopped", summary: { ...this.summary } });
      this.end();
      return { ...this.summary };
    }
    const info = this.info;
    this.frontEnd = source.frontEnd?.(this.vad.options.sampleRate, this.block.length) ?? null;
    if (!this.frontEnd) this.resampler = this.makeResampler();
    this.emit({
      type: "started",
      source: info.kind,
      name: info.name,
      sampleRate: info.sampleRate,
      channels: info.channels,
      device: info.kind === "microphone" ? info.name : undefined,
    });
    const state = { reason: "end-of-stream" as "end-of-stream" | "stopped" | "error" };
    const offError = source.onError((e) => {
      state.reason = "error";
      this.emit({ type: "device-error", t: this.time, message: e.message, hint: e.hint });
      this.stopRequested = true;
    });
    let sinceYield = 0;
    try {
      for (;;) {
        if (this.stopRequested) {
          if (state.reason !== "error") state.reason = "stopped";
          break;
        }
        const frontEnd = this.frontEnd;
        const backlog = info.realtime ? source.backlog() : 0;
        const n = frontEnd ? frontEnd.next() : source.read(this.block);
        if (n < 0) break;
        if (n === 0) {
          sinceYield = 0;
          await (frontEnd ?? source).wait(50);
          continue;
        }
        this.blockRingWaitMs = (backlog / info.sampleRate) * 1000;
        if (frontEnd) this.processFrontEndBlock(frontEnd, n);
        else this.processBlock(n);
        // Faster-than-real-time input never waits: let timers and signals in now and then.
        if (++sinceYield >= 64) {
          sinceYield = 0;
          await Bun.sleep(0);
        }
      }
      if (!this.paused) this.vad.finish(this.onVad);
    } finally {
      offError();
    }
    this.summary.seconds = this.time;
    this.summary.droppedSamples = source.droppedSamples();
    this.emit({ type: "stopped", t: this.time, reason: state.reason, summary: { ...this.summary } });
    this.end();
    return { ...this.summary };
  }

  /** Hands the resampler's and the VAD's memories back for the next engine (many run one after another in `bun eval`). */
  private end(): void {
    this.ended = true;
    this.resampler?.release();
    this.vad.release();
  }

  private makeResampler(): Resampler {
    const r = new Resampler(this.info!.sampleRate, { outputRate: this.vad.options.sampleRate, maxBlock: this.block.length });
    this.ensureResampledArea(r.maxOutputLength(this.block.length));
    return r;
  }

  /** Resampled blocks go straight into the VAD's memory, where its kernel reads them. */
  private ensureResampledArea(length: number): void {
    if (this.resampled.length >= length) return;
    this.resampled = this.vad.inputArea(length);
    this.resampledViews = [];
  }

  /** A view of the first n samples of `resampled`, made once per length. */
  private resampledView(n: number): Float32Array {
    let v = this.resampledViews[n];
    if (!v) v = this.resampledViews[n] = this.resampled.subarray(0, n);
    return v;
  }

  private view(n: number): Float32Array {
    let v = this.views[n];
    if (!v) v = this.views[n] = this.block.subarray(0, n);
    return v;
  }

  private processBlock(n: number): void {
    const input = this.view(n);
    const t0 = performance.now();
    this.inputSamples += n;
    this.checkRepaired(sanitizeSamples(input));
    this.checkDropped();
    this.checkSilence(input);
    if (this.paused) return;
    const out = this.resampledView(this.resampler!.processInto(input, this.resampled));
    const t1 = performance.now();
    this.blockResampleMs = t1 - t0;
    this.vadStartedAt = t1;
    this.detect(out);
  }

  /**
   * `processBlock` for a block the source's front end has processed: the same steps from its
   * results (no silence check: only microphones have it, and they have no front end).
   */
  private processFrontEndBlock(frontEnd: FrontEndBlocks, n: number): void {
    this.inputSamples += n;
    this.checkRepaired(frontEnd.repaired);
    this.checkDropped();
    if (this.paused) return;
    this.ensureResampledArea(frontEnd.outputSamples);
    const out = this.resampledView(frontEnd.copyInto(this.resampled));
    this.blockResampleMs = frontEnd.frontEndMs;
    this.vadStartedAt = performance.now();
    this.detect(out);
  }

  /** The VAD (and the level meter) over a resampled block. */
  private detect(out: Float32Array): void {
    if (this.levelEverySamples === Infinity) {
      this.vad.process(out, this.onVad);
      return;
    }
    // the VAD gets the block in pieces that end where level windows end, so each level event
    // carries the VAD's state at the very end of the window it measures
    for (let from = 0; from < out.length; ) {
      const to = Math.min(out.length, from + this.levelEverySamples - this.levelSamples);
      this.vad.process(out, this.onVad, from, to);
      this.meter(out, from, to);
      from = to;
    }
  }

  /** Every source's samples pass here first, so a broken one costs nothing but itself. */
  private checkRepaired(fixed: number): void {
    if (fixed > 0) {
      this.summary.repairedSamples += fixed;
      this.repairedSinceEvent += fixed;
    }
    if (this.repairedSinceEvent === 0 || this.time - this.repairedEventAt < 1) return;
    this.emit({ type: "repaired-samples", t: this.time, samples: this.repairedSinceEvent, total: this.summary.repairedSamples });
    this.repairedSinceEvent = 0;
    this.repairedEventAt = this.time;
  }

  private checkDropped(): void {
    const dropped = this.options.source.droppedSamples();
    if (dropped > this.lastDropped) {
      this.emit({ type: "dropped", t: this.time, samples: dropped - this.lastDropped, total: dropped });
      this.lastDropped = dropped;
    }
  }

  /** Capture under Bun has been seen to deliver all-zero buffers: say so when a microphone does. */
  private checkSilence(input: Float32Array): void {
    if (this.info!.kind !== "microphone") return;
    let allZero = true;
    for (let i = 0; i < input.length; i++) {
      if (input[i] !== 0) {
        allZero = false;
        break;
      }
    }
    if (!allZero) {
      this.zeroRun = 0;
      this.silenceWarned = false;
      return;
    }
    this.zeroRun += input.length;
    const seconds = this.zeroRun / this.info!.sampleRate;
    if (!this.silenceWarned && seconds >= this.silenceWarningSeconds) {
      this.silenceWarned = true;
      this.emit({ type: "silence-warning", t: this.time, seconds });
    }
  }

  private meter(out: Float32Array, from: number, to: number): void {
    let sumSq = this.levelSumSq;
    let peak = this.levelPeak;
    for (let i = from; i < to; i++) {
      const x = out[i]!;
      sumSq += x * x;
      const a = x < 0 ? -x : x;
      if (a > peak) peak = a;
    }
    this.levelSumSq = sumSq;
    this.levelPeak = peak;
    this.levelSamples += to - from;
    if (this.levelSamples < this.levelEverySamples) return;
    const level = this.vad.level;
    this.emit({
      type: "level",
      t: this.vadTimeToStream(level.t),
      rmsDb: toDb(Math.sqrt(sumSq / this.levelSamples)),
      peakDb: toDb(peak),
      bandDb: level.bandDb,
      noiseFloorDb: level.noiseFloorDb,
      thresholdDb: level.thresholdDb,
      speaking: level.speaking,
      vad: level.state,
    });
    this.levelSamples = 0;
    this.levelSumSq = 0;
    this.levelPeak = 0;
  }

  private handleVad(e: VadEvent): void {
    switch (e.type) {
      case "speech-start":
        this.emit({ type: "speech-start", t: this.vadTimeToStream(e.start) });
        return;
      case "rejected":
        this.summary.utterances++;
        this.summary.rejected++;
        this.emit({ type: "speech-end", t: this.vadTimeToStream(e.t), start: this.vadTimeToStream(e.start), end: this.vadTimeToStream(e.end) });
        this.emit({ type: "rejected", reason: e.reason, start: this.vadTimeToStream(e.start), end: this.vadTimeToStream(e.end) });
        return;
      case "speech-end":
        this.summary.utterances++;
        this.emit({ type: "speech-end", t: this.vadTimeToStream(e.t), start: this.vadTimeToStream(e.start), end: this.vadTimeToStream(e.end) });
        this.classify(e);
        return;
    }
  }

  /**
   * Classifies the utterance into `probabilities`. A busy utterance (one with wider audio) is cut
   * a few ways, its start and end each widened by 0, 1/CUT_STEPS, … of the reach, and the cut
   * whose best class is the most probable wins (cuts without voiced speech only when no cut has
   * any; the VAD's own cut at once when it is SURE_CUT sure), if enough of the cuts agree with
   * it (AGREEING_SHARE): over other voices the VAD's edges sit inside the word's weak sounds, and
   * a fixed wider cut keeps more of the other voices too.
   */
  private bestCut(e: Extract<VadEvent, { type: "speech-end" }>): Readonly<{ speech: boolean; voicedFrames: number; featuresMs: number; agreeing: boolean }> {
    const a = this.analyseTimings;
    const result = this.cut;
    result.featuresMs = 0;
    let bestP = -1;
    let tried = 0;
    const before = e.wideOffset;
    const after = e.wide.length - e.wideOffset - e.audio.length;
    const earlier = before > 0 ? CUT_STEPS : 0;
    const later = after > 0 ? CUT_STEPS : 0;
    for (let i = 0; i <= earlier; i++) {
      for (let j = 0; j <= later; j++) {
        const from = before - Math.round((before * i) / CUT_STEPS);
        const to = before + e.audio.length + Math.round((after * j) / CUT_STEPS);
        const audio = i === 0 && j === 0 ? e.audio : e.wide.subarray(from, to);
        const u = this.classifier.analyse(audio, this.utterance, a, this.weakVoicedFrames);
        const p = this.classifier.classify(u, this.candidate, this.classifyTimings);
        result.featuresMs += a.spectraMs + a.trimMs + a.voicingMs + this.classifyTimings.featuresMs;
        const best = argmax(p);
        const top = p[best]!;
        this.cutClasses[tried++] = u.speech ? best : -1;
        // a cut with voiced speech beats every cut without; among equals the surest wins (NaN never)
        const better = u.speech === result.speech ? top > bestP : u.speech;
        if (bestP < 0 || better) {
          bestP = top;
          result.speech = u.speech;
          result.voicedFrames = u.voicedFrames;
          this.probabilities.set(p);
        }
        if (i === 0 && j === 0 && u.speech && top >= SURE_CUT) {
          result.agreeing = true;
          return result;
        }
      }
    }
    const winner = argmax(this.probabilities);
    let agreeing = 0;
    for (let k = 0; k < tried; k++) if (this.cutClasses[k] === winner) agreeing++;
    result.agreeing = agreeing >= Math.ceil(tried * AGREEING_SHARE);
    return result;
  }

  private classify(e: Extract<VadEvent, { type: "speech-end" }>): void {
    const t0 = performance.now();
    const vadMs = t0 - this.vadStartedAt;
    const cut = this.bestCut(e);
    const p = this.probabilities;
    const best = argmax(p);
    const t2 = performance.now();
    const featuresMs = cut.featuresMs;
    const start = this.vadTimeToStream(e.start);
    const end = this.vadTimeToStream(e.end);
    const confidence = p[best]!;
    const top = topK(p, this.k, this.classifier.labels);
    const label = this.classifier.labels[best]!;
    const digit = Number(label);
    let reason: RejectReason | undefined;
    if (!cut.speech) reason = "not-speech";
    else if (!/^\d$/.test(label)) reason = "not-a-digit";
    // NaN (a model that overflows) fails this comparison too: it is never a digit
    else if (!(confidence >= this.rejectBelow) || !cut.agreeing) reason = "low-confidence";
    else if (this.classifier.voicing.enabled && cut.voicedFrames < this.weakVoicedFrames && !(confidence >= this.weakVoicingBelow)) reason = "low-confidence";
    if (reason) {
      this.summary.rejected++;
      this.emit({ type: "rejected", reason, start, end, digit: reason === "low-confidence" ? digit : undefined, confidence, top });
      return;
    }
    // The VAD decided the end at e.t (the end of the frame that completed the hangover); the block
    // holding that frame waited in the ring, then cost resampling, VAD and classification.
    const computeMs = this.blockResampleMs + vadMs + (t2 - t0);
    const latency: StageLatency = {
      ringWaitMs: this.blockRingWaitMs,
      resampleMs: this.blockResampleMs,
      vadMs,
      featuresMs,
      inferenceMs: t2 - t0 - featuresMs,
      endToPredictionMs: (e.t - e.end) * 1000 + this.blockRingWaitMs + computeMs,
    };
    this.summary.predictions++;
    this.summary.digits += label;
    this.emit({ type: "prediction", digit, confidence, top, start, end, latency });
  }
}

export type Engine = RecognitionEngine;

export function createEngine(options: EngineOptions): RecognitionEngine {
  return new RecognitionEngine(options);
}
