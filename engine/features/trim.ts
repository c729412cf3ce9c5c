import type { TrimConfig } from "./feature-config.ts";

/**
 * Picks the frames that hold the utterance: threshold = floor + max(minMargin, relative ×
 * (peak − floor)) over speech-band energy, gaps under `closeGapMs` closed, the run that holds
 * the loudest frame kept, padded by `padMs` each side. Returns the frame range [start, end).
 * `scratch` must hold at least `bandDb.length` values (it is used to find the percentile).
 */
export function trimFrames(bandDb: Float64Array, scratch: Float64Array, t: TrimConfig, frameMs: number): { start: number; end: number } {
  const n = bandDb.length;
  let peak = -Infinity;
  let loudest = 0;
  for (let i = 0; i < n; i++) {
    if (bandDb[i]! > peak) {
      peak = bandDb[i]!;
      loudest = i;
    }
  }
  // Frames far below the peak (digital silence around a clip) would drag the floor down and
  // make the trim keep everything; they are left out of the floor estimate.
  let m = 0;
  for (let i = 0; i < n; i++) if (bandDb[i]! >= peak - t.floorRangeDb) scratch[m++] = bandDb[i]!;
  const sorted = scratch.subarray(0, m);
  sorted.sort();
  // Not engine/scoring.ts's percentile: this rank rule is part of the feature definition every
  // stored model was trained with, so it stays as it is.
  const floor = sorted[Math.min(m - 1, Math.floor((t.floorPercentile / 100) * (m - 1)))]!;
  const threshold = floor + Math.max(t.minMarginDb, t.relativeMargin * (peak - floor));
  const maxGap = Math.round(t.closeGapMs / frameMs);
  // Grow the run around the loudest frame, stepping over gaps shorter than maxGap.
  let start = loudest;
  let gap = 0;
  for (let i = loudest - 1; i >= 0; i--) {
    if (bandDb[i]! >= threshold) {
      start = i;
      gap = 0;
    } else if (++gap > maxGap) break;
  }
  let end = loudest + 1;
  gap = 0;
  for (let i = loudest + 1; i < n; i++) {
    if (bandDb[i]! >= threshold) {
      end = i + 1;
      gap = 0;
    } else if (++gap > maxGap) break;
  }
  // Context on each side, but not into frames below the floor (digital silence, dropouts).
  const pad = Math.round(t.padMs / frameMs);
  for (let k = 0; k < pad && start > 0 && bandDb[start - 1]! >= floor; k++) start--;
  for (let k = 0; k < pad && end < n && bandDb[end]! >= floor; k++) end++;
  return { start, end };
}
