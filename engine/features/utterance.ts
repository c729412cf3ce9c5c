/** Frames [start, end) of an utterance that the features read: the speech the trim kept. */
export interface FrameRange {
  start: number;
  end: number;
}

/**
 * One utterance analysed once (see Classifier.analyse): the power spectrum of every frame, the
 * frames the trim kept, and the voiced-speech check and pitch read from those frames. Features
 * at any filterbank warp and the classification read only this object, so nothing depends on
 * which utterance was analysed before. An `Utterance` may be passed back to `analyse` to be
 * refilled (the engine does, so that steady-state recognition allocates nothing); its arrays
 * grow when a longer utterance than any before arrives.
 */
export class Utterance {
  /** Analysis frames (at least one: short inputs are zero-padded). */
  frames = 0;
  /** Bins per power spectrum (nFft/2 + 1). */
  bins = 0;
  /** frames × bins power spectra, row-major; rows past `frames` are spare capacity. */
  power = new Float64Array(0);
  /** The frames the trim kept. */
  readonly trim: FrameRange = { start: 0, end: 0 };
  /** Whether it holds enough voiced speech to be a digit (true when not checked: the model turns the check off, or only FeatureExtractor.analyse ran). */
  speech = true;
  /** Voiced frames the check found, counted up to the detector's `countUpTo` (0 when not checked). */
  voicedFrames = 0;
  /** Median pitch in Hz of the kept frames' vowel; 0 when too few frames are periodic or nothing was measured. */
  pitchHz = 0;

  /** Power spectrum (bins 0..nFft/2) of frame f: a view into `power`. */
  powerFrame(f: number): Float64Array {
    return this.power.subarray(f * this.bins, (f + 1) * this.bins);
  }

  /** Frames the trim kept. */
  get keptFrames(): number {
    return this.trim.end - this.trim.start;
  }
}
