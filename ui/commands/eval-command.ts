import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_DATA_DIR, type Split, loadSplit } from "../../data/fsdd.ts";
import { decodeWav } from "../../engine/audio/wav.ts";
import { type ClipPrediction, ClipRecognizer } from "../../engine/clip-recognizer.ts";
import { UserError, errorMessage } from "../../engine/errors.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../../engine/model-file.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";
import { labelFromName } from "../../data/labels.ts";
import { classificationReport, formatReport } from "../../train/metrics.ts";
import { THRESHOLDS, falseAcceptRate, nonDigitCategory, rejectionCost } from "../../train/rejection.ts";
import { evaluateStreams, formatStreamReport } from "../../train/stream-report.ts";
import { FileSource } from "../../engine/sources/file-source.ts";
import { runEngine } from "../../engine/stream-eval.ts";
import { STREAMS_DIR_SHOWN } from "../../engine/shared-streams.ts";

const spec = {
  name: "bun eval",
  summary: "Evaluate a model on an FSDD split, a folder of labelled WAVs, a folder of non-digit sounds (false accepts), or test streams.",
  usage: ["bun eval [--model models/default.json] [--split test]", "bun eval --holdout DIR", "bun eval --nondigit DIR", `bun eval --streams ${STREAMS_DIR_SHOWN}`],
  options: {
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
    split: { type: "string", default: "test" },
    holdout: { type: "string" },
    nondigit: { type: "string" },
    streams: { type: "string" },
    "reject-below": { type: "string" },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    "artifacts-dir": { type: "string", default: "artifacts" },
  },
  metavar: { model: "FILE", split: "SPLIT", holdout: "DIR", nondigit: "DIR", streams: "DIR", "reject-below": "P", "data-dir": "DIR", "artifacts-dir": "DIR" },
  help: {
    model: "model file",
    split: "FSDD split: test or train",
    holdout: "evaluate every {digit}_*.wav in DIR instead (label from the file-name prefix)",
    nondigit: "every *.wav in DIR is not a digit: report how many would be accepted (false accepts)",
    streams: "run the streaming engine over every WAV in DIR that has a JSON ground truth beside it (digit-string accuracy, segments, latency)",
    "reject-below": "confidence threshold for --holdout, --split and --nondigit (default: the model's rejectBelow)",
    "data-dir": "folder with the FSDD parquet files",
    "artifacts-dir": "where the metrics JSON goes",
  },
  aliases: { model_path: "model" },
  examples: ["bun eval", "bun eval --holdout samples/", "bun data:synth && bun eval --holdout artifacts/synth/digits", "bun eval --nondigit artifacts/synth/nondigit", `bun eval --streams ${STREAMS_DIR_SHOWN}`],
} as const;

function wavFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new UserError(`${dir}: no such folder`);
  return readdirSync(dir).filter((f) => /\.wav$/i.test(f)).sort();
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The confidence a threshold is compared with: a clip without voiced speech is never accepted. */
const acceptScore = (p: { confidence: number; speech: boolean }) => (p.speech ? p.confidence : -1);

