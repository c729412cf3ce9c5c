/**
 * Every parameter of the feature extractor. It is stored inside each model file, so inference
 * always runs the extractor the model was trained with.
 */
export interface FeatureConfig {
  /** Rate the extractor expects; inputs at other rates are resampled first. */
  sampleRate: number;
  /** Analysis window in samples (25 ms at 8 kHz). */
  frameLength: number;
  /** Hop between frames in samples (10 ms at 8 kHz). */
  hopLength: number;
  /** FFT size (a power of two ≥ frameLength). */
  nFft: number;
  nMels: number;
  fMin: number;
  fMax: number;
  /** Number of cepstral coefficients kept, c0 included. */
  nCepstra: number;
  /** First-order pre-emphasis coefficient (0 disables it). */
  preEmphasis: number;
  /** Floor added to mel power before the log, relative to full scale. */
  logFloor: number;
  /** Utterance level: cepstra (MFCC or PLP) are averaged over this many equal time segments. */
  timeSegments: number;
  /** Half-width of the delta regression window in frames. */
  deltaWidth: number;
  /** Energy trim applied to every input before features (train and inference alike). */
  trim: TrimConfig;
  /** Append a second time grid holding the segment means of the deltas. Absent means false. */
  gridDeltas?: boolean;
  /**
   * Log-mel energies more than this many dB below the utterance's loudest band and frame are
   * raised to that level, so digital silence (synthetic or gated audio) looks like a quiet
   * room instead of an abyss. Absent means no limit.
   */
  dynamicRangeDb?: number;
  /**
   * When set, the cepstra come from an all-pole model of this order fitted to the
   * loudness-compressed mel spectrum (perceptual linear prediction) instead of a DCT of the
   * log-mel. Absent means MFCC.
   */
  lpcOrder?: number;
}

/** The energy trim of accuracy-notes.md: keeps the loudest run of speech-band frames. */
export interface TrimConfig {
  enabled: boolean;
  /** Speech band whose energy decides what is speech, in Hz. */
  bandLowHz: number;
  bandHighHz: number;
  /** The noise floor is this percentile of frame energies (0-100). */
  floorPercentile: number;
  /** Frames more than this below the loudest one are not used to estimate the floor. */
  floorRangeDb: number;
  /** Threshold = floor + max(minMarginDb, relativeMargin × (peak − floor)). */
  minMarginDb: number;
  relativeMargin: number;
  /** Gaps shorter than this inside speech are closed, in ms. */
  closeGapMs: number;
  /** Context kept on each side of the run, in ms. */
  padMs: number;
}

export const DEFAULT_TRIM: TrimConfig = {
  enabled: true,
  bandLowHz: 250,
  bandHighHz: 3500,
  floorPercentile: 10,
  floorRangeDb: 80,
  minMarginDb: 5,
  relativeMargin: 0.15,
  closeGapMs: 100,
  padMs: 30,
};

export const DEFAULT_FEATURES: FeatureConfig = {
  sampleRate: 8000,
  frameLength: 200,
  hopLength: 80,
  nFft: 256,
  nMels: 20,
  fMin: 0,
  fMax: 4000,
  nCepstra: 13,
  preEmphasis: 0.97,
  logFloor: 1e-10,
  timeSegments: 16,
  deltaWidth: 2,
  trim: DEFAULT_TRIM,
};

/** Length of the utterance feature vector for a config. */
export function featureDimension(c: FeatureConfig): number {
  // time grid of cepstra + mean and std of cepstra + mean and std of deltas (+ time grid of deltas)
  return (c.gridDeltas ? 2 : 1) * c.timeSegments * c.nCepstra + 4 * c.nCepstra;
}

/** Throws a readable error for a config that cannot work. */
export function validateFeatureConfig(c: FeatureConfig): void {
  const problems: string[] = [];
  const isInt = (v: number) => Number.isInteger(v) && v > 0;
  if (!isInt(c.sampleRate)) problems.push("sampleRate must be a positive integer");
  if (!isInt(c.frameLength)) problems.push("frameLength must be a positive integer");
  if (!isInt(c.hopLength)) problems.push("hopLength must be a positive integer");
  if (!isInt(c.nFft) || (c.nFft & (c.nFft - 1)) !== 0 || c.nFft < c.frameLength) problems.push("nFft must be a power of two ≥ frameLength");
  if (!isInt(c.nMels)) problems.push("nMels must be a positive integer");
  if (!isInt(c.nCepstra) || c.nCepstra > c.nMels) problems.push("nCepstra must be a positive integer ≤ nMels");
  if (!(c.fMin >= 0 && c.fMax > c.fMin && c.fMax <= c.sampleRate / 2)) problems.push("need 0 ≤ fMin < fMax ≤ sampleRate/2");
  if (!(c.preEmphasis >= 0 && c.preEmphasis < 1)) problems.push("preEmphasis must be in [0, 1)");
  if (!(c.logFloor > 0)) problems.push("logFloor must be > 0");
  if (!isInt(c.timeSegments)) problems.push("timeSegments must be a positive integer");
  if (!(Number.isInteger(c.deltaWidth) && c.deltaWidth >= 1)) problems.push("deltaWidth must be an integer ≥ 1");
  if (!c.trim) problems.push("trim settings are missing");
  if (c.dynamicRangeDb !== undefined && !(c.dynamicRangeDb > 0)) problems.push("dynamicRangeDb must be > 0 when set");
  if (c.lpcOrder !== undefined && !(Number.isInteger(c.lpcOrder) && c.lpcOrder >= 1 && c.lpcOrder <= c.nMels))
    problems.push("lpcOrder must be an integer in 1…nMels when set");
  if (problems.length) throw new Error(`invalid feature config: ${problems.join("; ")}`);
}
