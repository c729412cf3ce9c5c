import { Matrix } from "ml-matrix";
import { Classifier, argmax } from "../engine/classifier.ts";
import type { FeatureConfig } from "../engine/features/feature-config.ts";
import { MODEL_FORMAT, MODEL_VERSION, type ModelFile } from "../engine/model-file.ts";
import { applyStandardizer, fitStandardizer } from "./standardizer.ts";
import { type SoftmaxOptions, trainSoftmax } from "./softmax-trainer.ts";

export const DIGIT_LABELS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

function round(x: number, digits = 6): number {
  return Number(x.toPrecision(digits));
}

/** Standardises X, trains the softmax head and packs both with the feature config as a model file. */
export function fitSoftmaxModel(
  X: Matrix,
  y: Int32Array,
  features: FeatureConfig,
  options: Partial<SoftmaxOptions>,
  training: Record<string, unknown> = {},
): ModelFile {
  const st = fitStandardizer(X);
  const trained = trainSoftmax(applyStandardizer(X, st), y, DIGIT_LABELS.length, options);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    labels: DIGIT_LABELS,
    features,
    standardize: { mean: Array.from(st.mean, (v) => round(v)), scale: Array.from(st.scale, (v) => round(v)) },
    layers: [
      {
        weights: trained.weights.to2DArray().map((row) => row.map((v) => round(v))),
        bias: Array.from(trained.bias, (v) => round(v)),
        activation: "softmax",
      },
    ],
    training: { ...training, iterations: trained.iterations, finalLoss: round(trained.loss) },
  };
}

/** Predicted class index of every row of (raw, unstandardised) features. */
export function predictRows(model: ModelFile, X: Matrix): Int32Array {
  const classifier = new Classifier(model);
  const out = new Int32Array(X.rows);
  const row = new Float64Array(X.columns);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < X.columns; j++) row[j] = X.get(i, j);
    out[i] = argmax(classifier.predict(row));
  }
  return out;
}

export function accuracy(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) ok++;
  return truth.length ? ok / truth.length : 0;
}

export function selectRows(X: Matrix, rows: number[]): Matrix {
  return X.selection(rows, Array.from({ length: X.columns }, (_, j) => j));
}
