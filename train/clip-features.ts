import { Matrix } from "ml-matrix";
import type { Clip } from "../data/fsdd.ts";
import { FeatureExtractor } from "../engine/features/extractor.ts";
import type { FeatureConfig } from "../engine/features/feature-config.ts";
import { resampleTo } from "../engine/resampler.ts";
import { ProgressBar } from "../ui/terminal/progress.ts";

/** The utterance features of every clip, one row each, through the engine's one extractor. */
export function clipFeatures(clips: Clip[], config: FeatureConfig, label = "features"): Matrix {
  const fx = new FeatureExtractor(config);
  const X = new Matrix(clips.length, fx.dimension);
  const row = new Float64Array(fx.dimension);
  const bar = clips.length >= 500 ? new ProgressBar(label, clips.length) : null;
  clips.forEach((clip, i) => {
    const samples = clip.sampleRate === config.sampleRate ? clip.samples : resampleTo(clip.samples, clip.sampleRate, config.sampleRate);
    fx.extract(samples, row);
    for (let j = 0; j < row.length; j++) X.set(i, j, row[j]!);
    bar?.tick();
  });
  bar?.finish();
  return X;
}
