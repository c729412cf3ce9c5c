import type { DenseLayer, ModelFile } from "../model-file.ts";
import { type PackedMatrix, matrixData } from "../packed-matrix.ts";
import type { TemplateSet } from "./template-matcher.ts";

/**
 * What enrolment changes in a model: its output layer, refitted on the hidden-layer activations
 * of one speaker's takes (see train/speaker-adaptation.ts), its input mean, the confidence the
 * engine then needs to name a digit, and the takes themselves as templates the classifier
 * matches each utterance against. The hidden layers, features and pitch warp stay the model's
 * own, so an adapted model runs through the same classifier.
 */
export interface SpeakerAdaptation {
  output: { weights: PackedMatrix; bias: number[] };
  /**
   * The adapted model's labels when its output layer adds to the model's: a last output for
   * the speaker's non-digits, which the engine rejects ("not-a-digit"). Absent: the model's.
   */
  labels?: string[];
  rejectBelow?: number;
  /**
   * The input standardisation moved to the speaker (their takes' mean feature vector): the
   * hidden layer then sees the speaker's features centred as the training voices' were.
   * Absent: the model's.
   */
  standardize?: { mean: number[]; scale: number[] };
  /** The speaker's digit takes, matched against each utterance and fused with the network's output. Absent: the network alone. */
  templates?: TemplateSet;
}

/** The model with a speaker's output layer (and threshold) in place of its own; `model` is left as it was. */
export function adaptModel(model: ModelFile, adaptation: SpeakerAdaptation): ModelFile {
  const layers = model.layers;
  const last = layers[layers.length - 1]!;
  const { rows, cols } = matrixData(adaptation.output.weights);
  const own = matrixData(last.weights);
  const labels = adaptation.labels ?? model.labels;
  const extends_ = labels.length >= model.labels.length && model.labels.every((l, i) => labels[i] === l);
  if (!extends_ || rows !== labels.length || cols !== own.cols || adaptation.output.bias.length !== rows) {
    throw new Error(
      `adaptModel: an output layer of ${rows} × ${cols} for labels ${labels.join(",")} does not fit a model whose output layer is ${own.rows} × ${own.cols}`,
    );
  }
  const inputs = model.standardize.mean.length;
  if (adaptation.standardize && (adaptation.standardize.mean.length !== inputs || adaptation.standardize.scale.length !== inputs)) {
    throw new Error(`adaptModel: a standardisation of ${adaptation.standardize.mean.length} features does not fit a model of ${inputs}`);
  }
  const output: DenseLayer = { weights: adaptation.output.weights, bias: [...adaptation.output.bias], activation: last.activation };
  return {
    ...model,
    labels: [...labels],
    layers: [...layers.slice(0, -1), output],
    rejectBelow: adaptation.rejectBelow ?? model.rejectBelow,
    standardize: adaptation.standardize ?? model.standardize,
    ...(adaptation.templates ? { templates: adaptation.templates } : {}),
  };
}

/**
 * Short SHA-256 of what decides a model's outputs (labels, features, standardisation, layers,
 * pitch warp): a profile adapted to one model is refused by, or rebuilt for, any other.
 */
export function modelFingerprint(model: ModelFile): string {
  const h = new Bun.CryptoHasher("sha256");
  h.update(JSON.stringify([model.labels, model.features, model.standardize, model.pitchWarp ?? null]));
  for (const layer of model.layers) {
    const { rows, cols, data } = matrixData(layer.weights);
    h.update(`${rows}x${cols}:`);
    h.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    h.update(Float64Array.from(layer.bias));
  }
  return h.digest("hex").slice(0, 16);
}
