import type { TemplateSet } from "./adaptation/template-matcher.ts";
import type { VoicingConfig } from "./features/voicing.ts";
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { UserError } from "./errors.ts";
import { type FeatureConfig, featureDimension, validateFeatureConfig } from "./features/feature-config.ts";
import { type Limit, MODEL_LIMITS, firstTooLarge, firstTooLargeFloat32, outOfBounds } from "./model-bounds.ts";
import { matvecOrder } from "./matvec-order.ts";
import { type WeightsFileUse, readWeightsFile, weightsFilePath, writeWeightsFile } from "./model-weights-file.ts";
import { LITTLE_ENDIAN, type MatrixData, type PackedMatrix, matrixData, packMatrix } from "./packed-matrix.ts";

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
  /**
   * A speaker's takes matched against each utterance and fused with the network's output (set
   * by a profile, see engine/adaptation; never in a model file `bun train` writes).
   */
  templates?: TemplateSet;
  /** How the model was made (recipe, cross-validation); `{}` when the file has none. */
  training: Record<string, unknown>;
}

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/**
 * The label of a model's output for speech and sounds that are not digits, after the ten digits
 * (a recipe's `nonDigitClass`, or a speaker profile's): the engine rejects what it wins.
 */
export const NON_DIGIT_LABEL = "none";

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
  const labels: unknown = model.labels;
  const nonDigit = Array.isArray(labels) && labels.length === DIGITS.length + 1 && labels[DIGITS.length] === NON_DIGIT_LABEL;
  if (!Array.isArray(labels) || labels.length !== DIGITS.length + (nonDigit ? 1 : 0) || !DIGITS.every((d) => labels.includes(d))) {
    invalid(path, `labels must be the ten digits "0"…"9", each once (and "${NON_DIGIT_LABEL}" last), not ${JSON.stringify(labels)?.slice(0, 80)}`);
  }
  if (model.rejectBelow !== undefined && !(typeof model.rejectBelow === "number" && model.rejectBelow >= 0 && model.rejectBelow <= 1)) {
    invalid(path, `rejectBelow is ${JSON.stringify(model.rejectBelow)}: must be a number in 0…1`);
  }
  if (typeof model.features !== "object" || model.features === null) invalid(path, "feature config missing");
  renameOldFields(model.features);
  const bound = (field: string, value: unknown, limit: Limit, integer = true) => {
    const problem = outOfBounds(field, value, limit, integer);
    if (problem) invalid(path, problem);
  };
  checkFeatureBounds(model.features, bound);
  try {
    validateFeatureConfig(model.features);
  } catch (err) {
    invalid(path, (err as Error).message);
  }
  const dim = featureDimension(model.features);
  const st = model.standardize;
  if (!st || !isNumberArray(st.mean, dim) || !isNumberArray(st.scale, dim)) invalid(path, `standardisation must have ${dim} means and scales`);
  const [minScale, maxScale] = MODEL_LIMITS.scale;
  const badScale = st.scale.findIndex((s) => !(s >= minScale && s <= maxScale));
  if (badScale >= 0) invalid(path, `standardize.scale[${badScale}] is ${st.scale[badScale]}: must be in ${minScale}…${maxScale}`);
  const maxMagnitude = MODEL_LIMITS.magnitude[1];
  const badMean = firstTooLarge(st.mean, maxMagnitude);
  if (badMean >= 0) invalid(path, `standardize.mean[${badMean}] is ${st.mean[badMean]}: its magnitude must be at most ${maxMagnitude}`);
  if (!Array.isArray(model.layers)) invalid(path, "no layers");
  bound("layers.length", model.layers.length, "layers");
  let inputs = dim;
  model.layers.forEach((layer, i) => {
    const last = i === model.layers!.length - 1;
    if (typeof layer !== "object" || layer === null) invalid(path, `layer ${i} is not an object`);
    if (layer.activation !== (last ? "softmax" : "relu")) invalid(path, `layer ${i} activation must be ${last ? "softmax" : "relu"}`);
    const w = layerShape(layer.weights, inputs, (problem) => invalid(path, `layer ${i} ${problem}`));
    bound(`layers[${i}] units`, w.rows, "units");
    if (!isNumberArray(layer.bias, w.rows)) invalid(path, `layer ${i} bias must have ${w.rows} numbers`);
    if (firstTooLarge(layer.bias, maxMagnitude) >= 0) invalid(path, `layer ${i} bias: magnitudes must be at most ${maxMagnitude}`);
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
    if (!ok || !pw.warps.every((w) => typeof w === "number" && w >= 0.5 && w <= 2))
      invalid(path, "pitchWarp must hold minHz > 0 and warps, a list of factors within 0.5-2");
    bound("pitchWarp.warps.length", pw.warps.length, "warps");
  }
  if (inputs !== labels.length) invalid(path, `output layer has ${inputs} units for ${labels.length} labels`);
  if (model.training !== undefined && (typeof model.training !== "object" || model.training === null)) invalid(path, "training must be an object when present");
  return { ...model, training: model.training ?? {} } as ModelFile;
}

