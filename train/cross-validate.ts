import type { Matrix } from "ml-matrix";
import type { FeatureConfig } from "../engine/features/feature-config.ts";
import { groupFolds, indicesWhere, leaveOneGroupOut } from "./cross-validation.ts";
import { accuracy, fitSoftmaxModel, predictRows, selectRows } from "./fit-model.ts";
import { mean, std } from "./metrics.ts";
import type { SoftmaxOptions } from "./softmax-trainer.ts";

export type CvScheme = "group5" | "loso";

export interface CvResult {
  scheme: CvScheme;
  folds: { fold: number; speakers: string[]; count: number; accuracy: number }[];
  fold_accuracies: number[];
  mean: number;
  std: number;
}

/** Speaker-grouped cross-validation of the softmax model on precomputed features. */
export function crossValidate(
  X: Matrix,
  y: Int32Array,
  speakers: string[],
  features: FeatureConfig,
  options: Partial<SoftmaxOptions>,
  scheme: CvScheme,
  seed = 0,
): CvResult {
  const split = scheme === "loso" ? leaveOneGroupOut(speakers) : groupFolds(speakers, 5, seed);
  const folds = split.names.map((names, f) => {
    const trainIdx = indicesWhere(split.fold, f, false);
    const testIdx = indicesWhere(split.fold, f, true);
    const model = fitSoftmaxModel(selectRows(X, trainIdx), Int32Array.from(trainIdx, (i) => y[i]!), features, options);
    const predicted = predictRows(model, selectRows(X, testIdx));
    return { fold: f, speakers: names, count: testIdx.length, accuracy: accuracy(Int32Array.from(testIdx, (i) => y[i]!), predicted) };
  });
  const accs = folds.map((f) => f.accuracy);
  return { scheme, folds, fold_accuracies: accs, mean: mean(accs), std: std(accs) };
}