export async function main(argv: string[]): Promise<number | void> {
  const { values } = parseCommand(spec, argv);
  const model = loadModelFile(values.model);
  if (values.streams) {
    const report = await evaluateStreams(model, values.streams);
    console.log(`streams in ${values.streams}, model ${values.model}`);
    console.log(formatStreamReport(report));
    const dir = values["artifacts-dir"]!;
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "stream_metrics.json");
    writeFileSync(file, `${JSON.stringify({ model: values.model, ...report }, null, 2)}\n`);
    console.log(`wrote ${file}`);
    return 0;
  }
  const threshold = numberFlag("reject-below", values["reject-below"], model.rejectBelow ?? 0, 0, 1);
  const recognizer = new ClipRecognizer(model);
  const failures: string[] = [];
  const recognizeFile = (dir: string, f: string): ClipPrediction | null => {
    try {
      return recognizer.recognizeDecoded(decodeWav(readFileSync(join(dir, f)), f));
    } catch (err) {
      failures.push(errorMessage(err).split("\n")[0]!);
      return null;
    }
  };
  const artifacts = values["artifacts-dir"]!;
  mkdirSync(artifacts, { recursive: true });

  if (values.nondigit) {
    const dir = values.nondigit;
    const files = wavFiles(dir);
    if (files.length === 0) throw new UserError(`${dir}: no WAV files`);
    const scored = files.flatMap((f) => {
      const p = recognizeFile(dir, f);
      return p ? [{ file: f, category: nonDigitCategory(f), confidence: p.confidence, digit: p.digit, speech: p.speech }] : [];
    });
    for (const f of failures) console.error(`error: ${f}`);
    const conf = scored.map(acceptScore);
    const categories = [...new Set(scored.map((s) => s.category))].sort();
    const byCategory = Object.fromEntries(categories.map((c) => [c, falseAcceptRate(scored.filter((s) => s.category === c).map(acceptScore), threshold)]));
    console.log(`non-digits ${dir} (${scored.length} clips), model ${values.model}, reject below ${threshold}`);
    console.log(`false accepts: ${pct(falseAcceptRate(conf, threshold))} (${scored.filter((s) => !s.speech).length} clips rejected as not speech)`);
    for (const c of categories) console.log(`  ${c.padEnd(10)} ${pct(byCategory[c]!).padStart(6)}  (${scored.filter((s) => s.category === c).length} clips)`);
    console.log(`threshold → false accepts: ${THRESHOLDS.map((t) => `${t}: ${pct(falseAcceptRate(conf, t))}`).join("  ")}`);
    // The product's figure: each clip played through the live engine (VAD segments, length limits,
    // voiced-speech check, threshold); a clip is a false accept if any digit comes out of it.
    const live: { file: string; category: string; digits: string }[] = [];
    for (const s of scored) {
      const run = await runEngine(model, new FileSource(join(dir, s.file), { realtime: false }), { rejectBelow: threshold, classifier: recognizer.classifier });
      live.push({ file: s.file, category: s.category, digits: run.predictions.map((p) => p.digit).join("") });
    }
    const liveRate = (rows: typeof live) => (rows.length ? rows.filter((r) => r.digits !== "").length / rows.length : 0);
    const liveByCategory = Object.fromEntries(categories.map((c) => [c, liveRate(live.filter((r) => r.category === c))]));
    console.log(`through the engine (bun listen): ${pct(liveRate(live))} of clips give a digit: ${categories.map((c) => `${c} ${pct(liveByCategory[c]!)}`).join(", ")}`);
    const file = join(artifacts, "nondigit_metrics.json");
    const curve = THRESHOLDS.map((t) => ({ threshold: t, falseAccepts: falseAcceptRate(conf, t) }));
    const engine = { falseAccepts: liveRate(live), byCategory: liveByCategory, clips: live };
    writeFileSync(file, `${JSON.stringify({ source: dir, model: values.model, threshold, falseAccepts: falseAcceptRate(conf, threshold), byCategory, curve, engine, clips: scored, failures }, null, 2)}\n`);
    console.log(`wrote ${file}`);
    return failures.length ? 1 : 0;
  }

  const truth: number[] = [];
  const predictions: ClipPrediction[] = [];
  let source: string;
  if (values.holdout) {
    const dir = values.holdout;
    const labelled = wavFiles(dir).filter((f) => labelFromName(f) !== null);
    if (labelled.length === 0) throw new UserError(`${dir}: no WAV files named {digit}_….wav`, "name files by their digit, e.g. 7_me_1.wav");
    for (const f of labelled) {
      const p = recognizeFile(dir, f);
      if (!p) continue;
      predictions.push(p);
      truth.push(labelFromName(f)!);
    }
    source = `holdout ${dir}`;
  } else {
    const split = values.split as Split;
    if (split !== "test" && split !== "train") throw new UserError(`--split ${values.split} is not test or train`);
    const clips = await loadSplit(split, values["data-dir"]);
    for (const clip of clips) {
      truth.push(clip.label);
      predictions.push(recognizer.recognize(clip.samples, clip.sampleRate));
    }
    source = `FSDD ${split} split`;
  }
  for (const f of failures) console.error(`error: ${f}`);
  const predicted = predictions.map((p) => p.digit);
  const report = classificationReport(truth, predicted, model.labels);
  console.log(`${source}, model ${values.model}`);
  console.log(formatReport(report));
  const scored = predictions.map((p, i) => ({ confidence: acceptScore(p), correct: p.digit === truth[i] }));
  const rejection = rejectionCost(scored, threshold);
  const notSpeech = predictions.filter((p) => !p.speech).length;
  if (notSpeech > 0) console.log(`rejected as not speech (no voiced stretch): ${notSpeech} of ${predictions.length} clips`);
  if (threshold > 0 || notSpeech > 0) {
    console.log(
      `reject below ${threshold}: ${pct(rejection.rejected)} rejected; accepted and right ${pct(rejection.acceptedCorrect)}; accuracy of accepted ${pct(rejection.acceptedAccuracy)}`,
    );
  }
  const cv = (model.training.cv ?? {}) as Record<string, { mean: number; std: number }>;
  for (const [scheme, r] of Object.entries(cv)) {
    console.log(`cross-validation ${scheme} (speaker-grouped, train split): ${r.mean.toFixed(4)} ± ${r.std.toFixed(4)}; this set: ${report.accuracy.toFixed(4)}`);
  }
  const file = join(artifacts, values.holdout ? "holdout_metrics.json" : "test_metrics.json");
  writeFileSync(file, `${JSON.stringify({ source, model: values.model, ...report, rejection, failures, cv }, null, 2)}\n`);
  console.log(`wrote ${file}`);
  return failures.length ? 1 : 0;
}

if (import.meta.main) await runCommand(main);