/** Files written before the cepstra were named for what they hold call their count `nMfcc`. */
function renameOldFields(features: FeatureConfig): void {
  const f = features as FeatureConfig & { nMfcc?: number };
  if (f.nCepstra === undefined && f.nMfcc !== undefined) f.nCepstra = f.nMfcc;
  delete f.nMfcc;
}

/**
 * Every feature setting that sizes a buffer or a loop, within MODEL_LIMITS, before anything is
 * built from them (an nFft of 2^30 or a deltaWidth of 1e9 would exhaust memory or hang).
 */
function checkFeatureBounds(f: FeatureConfig, bound: (field: string, value: unknown, limit: Limit, integer?: boolean) => void): void {
  bound("features.sampleRate", f.sampleRate, "sampleRate");
  bound("features.frameLength", f.frameLength, "frameLength");
  bound("features.hopLength", f.hopLength, "frameLength");
  bound("features.nFft", f.nFft, "nFft");
  bound("features.nMels", f.nMels, "nMels");
  bound("features.nCepstra", f.nCepstra, "nMels");
  bound("features.timeSegments", f.timeSegments, "timeSegments");
  bound("features.deltaWidth", f.deltaWidth, "deltaWidth");
  if (f.lpcOrder !== undefined) bound("features.lpcOrder", f.lpcOrder, "nMels");
  const rate = f.sampleRate;
  for (const k of ["fMin", "fMax", "preEmphasis", "logFloor"] as const) {
    if (!(typeof f[k] === "number" && Number.isFinite(f[k]))) bound(`features.${k}`, f[k], "magnitude", false);
  }
  if (f.dynamicRangeDb !== undefined) bound("features.dynamicRangeDb", f.dynamicRangeDb, "trimMs", false);
  const t = f.trim;
  if (typeof t !== "object" || t === null) return;
  bound("features.trim.bandLowHz", t.bandLowHz, "magnitude", false);
  bound("features.trim.bandHighHz", t.bandHighHz, "magnitude", false);
  if (t.bandHighHz > rate / 2 || t.bandLowHz > t.bandHighHz) bound("features.trim.bandHighHz", NaN, "sampleRate");
  bound("features.trim.closeGapMs", t.closeGapMs, "trimMs", false);
  bound("features.trim.padMs", t.padMs, "trimMs", false);
  for (const k of ["floorPercentile", "floorRangeDb", "minMarginDb", "relativeMargin"] as const) bound(`features.trim.${k}`, t[k], "magnitude", false);
  if (!(t.floorPercentile >= 0 && t.floorPercentile <= 100)) bound("features.trim.floorPercentile", t.floorPercentile, "trimMs", false);
}

/** The shape of a layer's weights with `inputs` columns, or `fail` with what is wrong. */
function layerShape(w: unknown, inputs: number, fail: (problem: string) => never): { rows: number; cols: number } {
  if (Array.isArray(w)) {
    if (w.length === 0) fail("has no weights");
    if (w.length > MODEL_LIMITS.units[1]) fail(`has ${w.length} units: at most ${MODEL_LIMITS.units[1]}`);
    if (!w.every((row) => isNumberArray(row, inputs) && firstTooLarge(row, MODEL_LIMITS.magnitude[1]) < 0)) {
      fail(`weights must be rows of ${inputs} finite numbers of magnitude at most ${MODEL_LIMITS.magnitude[1]}`);
    }
    return { rows: w.length, cols: inputs };
  }
  if (typeof w !== "object" || w === null) fail("has no weights");
  const { rows, cols } = w as { rows?: unknown; cols?: unknown };
  // the declared shape, before the weights are decoded: rows × cols floats are about to be allocated
  if (!(typeof rows === "number" && typeof cols === "number" && rows * cols <= MODEL_LIMITS.weights[1])) {
    fail(`weights: ${rows} × ${cols} is not a shape of at most ${MODEL_LIMITS.weights[1]} weights`);
  }
  let m: MatrixData;
  try {
    m = matrixData(w as PackedMatrix);
  } catch (err) {
    fail(`weights: ${(err as Error).message}`);
  }
  if (m.cols !== inputs) fail(`weights must have ${inputs} columns, not ${m.cols}`);
  // checked in the order the network holds them (the padding is zeros): a model read from its
  // weights file needs no row-major copy, and one read from JSON is rearranged here once
  if (firstTooLargeFloat32(matvecOrder(m), MODEL_LIMITS.magnitude[1]) >= 0)
    fail(`weights must be finite numbers of magnitude at most ${MODEL_LIMITS.magnitude[1]}`);
  return m;
}

