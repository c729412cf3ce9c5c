import type { VoicingConfig } from "./features/voicing.ts";
import { readFileSync, existsSync } from "node:fs";
import { UserError } from "./errors.ts";
import { type FeatureConfig, featureDimension, validateFeatureConfig } from "./features/feature-config.ts";
import { type MatrixData, type PackedMatrix, matrixData, packMatrix } from "./packed-matrix.ts";

export const MODEL_FORMAT = "spoken-digits-model";
export const MODEL_VERSION = 1;
export const DEFAULT_MODEL_PATH = "models/default.json";

export type Activation = "relu" | "softmax";

/**
 * One dense layer: `weights` is out × in, row-major per output unit; rows of numbers in memory
 * while training, packed float32 in files `bun train` writes (both load).
 */
export interface DenseLayer {
  weights: number[][] | PackedMatrix;
  bias: number[];
  activation: Activation;
}

/**
 * An utterance whose median pitch is above `minHz` (a woman's or a child's voice, in a model
 * trained on men) is classified by the average of the network's log-probabilities over mel
 * filterbanks warped by each of `warps` (above 1: a longer vocal tract), marginalising over a
 * vocal-tract length the model never heard. Lower voices are classified unwarped.
 */
export interface PitchWarpConfig {
  minHz: number;
  warps: number[];
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
  /** Vocal-tract normalisation of high voices (see Classifier.classify); absent means none. */
  pitchWarp?: PitchWarpConfig;
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
  renameOldFields(model.features);
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
    const w = layerShape(layer.weights, inputs, (problem) => invalid(path, `layer ${i} ${problem}`));
    if (!isNumberArray(layer.bias, w.rows)) invalid(path, `layer ${i} bias must have ${w.rows} numbers`);
    inputs = w.rows;
  });
  const v = model.voicing;
  if (v !== undefined) {
    const fields: (keyof VoicingConfig)[] = ["minVoicedMs", "minCorrelation", "maxPeakiness", "minHighDb", "relativeDb"];
    if (typeof v !== "object" || v === null || !fields.every((k) => typeof v[k] === "number" && Number.isFinite(v[k]))) {
      invalid(path, `voicing must hold the numbers ${fields.join(", ")}`);
    }
  }
  const pw = model.pitchWarp;
  if (pw !== undefined) {
    const ok = typeof pw === "object" && pw !== null && typeof pw.minHz === "number" && pw.minHz > 0 && Array.isArray(pw.warps) && pw.warps.length > 0;
    if (!ok || !pw.warps.every((w) => typeof w === "number" && w >= 0.5 && w <= 2)) invalid(path, "pitchWarp must hold minHz > 0 and warps, a list of factors within 0.5-2");
  }
  if (inputs !== model.labels.length) invalid(path, `output layer has ${inputs} units for ${model.labels.length} labels`);
  return model as ModelFile;
}

/** Files written before the cepstra were named for what they hold call their count `nMfcc`. */
function renameOldFields(features: FeatureConfig): void {
  const f = features as FeatureConfig & { nMfcc?: number };
  if (f.nCepstra === undefined && f.nMfcc !== undefined) f.nCepstra = f.nMfcc;
  delete f.nMfcc;
}

function allFinite(a: Float32Array): boolean {
  let zero = 0;
  for (let i = 0; i < a.length; i++) zero += a[i]! * 0; // NaN as soon as one value is NaN or ±∞
  return zero === 0;
}

/** The shape of a layer's weights with `inputs` columns, or `fail` with what is wrong. */
function layerShape(w: unknown, inputs: number, fail: (problem: string) => never): { rows: number; cols: number } {
  if (Array.isArray(w)) {
    if (w.length === 0) fail("has no weights");
    if (!w.every((row) => isNumberArray(row, inputs))) fail(`weights must be rows of ${inputs} finite numbers`);
    return { rows: w.length, cols: inputs };
  }
  if (typeof w !== "object" || w === null) fail("has no weights");
  let m: MatrixData;
  try {
    m = matrixData(w as PackedMatrix);
  } catch (err) {
    fail(`weights: ${(err as Error).message}`);
  }
  if (m.cols !== inputs) fail(`weights must have ${inputs} columns, not ${m.cols}`);
  if (!allFinite(m.data)) fail("weights must be finite numbers");
  return m;
}

/** The model as `bun train` writes it: weights packed as float32 (see packed-matrix.ts). */
export function serializeModel(model: ModelFile): string {
  const layers = model.layers.map((l) => ({ ...l, weights: Array.isArray(l.weights) ? packMatrix(l.weights) : l.weights }));
  return `${JSON.stringify({ ...model, layers })}\n`;
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
