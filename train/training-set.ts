import type { Clip } from "../data/fsdd.ts";
import { FeatureExtractor } from "../engine/features/extractor.ts";
import type { FeatureConfig } from "../engine/features/feature-config.ts";
import { Utterance } from "../engine/features/utterance.ts";
import { resampleTo } from "../engine/resampler.ts";
import { type AugmentOptions, type TalkerPool, augmentCopy } from "./augment-recipe.ts";
import { maskedFeatures } from "./band-mask.ts";
import { seededRng } from "../data/synth/signals.ts";
import type { PhaseReporter } from "./phase-times.ts";

/** Feature rows (row-major) with their class; class −1 marks a non-digit (trained towards a uniform output). */
export interface Dataset {
  X: Float64Array;
  rows: number;
  cols: number;
  y: Int32Array;
}

/** Mono samples of a clip at `rate`. */
export function clipAt(clip: Clip, rate: number): Float32Array {
  return clip.sampleRate === rate ? clip.samples : resampleTo(clip.samples, clip.sampleRate, rate);
}

/** Clips grouped by speaker, at `rate`: the talkers of babble augmentation. */
export function talkersOf(clips: readonly Clip[], rate: number): Float32Array[][] {
  const bySpeaker = new Map<string, Float32Array[]>();
  for (const c of clips) {
    let list = bySpeaker.get(c.speaker);
    if (!list) bySpeaker.set(c.speaker, (list = []));
    list.push(clipAt(c, rate));
  }
  return [...bySpeaker.values()];
}

/** Rows `idx` of a dataset, as a new dataset. */
export function selectDataset(d: Dataset, idx: ArrayLike<number>): Dataset {
  const X = new Float64Array(idx.length * d.cols);
  const y = new Int32Array(idx.length);
  for (let r = 0; r < idx.length; r++) {
    const i = idx[r]!;
    X.set(d.X.subarray(i * d.cols, (i + 1) * d.cols), r * d.cols);
    y[r] = d.y[i]!;
  }
  return { X, rows: idx.length, cols: d.cols, y };
}

export function concatDatasets(parts: Dataset[]): Dataset {
  const cols = parts[0]!.cols;
  const rows = parts.reduce((a, p) => a + p.rows, 0);
  const X = new Float64Array(rows * cols);
  const y = new Int32Array(rows);
  let r = 0;
  for (const p of parts) {
    X.set(p.X, r * cols);
    y.set(p.y, r);
    r += p.rows;
  }
  return { X, rows, cols, y };
}

export interface BuildOptions {
  augment: AugmentOptions;
  seed: number;
  /** Signals babble noise is mixed from (default: the clips themselves). */
  babblePool?: readonly Float32Array[];
  /** Speakers the augmentation's `babble` is mixed from (default: each babble-pool clip on its own). */
  babbleTalkers?: TalkerPool;
  /** Class of every row (default: each clip's label). */
  label?: number;
  /** Called with the rows of each clip as they are built. */
  onRows?: (rows: number) => void;
  /** Told the time spent augmenting and extracting features (phases "augment" and "features"). */
  onPhase?: PhaseReporter;
}

/**
 * Features of clean clips, per feature config and clip: every member of an ensemble (and every
 * part a Worker builds) starts each clip's rows with the same clean row.
 */
const cleanRows = new WeakMap<FeatureConfig, WeakMap<Float32Array, Float64Array>>();

/**
 * Features of every clip, then of `augment.copies` augmented copies of each (seeded: the same
 * seed and clips give the same rows). Rows are clip-major: clip i's rows are
 * i·(1 + copies) … i·(1 + copies) + copies.
 */
export function buildTrainingSet(clips: Clip[], features: FeatureConfig, o: BuildOptions): Dataset {
  const rate = features.sampleRate;
  const fx = new FeatureExtractor(features);
  const per = 1 + o.augment.copies;
  const rows = clips.length * per;
  const X = new Float64Array(rows * fx.dimension);
  const y = new Int32Array(rows);
  const signals = clips.map((c) => clipAt(c, rate));
  const pool = o.babblePool ?? signals;
  const rng = seededRng(o.seed * 1000003 + 17);
  const out = new Float64Array(fx.dimension);
  const u = new Utterance();
  let clean = cleanRows.get(features);
  if (!clean) cleanRows.set(features, (clean = new WeakMap()));
  let r = 0;
  let augmentMs = 0;
  let featureMs = 0;
  for (let i = 0; i < clips.length; i++) {
    const x = signals[i]!;
    for (let c = 0; c < per; c++) {
      const t0 = performance.now();
      const known = c === 0 ? clean.get(x) : undefined;
      const copy = c === 0 ? { samples: x, warp: 1 } : augmentCopy(x, rate, o.augment, rng, pool, o.babbleTalkers, true);
      const t1 = performance.now();
      if (known) out.set(known);
      else {
        fx.analyse(copy.samples, u);
        if (copy.mask) maskedFeatures(fx, u, copy.warp, copy.mask, out);
        else fx.features(u, copy.warp, out);
        if (c === 0) clean.set(x, out.slice());
      }
      augmentMs += t1 - t0;
      featureMs += performance.now() - t1;
      X.set(out, r * fx.dimension);
      y[r] = o.label ?? clips[i]!.label;
      r++;
    }
    o.onRows?.(per);
  }
  o.onPhase?.("augment", augmentMs);
  o.onPhase?.("features", featureMs);
  return { X, rows, cols: fx.dimension, y };
}
