import type { FeatureExtractor } from "../engine/features/extractor.ts";
import type { Utterance } from "../engine/features/utterance.ts";

/** A run of `width` mel bands at `position` (0-1 across the bands) to flatten: a training augmentation. */
export interface BandMask {
  position: number;
  width: number;
}

/** Sets the masked bands of each of `frames` rows of log-mel to the mean of that row's other bands. */
export function flattenBands(logMel: Float64Array, frames: number, nMels: number, mask: BandMask): void {
  const width = Math.min(mask.width, nMels - 1);
  const a = Math.min(nMels - width, Math.floor(mask.position * (nMels - width + 1)));
  const b = a + width;
  for (let f = 0; f < frames; f++) {
    const lm = f * nMels;
    let s = 0;
    for (let m = 0; m < nMels; m++) if (m < a || m >= b) s += logMel[lm + m]!;
    const mean = s / (nMels - width);
    for (let m = a; m < b; m++) logMel[lm + m] = mean;
  }
}

/**
 * The feature vector of `u` through the filterbank warped by `warp`, with `mask`'s bands
 * flattened in every kept frame before the cepstra (SpecAugment-style frequency masking).
 */
export function maskedFeatures(fx: FeatureExtractor, u: Utterance, warp: number, mask: BandMask, out: Float64Array): Float64Array {
  const frames = u.keptFrames;
  const logMel = fx.logMel(u, warp);
  flattenBands(logMel, frames, fx.config.nMels, mask);
  return fx.fromLogMel(logMel, frames, out);
}
