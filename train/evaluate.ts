/**
 * What `bun eval` measures, as a library: a model on an FSDD split or a folder of labelled WAVs
 * (accuracy, per-class report, rejection), and on a folder of non-digit sounds (false accepts, by
 * clip confidence and through the live engine). The command parses flags, prints and writes JSON.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type Split, loadSplit, splitPath } from "../data/fsdd.ts";
import { labelFromName } from "../data/labels.ts";
import { decodeWav } from "../engine/audio/wav.ts";
import { type ClipPrediction, ClipRecognizer } from "../engine/clip-recognizer.ts";
import { UserError, errorMessage } from "../engine/errors.ts";
import type { ModelFile } from "../engine/model-file.ts";
import { FileSource } from "../engine/sources/file-source.ts";
import { runEngine } from "../engine/stream-eval.ts";
import { type ClassificationReport, classificationReport, formatReport } from "./metrics.ts";
import { THRESHOLDS, falseAcceptRate, nonDigitCategory, rejectionCost } from "./rejection.ts";

/** Called after each clip: how many are done of how many. */
export type EvalProgress = (done: number, total: number) => void;

/** The confidence a threshold is compared with: a clip without voiced speech is never accepted. */
const acceptScore = (p: { confidence: number; speech: boolean; notDigit?: boolean }) => (p.speech && !p.notDigit ? p.confidence : -1);

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function wavFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new UserError(`${dir}: no such folder`);
  return readdirSync(dir)
    .filter((f) => /\.wav$/i.test(f))
    .sort();
}

/** Recognises WAV files of one folder; a file that cannot be read becomes a one-line failure. */
function fileRecognizer(recognizer: ClipRecognizer, dir: string, failures: string[]) {
  return (f: string): ClipPrediction | null => {
    try {
      return recognizer.recognizeDecoded(decodeWav(readFileSync(join(dir, f)), f));
    } catch (err) {
      failures.push(errorMessage(err).split("\n")[0]!);
      return null;
    }
  };
}

export interface ClipEvaluation {
  /** "FSDD test split" or "holdout DIR". */
  source: string;
  report: ClassificationReport;
  rejection: ReturnType<typeof rejectionCost>;
  threshold: number;
  /** Clips the voiced-speech check rejected. */
  notSpeech: number;
  clips: number;
  /** One line per file that could not be read. */
  failures: string[];
  cv: Record<string, { mean: number; std: number }>;
}

function scoreClips(model: ModelFile, source: string, truth: number[], predictions: ClipPrediction[], threshold: number, failures: string[]): ClipEvaluation {
  const report = classificationReport(
    truth,
    predictions.map((p) => p.digit),
    model.labels,
  );
  const scored = predictions.map((p, i) => ({ confidence: acceptScore(p), correct: p.digit === truth[i] }));
  return {
    source,
    report,
    rejection: rejectionCost(scored, threshold),
    threshold,
    notSpeech: predictions.filter((p) => !p.speech).length,
    clips: predictions.length,
    failures,
    cv: (model.training.cv ?? {}) as Record<string, { mean: number; std: number }>,
  };
}

/** The model on an FSDD split. */
export async function evaluateSplit(model: ModelFile, split: string, dataDir: string, threshold: number, onProgress?: EvalProgress): Promise<ClipEvaluation> {
  if (split !== "test" && split !== "train") throw new UserError(`--split ${split} is not test or train`);
  // a bad row costs itself: it is skipped and listed, and the run ends with "some inputs failed"
  const failures: string[] = [];
  const clips = await loadSplit(split as Split, dataDir, (s) => failures.push(`${splitPath(split as Split, dataDir)}: row ${s.row} skipped: ${s.reason}`));
  const recognizer = new ClipRecognizer(model);
  const predictions = clips.map((clip, i) => {
    const p = recognizer.recognize(clip.samples, clip.sampleRate);
    onProgress?.(i + 1, clips.length);
    return p;
  });
  return scoreClips(
    model,
    `FSDD ${split} split`,
    clips.map((c) => c.label),
    predictions,
    threshold,
    failures,
  );
}

/** The model on every `{digit}_*.wav` in `dir` (the label is the file name's first character). */
export function evaluateHoldout(model: ModelFile, dir: string, threshold: number, onProgress?: EvalProgress): ClipEvaluation {
  const labelled = wavFiles(dir).filter((f) => labelFromName(f) !== null);
  if (labelled.length === 0) throw new UserError(`${dir}: no WAV files named {digit}_….wav`, "name files by their digit, e.g. 7_me_1.wav");
  const failures: string[] = [];
  const recognize = fileRecognizer(new ClipRecognizer(model), dir, failures);
  const truth: number[] = [];
  const predictions: ClipPrediction[] = [];
  labelled.forEach((f, i) => {
    const p = recognize(f);
    if (p) {
      predictions.push(p);
      truth.push(labelFromName(f)!);
    }
    onProgress?.(i + 1, labelled.length);
  });
  return scoreClips(model, `holdout ${dir}`, truth, predictions, threshold, failures);
}

