import { UserError } from "../errors.ts";

/**
 * Tuning of the voice-activity segmenter. Levels are band levels (250-3500 Hz by default) in
 * dBFS, 20·log10(rms) with full scale = 1; durations are in milliseconds and are rounded to whole
 * 10 ms frames.
 */
export interface VadOptions {
  /** Input sample rate in Hz. The engine feeds 8 kHz. */
  sampleRate: number;
  /** Band whose energy decides speech: above mains hum and its low harmonics, below the 4 kHz edge. */
  bandLowHz: number;
  bandHighHz: number;
  /**
   * The noise floor is the quietest frame over this long a window: it falls at once when the room
   * gets quieter and rises only once the whole window is louder. Must exceed `maxSpeechMs`, so a
   * word can never lift the floor under itself.
   */
  noiseWindowMs: number;
  /** A frame this far above the floor can start an utterance (the onset threshold). */
  onsetMarginDb: number;
  /** A frame this far above the floor keeps an utterance going (lower: hysteresis). */
  continueMarginDb: number;
  /** No frame quieter than this ever starts an utterance, whatever the floor: digital silence and faint hiss stay silent. */
  minLevelDb: number;
  /** Frames above the onset threshold needed before an utterance starts, so a click (one or two frames) never does. */
  onsetMs: number;
  /** Audio kept from before the detected onset, so soft beginnings (f, s, th, h) are not clipped. */
  preRollMs: number;
  /**
   * Silence (below the continuation threshold) that ends an utterance. The main latency knob: the
   * end of speech is reported this long after it happens. Must stay below the shortest pause
   * between two words said in a row, or they merge.
   */
  hangoverMs: number;
  /** Audio kept after the last speech frame (at most `hangoverMs`). */
  tailMs: number;
  /** Shorter speech (onset to last speech frame) is reported as a rejected "too-short" segment. */
  minSpeechMs: number;
  /** Longer speech is cut here and reported as "too-long"; the segmenter then waits for silence. */
  maxSpeechMs: number;
  /**
   * Percentile (0-1) of the smoothed level over `noiseWindowMs` that stands for the background's
   * typical level; 0 turns it off. The thresholds are relative to the higher of the floor and this
   * level less `typicalBelowDb`: speech-like background (babble, music) sits well above its own
   * minimum, so thresholds over the minimum alone never end a segment in it.
   */
  noisePercentile: number;
  typicalBelowDb: number;
  /**
   * 1: an utterance over a busy background (see `busyFluctuationDb`) that reaches `maxSpeechMs`
   * is cut at its quietest stretch and the first piece recognised (speech over other voices runs
   * long, and holds the digits); in a quiet room, and with 0, a long utterance is rejected whole as
   * "too-long" (a long `hangoverMs` asks for words to be kept together).
   */
  splitLong: number;
  /**
   * A busy background: one whose typical level is audible (above `minLevelDb`) and stands at
   * least this many dB above its own 10th percentile (babble, music, a TV; steady noise stays
   * within 1-2 dB). While the background is busy, the thresholds stand over its typical level by
   * the busy margins, and an utterance gets the busy pre-roll and tail: audio before and after a
   * word is then other voices, which the classifier would take for part of the word. 0 = off.
   */
  busyFluctuationDb: number;
  busyOnsetMarginDb: number;
  busyContinueMarginDb: number;
  busyPreRollMs: number;
  busyTailMs: number;
  /**
   * Over a busy background the thresholds end words where they sink into the other voices, often
   * inside the word's weak beginning or end (the /f/ of "five", the /s/ of "six"), and a wider
   * fixed cut keeps more of the other voices too. So a busy utterance comes with up to this much
   * more audio on either side (`speech-end`'s `wide`; after the end, no more than the hangover
   * already waited for), for the recogniser to try a few wider cuts in and keep the one its
   * classifier is surest of. 0 = off.
   */
  busySearchMs: number;
  /** An utterance also ends once its level stays this far below its own peak for a hangover; 0 turns it off. */
  endBelowPeakDb: number;
}

/**
 * Defaults tuned on the shared test streams (pauses of 0.25-3 s, per-digit gain -12..+6 dB, SNR
 * down to 10 dB) and kept general for a live microphone.
 */