/** The model as `bun train` writes it: weights packed as float32 (see packed-matrix.ts). */
export function serializeModel(model: ModelFile): string {
  const layers = model.layers.map((l) => ({ ...l, weights: Array.isArray(l.weights) ? packMatrix(l.weights) : l.weights }));
  return `${JSON.stringify({ ...model, layers })}\n`;
}

/** Where loading a model file spent its time, ms, and whether its weights file served. */
export interface ModelLoadTimings {
  readMs: number;
  parseMs: number;
  validateMs: number;
  weightsFile?: WeightsFileUse;
}

/**
 * The model file at `path`, validated. Read from its weights file (see model-weights-file.ts) when
 * that was made from this JSON; else from the JSON, and a weights file is written beside it for the
 * next start (when the folder is writable: nothing is lost when it is not).
 */
export function loadModelFile(path = DEFAULT_MODEL_PATH, timings?: ModelLoadTimings): ModelFile {
  if (!existsSync(path)) throw new UserError(`${path}: model not found`, "train one with `bun train` (it writes models/default.json)");
  const t0 = performance.now();
  const size = boundedSize(path, MODEL_LIMITS.fileBytes[1]);
  const weightsPath = weightsFilePath(path);
  let json: Uint8Array | null = null;
  let fromWeightsFile: unknown | null | "stale" = null;
  if (size > 0) {
    json = mapFile(path);
    fromWeightsFile = json && json.length === size ? readWeightsFile(weightsPath, json) : null;
  }
  if (fromWeightsFile !== null && fromWeightsFile !== "stale") {
    const t1 = performance.now();
    const model = validateModel(fromWeightsFile, path);
    if (timings) {
      timings.readMs = t1 - t0;
      timings.parseMs = 0;
      timings.validateMs = performance.now() - t1;
      timings.weightsFile = "read";
    }
    return model;
  }
  const bytes = readBounded(path, MODEL_LIMITS.fileBytes[1]);
  const t1 = performance.now();
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    invalid(path, `not JSON: ${(err as Error).message}`);
  }
  const t2 = performance.now();
  const model = validateModel(parsed, path);
  const t3 = performance.now();
  let use: WeightsFileUse = fromWeightsFile === "stale" ? "replaced" : "written";
  try {
    // where files cannot be mapped the weights file would never be read: none is written
    if (LITTLE_ENDIAN && json) writeWeightsFile(weightsPath, bytes, model);
    else use = "unwritable";
  } catch {
    use = "unwritable";
  }
  if (timings) {
    timings.readMs = t1 - t0;
    timings.parseMs = t2 - t1;
    timings.validateMs = t3 - t2;
    timings.weightsFile = use;
  }
  return model;
}

/** The size of the regular file at `path`, refused when it is anything else or above `maxBytes`. */
function boundedSize(path: string, maxBytes: number): number {
  const st = statSync(path);
  if (!st.isFile()) throw new UserError(`${path}: not a regular file (a model is a JSON file)`);
  if (st.size > maxBytes) throw new UserError(`${path}: ${st.size} bytes is too large for a model file (at most ${maxBytes})`);
  return st.size;
}

/** The file mapped into memory (its pages are read as they are touched), or null when it cannot be. */
function mapFile(path: string): Uint8Array | null {
  try {
    return Bun.mmap(path, { shared: false });
  } catch {
    return null;
  }
}

/**
 * The bytes of a regular file of at most `maxBytes`. Anything else (/dev/zero, a FIFO that would
 * block the open) is refused before it is opened, and the read stops at `maxBytes` even for a
 * file that grows while it is read.
 */
function readBounded(path: string, maxBytes: number): Buffer {
  if (!statSync(path).isFile()) throw new UserError(`${path}: not a regular file (a model is a JSON file)`);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    throw new UserError(`${path}: cannot open the model (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.size > maxBytes) throw new UserError(`${path}: ${st.size} bytes is too large for a model file (at most ${maxBytes})`);
    // One buffer of the size the file has (and a byte to see it grow), read in place: no copies
    // of a multi-megabyte file on every cold start. A file that grows meanwhile grows it.
    let buffer = Buffer.allocUnsafe(st.size + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        const larger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(larger, 0, 0, total);
        buffer = larger;
      }
      const n = readSync(fd, buffer, total, buffer.length - total, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new UserError(`${path}: more than ${maxBytes} bytes: not a model file`);
    }
    return buffer.subarray(0, total);
  } finally {
    closeSync(fd);
  }
}