/** The report `bun eval` prints for a split or a holdout folder (`modelName` as the user gave it). */
export function formatClipEvaluation(e: ClipEvaluation, modelName: string): string {
  const lines = [`${e.source}, model ${modelName}`, formatReport(e.report)];
  if (e.notSpeech > 0) lines.push(`rejected as not speech (no voiced stretch): ${e.notSpeech} of ${e.clips} clips`);
  if (e.threshold > 0 || e.notSpeech > 0) {
    const r = e.rejection;
    lines.push(
      `reject below ${e.threshold}: ${pct(r.rejected)} rejected; accepted and right ${pct(r.acceptedCorrect)}; accuracy of accepted ${pct(r.acceptedAccuracy)}`,
    );
  }
  for (const [scheme, r] of Object.entries(e.cv)) {
    lines.push(
      `cross-validation ${scheme} (speaker-grouped, train split): ${r.mean.toFixed(4)} ± ${r.std.toFixed(4)}; this set: ${e.report.accuracy.toFixed(4)}`,
    );
  }
  return lines.join("\n");
}

/** The metrics file's content for a split or holdout evaluation. */
export function clipMetrics(e: ClipEvaluation, modelName: string) {
  return { source: e.source, model: modelName, ...e.report, rejection: e.rejection, failures: e.failures, cv: e.cv };
}

export interface NondigitEvaluation {
  source: string;
  threshold: number;
  clips: { file: string; category: string; confidence: number; digit: number; speech: boolean }[];
  /** Share of clips accepted as a digit at the threshold (by clip confidence). */
  falseAccepts: number;
  byCategory: Record<string, number>;
  curve: { threshold: number; falseAccepts: number }[];
  /** The product's figure: each clip through the live engine; a false accept if any digit comes out. */
  engine: { falseAccepts: number; byCategory: Record<string, number>; clips: { file: string; category: string; digits: string }[] };
  failures: string[];
}

/** The model on a folder of sounds that are not digits: how many would be accepted. */
export async function evaluateNondigits(model: ModelFile, dir: string, threshold: number, onProgress?: EvalProgress): Promise<NondigitEvaluation> {
  const files = wavFiles(dir);
  if (files.length === 0) throw new UserError(`${dir}: no WAV files`);
  const failures: string[] = [];
  const recognizer = new ClipRecognizer(model);
  const recognize = fileRecognizer(recognizer, dir, failures);
  // each file is visited twice: once as a clip, once through the engine
  const total = 2 * files.length;
  let done = 0;
  const clips = files.flatMap((f) => {
    const p = recognize(f);
    onProgress?.(++done, total);
    return p ? [{ file: f, category: nonDigitCategory(f), confidence: p.confidence, digit: p.digit, speech: p.speech, notDigit: p.notDigit }] : [];
  });
  const conf = clips.map(acceptScore);
  const categories = [...new Set(clips.map((s) => s.category))].sort();
  const byCategory = Object.fromEntries(categories.map((c) => [c, falseAcceptRate(clips.filter((s) => s.category === c).map(acceptScore), threshold)]));
  // Through the live engine: VAD segments, length limits, voiced-speech check, threshold.
  const live: { file: string; category: string; digits: string }[] = [];
  for (const s of clips) {
    const run = await runEngine(model, new FileSource(join(dir, s.file), { realtime: false }), { rejectBelow: threshold, classifier: recognizer.classifier });
    live.push({ file: s.file, category: s.category, digits: run.predictions.map((p) => p.digit).join("") });
    onProgress?.(++done, total);
  }
  const liveRate = (rows: typeof live) => (rows.length ? rows.filter((r) => r.digits !== "").length / rows.length : 0);
  return {
    source: dir,
    threshold,
    clips,
    falseAccepts: falseAcceptRate(conf, threshold),
    byCategory,
    curve: THRESHOLDS.map((t) => ({ threshold: t, falseAccepts: falseAcceptRate(conf, t) })),
    engine: {
      falseAccepts: liveRate(live),
      byCategory: Object.fromEntries(categories.map((c) => [c, liveRate(live.filter((r) => r.category === c))])),
      clips: live,
    },
    failures,
  };
}

export function formatNondigitEvaluation(e: NondigitEvaluation, modelName: string): string {
  const categories = Object.keys(e.byCategory);
  const lines = [
    `non-digits ${e.source} (${e.clips.length} clips), model ${modelName}, reject below ${e.threshold}`,
    `false accepts: ${pct(e.falseAccepts)} (${e.clips.filter((s) => !s.speech).length} clips rejected as not speech)`,
    ...categories.map((c) => `  ${c.padEnd(10)} ${pct(e.byCategory[c]!).padStart(6)}  (${e.clips.filter((s) => s.category === c).length} clips)`),
    `threshold → false accepts: ${e.curve.map((p) => `${p.threshold}: ${pct(p.falseAccepts)}`).join("  ")}`,
    `through the engine (bun listen): ${pct(e.engine.falseAccepts)} of clips give a digit: ${categories.map((c) => `${c} ${pct(e.engine.byCategory[c]!)}`).join(", ")}`,
  ];
  return lines.join("\n");
}

/** The metrics file's content for a non-digit evaluation. */
export function nondigitMetrics(e: NondigitEvaluation, modelName: string) {
  return {
    source: e.source,
    model: modelName,
    threshold: e.threshold,
    falseAccepts: e.falseAccepts,
    byCategory: e.byCategory,
    curve: e.curve,
    engine: e.engine,
    clips: e.clips,
    failures: e.failures,
  };
}