export const DEFAULT_VAD_OPTIONS: Readonly<VadOptions> = Object.freeze({
  sampleRate: 8000,
  bandLowHz: 250,
  bandHighHz: 3500,
  noiseWindowMs: 4000,
  onsetMarginDb: 7,
  continueMarginDb: 4,
  minLevelDb: -60,
  onsetMs: 30,
  preRollMs: 200,
  hangoverMs: 150,
  tailMs: 50,
  minSpeechMs: 100,
  maxSpeechMs: 1500,
  noisePercentile: 0.5,
  splitLong: 1,
  busyFluctuationDb: 3,
  busyOnsetMarginDb: 9,
  busyContinueMarginDb: 6,
  busyPreRollMs: 50,
  busyTailMs: 20,
  busySearchMs: 100,
  typicalBelowDb: 2,
  endBelowPeakDb: 0,
});

/** Fills in defaults and checks every option; throws a UserError naming the first bad one. */
export function resolveVadOptions(options: Partial<VadOptions> = {}): VadOptions {
  const o: VadOptions = { ...DEFAULT_VAD_OPTIONS, ...options };
  const bad = (name: keyof VadOptions, why: string): never => {
    throw new UserError(`invalid VAD option ${name}=${String(o[name])}: ${why}`, "fix the value or leave it at its default");
  };
  for (const [name, value] of Object.entries(o) as [keyof VadOptions, unknown][]) {
    if (typeof value !== "number" || !Number.isFinite(value)) bad(name, "must be a finite number");
    if (name.endsWith("Ms") && (value as number) < 0) bad(name, "must not be negative");
  }
  if (!Number.isInteger(o.sampleRate) || o.sampleRate < 4000 || o.sampleRate > 192000) bad("sampleRate", "must be an integer in 4000..192000");
  if (o.bandLowHz <= 0 || o.bandLowHz >= o.bandHighHz) bad("bandLowHz", "must be above 0 and below bandHighHz");
  if (o.bandHighHz >= o.sampleRate / 2) bad("bandHighHz", "must be below half the sample rate");
  if (o.continueMarginDb < 0) bad("continueMarginDb", "must not be negative");
  if (o.onsetMarginDb < o.continueMarginDb) bad("onsetMarginDb", "must be at least continueMarginDb");
  if (o.minLevelDb > 0 || o.minLevelDb < -120) bad("minLevelDb", "must be in -120..0 dBFS");
  if (o.onsetMs < 10) bad("onsetMs", "must be at least one 10 ms frame");
  if (o.hangoverMs < 10) bad("hangoverMs", "must be at least one 10 ms frame");
  if (o.tailMs > o.hangoverMs) bad("tailMs", "must not exceed hangoverMs (the tail is audio already waited for)");
  if (o.maxSpeechMs < 100 || o.maxSpeechMs > 60000) bad("maxSpeechMs", "must be in 100..60000");
  if (o.minSpeechMs >= o.maxSpeechMs) bad("minSpeechMs", "must be below maxSpeechMs");
  if (o.noisePercentile < 0 || o.noisePercentile >= 1) bad("noisePercentile", "must be in 0..1 (0 = off)");
  if (o.busyContinueMarginDb < 0) bad("busyContinueMarginDb", "must not be negative");
  if (o.busyOnsetMarginDb < o.busyContinueMarginDb) bad("busyOnsetMarginDb", "must be at least busyContinueMarginDb");
  if (o.busyTailMs > o.hangoverMs) bad("busyTailMs", "must not exceed hangoverMs");
  if (o.busyPreRollMs > o.preRollMs) bad("busyPreRollMs", "must not exceed preRollMs (the audio kept before an onset)");
  if (o.splitLong !== 0 && o.splitLong !== 1) bad("splitLong", "must be 0 or 1");
  if (o.endBelowPeakDb < 0) bad("endBelowPeakDb", "must not be negative (0 = off)");
  if (o.noiseWindowMs <= o.maxSpeechMs) bad("noiseWindowMs", "must exceed maxSpeechMs, or speech lifts the noise floor");
  return o;
}
