import type { VoicingConfig } from "./features/voicing.ts";
import { readFileSync, existsSync } from "node:fs";
import { UserError } from "./errors.ts";
import { type FeatureConfig, featureDimension, validateFeatureConfig } from "./features/feature-config.ts";

export const MODEL_FORMAT = "spoken-digits-model";
export const MODEL_VERSION = 1;
export const DEFAULT_MODEL_PATH = "models/default.json";

export type Activation = "relu" | "softmax";

/** One dense layer: `weights` is out × in, row-major per output unit. */
export interface DenseLayer {
  weights: number[][];
  bias: number[];
  activation: Activation;
}

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  /** Class names in output order ("0" … "9"). */
  labels: string[];
  features: FeatureConfig;
  /** Applied to the feature vector before the first layer: (x − mean) / scale. */
  standardize: { mean: number[]; scale: number[] };
  /** Hidden layers (relu) then one softmax output layer. */
  layers: DenseLayer[];
  /** Confidence below which the live engine rejects an utterance instead of naming a digit. */
  rejectBelow?: number;
  /** The voiced-speech check (see engine/features/voicing.ts); absent means DEFAULT_VOICING. */
  voicing?: VoicingConfig;
  training: Record<string, unknown>;
}

function invalid(path: string, problem: string): never {
  throw new UserError(`${path}: not a valid model file (${problem})`, "retrain it with `bun train` or restore models/default.json from git");
}

function isNumberArray(v: unknown, len?: number): v is number[] {
  return Array.isArray(v) && (len === undefined || v.length === len) && v.every((x) => typeof x === "number" && Number.isFinite(x));
}

/** Checks a parsed model file's structure and shapes; throws a UserError naming what is wrong. */
export function validateModel(m: unknown, path: string): ModelFile {
  if (typeof m !== "object" || m === null) invalid(path, "not a JSON object");
  const model = m as Partial<ModelFile>;
  if (model.format !== MODEL_FORMAT) invalid(path, `format is ${JSON.stringify(model.format)}, expected "${MODEL_FORMAT}"`);
  if (model.version !== MODEL_VERSION) invalid(path, `version ${model.version} is not supported (this build reads version ${MODEL_VERSION})`);
  if (!Array.isArray(model.labels) || model.labels.length < 2) invalid(path, "labels missing");
  if (!model.features) invalid(path, "feature config missing");
  try {
    validateFeatureConfig(model.features);
  } catch (err) {
    invalid(path, (err as Error).message);
  }
  const dim = featureDimension(model.features);
  const st = model.standardize;
  if (!st || !isNumberArray(st.mean, dim) || !isNumberArray(st.scale, dim)) invalid(path, `standardisation must have ${dim} means and scales`);
  if (st.scale.some((s) => s <= 0)) invalid(path, "standardisation scales must be positive");
  if (!Array.isArray(model.layers) || model.layers.length === 0) invalid(path, "no layers");
  let inputs = dim;
  model.layers.forEach((layer, i) => {
    const last = i === model.layers!.length - 1;
    if (layer.activation !== (last ? "softmax" : "relu")) invalid(path, `layer ${i} activation must be ${last ? "softmax" : "relu"}`);
    if (!Array.isArray(layer.weights) || layer.weights.length === 0) invalid(path, `layer ${i} has no weights`);
    if (!layer.weights.every((row) => isNumberArray(row, inputs))) invalid(path, `layer ${i} weights must be rows of ${inputs} finite numbers`);
    if (!isNumberArray(layer.bias, layer.weights.length)) invalid(path, `layer ${i} bias must have ${layer.weights.length} numbers`);
    inputs = layer.weights.length;
  });
  const v = model.voicing;
  if (v !== undefined) {
    const fields: (keyof VoicingConfig)[] = ["minVoicedMs", "minCorrelation", "maxPeakiness", "minHighDb", "relativeDb"];
    if (typeof v !== "object" || v === null || !fields.every((k) => typeof v[k] === "number" && Number.isFinite(v[k]))) {
      invalid(path, `voicing must hold the numbers ${fields.join(", ")}`);
    }
  }
  if (inputs !== model.labels.length) invalid(path, `output layer has ${inputs} units for ${model.labels.length} labels`);
  return model as ModelFile;
}

export function loadModelFile(path = DEFAULT_MODEL_PATH): ModelFile {
  if (!existsSync(path)) throw new UserError(`${path}: model not found`, "train one with `bun train` (it writes models/default.json)");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    invalid(path, `not JSON: ${(err as Error).message}`);
  }
  return validateModel(parsed, path);
}
