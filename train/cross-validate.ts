import type { Clip } from "../data/fsdd.ts";
import { groupFolds, indicesWhere, leaveOneGroupOut } from "./cross-validation.ts";
import { accuracy, predictClips } from "./fit-model.ts";
import { mean, std } from "./metrics.ts";
import type { ModelFile } from "../engine/model-file.ts";
import { type TrainRecipe, trainModel } from "./train-model.ts";

export type CvScheme = "group5" | "loso";

export interface CvResult {
  scheme: CvScheme;
  folds: { fold: number; speakers: string[]; count: number; accuracy: number }[];
  fold_accuracies: number[];
  mean: number;
  std: number;
}

/**
 * Speaker-grouped cross-validation of a training recipe: each fold's model is trained (with
 * its augmentation, babble drawn from that fold's training clips only) on the other speakers and
 * scored on the held-out speakers' clean clips, classified as the product does it.
 */
export async function crossValidate(
  clips: Clip[],
  recipe: TrainRecipe,
  scheme: CvScheme,
  onFold?: (fold: number, accuracy: number) => void,
  train: (clips: Clip[], recipe: TrainRecipe) => ModelFile | Promise<ModelFile> = trainModel,
  /** Called with each fold's model and held-out clips (to measure more than accuracy on them). */
  onModel?: (fold: number, model: ModelFile, held: Clip[], speakers: string[]) => void,
): Promise<CvResult> {
  const speakers = clips.map((c) => c.speaker);
  const split = scheme === "loso" ? leaveOneGroupOut(speakers) : groupFolds(speakers, 5, recipe.seed);
  const folds: CvResult["folds"] = [];
  for (let f = 0; f < split.names.length; f++) {
    const trainIdx = indicesWhere(split.fold, f, false);
    const testIdx = indicesWhere(split.fold, f, true);
    const model = await train(
      trainIdx.map((i) => clips[i]!),
      recipe,
    );
    const held = testIdx.map((i) => clips[i]!);
    const acc = accuracy(
      Int32Array.from(held, (c) => c.label),
      predictClips(model, held),
    );
    onFold?.(f, acc);
    onModel?.(f, model, held, split.names[f]!);
    folds.push({ fold: f, speakers: split.names[f]!, count: testIdx.length, accuracy: acc });
  }
  const accs = folds.map((f) => f.accuracy);
  return { scheme, folds, fold_accuracies: accs, mean: mean(accs), std: std(accs) };
}
