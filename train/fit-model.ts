import { Classifier, argmax } from "../engine/classifier.ts";
import type { FeatureConfig } from "../engine/features/feature-config.ts";
import { type DenseLayer, MODEL_FORMAT, MODEL_VERSION, type ModelFile } from "../engine/model-file.ts";
import { type MlpOptions, trainMlp } from "./mlp-trainer.ts";
import { type Standardizer, applyStandardizer, fitStandardizer } from "./standardizer.ts";
import { type SoftmaxOptions, trainSoftmax } from "./softmax-trainer.ts";
import type { Dataset } from "./training-set.ts";

export const DIGIT_LABELS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

function round(x: number, digits = 6): number {
  return Number(x.toPrecision(digits));
}

/** The model file around trained layers (the standardiser rounded like the weights). */
function packModel(features: FeatureConfig, st: Standardizer, layers: DenseLayer[], training: Record<string, unknown>): ModelFile {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    labels: DIGIT_LABELS,
    features,
    standardize: { mean: Array.from(st.mean, (v) => round(v)), scale: Array.from(st.scale, (v) => round(v)) },
    layers,
    training,
  };
}

function rowsOf(m: Float64Array, rows: number, cols: number, scale = 1): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from(m.subarray(r * cols, (r + 1) * cols), (v) => round(v * scale)));
}

/** Standardises the features, trains the softmax head and packs both with the feature config as a model file. */
export function fitSoftmaxModel(
  data: Dataset,
  features: FeatureConfig,
  options: Partial<SoftmaxOptions>,
  training: Record<string, unknown> = {},
): ModelFile {
  const st = fitStandardizer(data);
  const k = DIGIT_LABELS.length;
  const trained = trainSoftmax(applyStandardizer(data, st), k, options);
  const layer: DenseLayer = { weights: rowsOf(trained.weights, k, data.cols), bias: Array.from(trained.bias, (v) => round(v)), activation: "softmax" };
  return packModel(features, st, [layer], { ...training, iterations: trained.iterations, finalLoss: round(trained.loss) });
}

/**
 * Standardises the features, trains one hidden ReLU layer and a softmax output, and packs them
 * as a model file. With `members` > 1, that many networks (seeds seed, seed+1, …) are trained and
 * stored as one: their hidden layers side by side and the output averaging their logits.
 */
export function fitMlpModel(
  data: Dataset,
  features: FeatureConfig,
  options: Partial<MlpOptions>,
  training: Record<string, unknown> = {},
  members = 1,
): ModelFile {
  const st = fitStandardizer(data);
  const k = DIGIT_LABELS.length;
  const x = applyStandardizer(data, st);
  const seed = options.seed ?? 0;
  const nets = Array.from({ length: members }, (_, m) => trainMlp(x, k, { ...options, seed: seed + m }));
  const h = nets[0]!.b1.length;
  const hidden: DenseLayer = {
    weights: nets.flatMap((n) => rowsOf(n.w1, h, data.cols)),
    bias: nets.flatMap((n) => Array.from(n.b1, (v) => round(v))),
    activation: "relu",
  };
  const perNet = nets.map((n) => rowsOf(n.w2, k, h, 1 / members));
  const output: DenseLayer = {
    weights: Array.from({ length: k }, (_, c) => perNet.flatMap((rows) => rows[c]!)),
    bias: Array.from({ length: k }, (_, c) => round(nets.reduce((a, n) => a + n.b2[c]!, 0) / members)),
    activation: "softmax",
  };
  return packModel(features, st, [hidden, output], { ...training, finalLoss: round(nets.reduce((a, n) => a + n.loss, 0) / members) });
}

/** Class probabilities of every row of (raw, unstandardised) features: rows × classes. */
export function predictProbabilities(model: ModelFile, data: Dataset): Float64Array {
  const classifier = new Classifier(model);
  const k = model.labels.length;
  const out = new Float64Array(data.rows * k);
  for (let i = 0; i < data.rows; i++) out.set(classifier.predict(data.X.subarray(i * data.cols, (i + 1) * data.cols)), i * k);
  return out;
}

/** Predicted class index of every row. */
export function predictRows(model: ModelFile, data: Dataset): Int32Array {
  const k = model.labels.length;
  const p = predictProbabilities(model, data);
  return Int32Array.from({ length: data.rows }, (_, i) => argmax(p.subarray(i * k, (i + 1) * k)));
}

export function accuracy(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) ok++;
  return truth.length ? ok / truth.length : 0;
}
