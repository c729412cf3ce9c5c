import { Classifier, argmax } from "../engine/classifier.ts";
import type { FeatureConfig } from "../engine/features/feature-config.ts";
import { type DenseLayer, MODEL_FORMAT, MODEL_VERSION, type ModelFile } from "../engine/model-file.ts";
import { matrixRows } from "../engine/packed-matrix.ts";
import { type MlpOptions, trainMlp } from "./mlp-trainer.ts";
import { type Standardizer, applyStandardizer, fitStandardizer } from "./standardizer.ts";
import { type SoftmaxOptions, trainSoftmax } from "./softmax-trainer.ts";
import { type Dataset, clipAt } from "./training-set.ts";
import type { Clip } from "../data/fsdd.ts";
import { Utterance } from "../engine/features/utterance.ts";

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

function rowsOf(m: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from(m.subarray(r * cols, (r + 1) * cols), (v) => round(v)));
}

/** Standardises the features, trains the softmax head and packs both with the feature config as a model file. */
export function fitSoftmaxModel(data: Dataset, features: FeatureConfig, options: Partial<SoftmaxOptions>, training: Record<string, unknown> = {}): ModelFile {
  const st = fitStandardizer(data);
  const k = DIGIT_LABELS.length;
  const trained = trainSoftmax(applyStandardizer(data, st), k, options);
  const layer: DenseLayer = { weights: rowsOf(trained.weights, k, data.cols), bias: Array.from(trained.bias, (v) => round(v)), activation: "softmax" };
  return packModel(features, st, [layer], { ...training, iterations: trained.iterations, finalLoss: round(trained.loss) });
}

/** Standardises the features, trains one hidden ReLU layer and a softmax output, and packs them as a model file. */
export function fitMlpModel(
  data: Dataset,
  features: FeatureConfig,
  options: Partial<MlpOptions>,
  training: Record<string, unknown> = {},
  labels: string[] = DIGIT_LABELS,
): ModelFile {
  const st = fitStandardizer(data);
  const k = labels.length;
  const net = trainMlp(applyStandardizer(data, st), k, options);
  const h = net.b1.length;
  const hidden: DenseLayer = { weights: rowsOf(net.w1, h, data.cols), bias: Array.from(net.b1, (v) => round(v)), activation: "relu" };
  const output: DenseLayer = { weights: rowsOf(net.w2, k, h), bias: Array.from(net.b2, (v) => round(v)), activation: "softmax" };
  return { ...packModel(features, st, [hidden, output], { ...training, finalLoss: round(net.loss) }), labels };
}

/**
 * One model out of several one-hidden-layer networks over the same features (each with its own
 * standardisation): their hidden layers side by side, the output averaging their logits, which
 * is the normalised geometric mean of their probabilities. Each member's standardisation is
 * folded into its hidden layer so the merged model keeps one: with x = u·σ₀ + μ₀,
 * w·(x − μ)/σ + b = (w·σ₀/σ)·u + b + w·(μ₀ − μ)/σ.
 */
export function mergeNetworks(models: ModelFile[], training: Record<string, unknown> = {}): ModelFile {
  const base = models[0]!;
  const mean0 = base.standardize.mean;
  const scale0 = base.standardize.scale;
  const n = models.length;
  const hiddenWeights: number[][] = [];
  const hiddenBias: number[] = [];
  const outputWeights: number[][] = base.labels.map(() => []);
  const outputBias = base.labels.map(() => 0);
  for (const m of models) {
    if (m.layers.length !== 2 || m.standardize.mean.length !== mean0.length)
      throw new Error("mergeNetworks: members must be one-hidden-layer networks over the same features");
    const { mean, scale } = m.standardize;
    const [hidden, output] = m.layers as [DenseLayer, DenseLayer];
    matrixRows(hidden.weights).forEach((w, j) => {
      let shift = 0;
      hiddenWeights.push(
        w.map((v, i) => {
          shift += (v * (mean0[i]! - mean[i]!)) / scale[i]!;
          return round((v * scale0[i]!) / scale[i]!);
        }),
      );
      hiddenBias.push(round(hidden.bias[j]! + shift));
    });
    matrixRows(output.weights).forEach((w, c) => outputWeights[c]!.push(...w.map((v) => round(v / n))));
    output.bias.forEach((v, c) => (outputBias[c]! += v / n));
  }
  const finalLoss = models.reduce((a, m) => a + Number(m.training.finalLoss ?? 0), 0) / n;
  return {
    ...base,
    layers: [
      { weights: hiddenWeights, bias: hiddenBias, activation: "relu" },
      { weights: outputWeights, bias: outputBias.map((v) => round(v)), activation: "softmax" },
    ],
    training: { ...training, finalLoss: round(finalLoss) },
  };
}

export function accuracy(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) ok++;
  return truth.length ? ok / truth.length : 0;
}

/**
 * Predicted class index of every clip, classified as the product does it (`Classifier.classify`:
 * with the model's pitch warp), from the clips' audio rather than precomputed feature rows.
 */
export function predictClips(model: ModelFile, clips: readonly Clip[]): Int32Array {
  const classifier = new Classifier(model);
  const rate = model.features.sampleRate;
  const u = new Utterance();
  const p = new Float64Array(model.labels.length);
  return Int32Array.from(clips, (c) => argmax(classifier.classify(classifier.analyse(clipAt(c, rate), u), p)));
}
