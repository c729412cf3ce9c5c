// Taken before any import is evaluated: what Bun's start-up and module loading cost (--timings).
const modulesLoadedAt = performance.now();
import { labelFromName } from "../../data/labels.ts";
import { type FilePrediction, collectWavs } from "../../engine/batch-predict.ts";
import { ClipRecognizer } from "../../engine/clip-recognizer.ts";
import { EXIT, UserError } from "../../engine/errors.ts";
import { DEFAULT_MODEL_PATH, type ModelLoadTimings } from "../../engine/model-file.ts";
import { predictFilesInParallel } from "../../engine/parallel-predict.ts";
import { kernelsCompileMs } from "../../engine/wasm/kernels.ts";
import { PROFILE_HELP, chooseModel } from "../profile-choice.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";
import type { ProgressBar } from "../terminal/progress.ts";
import type { ResultFile } from "../terminal/result-file.ts";
import { writeAllSync } from "../terminal/write-through.ts";

/**
 * Folders of this many files and more are shared out to a Worker per core. A Worker's cold
 * start (modules, model, JIT warm-up: about 0.15 s of CPU) outweighs its help on a few hundred
 * clips, which one thread predicts in about as long.
 */
const PARALLEL_FROM = 1000;

const spec = {
  name: "bun predict",
  summary: "Predict the spoken digit of WAV files (any rate, depth, channel count); - reads one from standard input.",
  usage: ["bun predict FILE_OR_DIR... [--model models/default.json] [--top 3] [--format text|csv|jsonl] [--out FILE] [--recursive] [--jobs N] [--timings]"],
  options: {
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
    profile: { type: "string" },
    top: { type: "string", default: "3" },
    format: { type: "string", default: "text" },
    out: { type: "string", short: "o" },
    recursive: { type: "boolean", short: "r" },
    jobs: { type: "string", short: "j" },
    timings: { type: "boolean" },
    "wav-path": { type: "string", multiple: true },
  },
  metavar: { model: "FILE", profile: "NAME", top: "N", format: "FORMAT", out: "FILE", jobs: "N", "wav-path": "FILE" },
  help: {
    model: "model file",
    profile: PROFILE_HELP,
    top: "how many of the most probable digits to show",
    format: "text, csv or jsonl (one JSON object per file)",
    out: "write the results to FILE instead of stdout",
    recursive: "descend into sub-folders of folder arguments",
    jobs: `threads predicting at once (default: one per core from ${PARALLEL_FROM} files on, else one)`,
    timings: "print where the time went on stderr: start-up and modules, model, WASM, decoding, features, inference",
    "wav-path": "a WAV file (the seed's spelling; positional arguments do the same)",
  },
  aliases: { model_path: "model", wav_path: "wav-path" },
  allowPositionals: true,
  exitCodes: [
    [EXIT.inputsFailed, "some files failed (the results of the others are written)"],
    [EXIT.outputFailed, "the --out file could not be written (what was written is kept; the rest goes to stdout)"],
  ],
  examples: [
    "bun predict samples/3_0.wav",
    "sox in.mp3 -t wav - | bun predict -",
    "bun predict samples/ --format csv --out predictions.csv",
    "bun predict --model_path models/default.json --wav_path x.wav",
  ],
} as const;

/** The cores to use, from node:os, loaded only for a folder large enough to share out (it costs a cold start a few ms). */
const cores = (): number => (require("node:os") as typeof import("node:os")).availableParallelism();

/** The --out file and the progress bar, loaded when a run has them (a cold start of one WAV has neither). */
const resultFile = (path: string): ResultFile => (require("../terminal/result-file.ts") as typeof import("../terminal/result-file.ts")).ResultFile.create(path);
const progressBar = (files: number): ProgressBar =>
  new (require("../terminal/progress.ts") as typeof import("../terminal/progress.ts")).ProgressBar("predicting", files);

type Format = "text" | "csv" | "jsonl";

interface Row extends FilePrediction {
  label: number | null;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const NOT_SPEECH = "  (no voiced speech: likely not a digit)";
const NOT_DIGIT = "  (the profile's non-digit output won: likely not a digit)";
const notADigit = (r: { speech: boolean; notDigit: boolean }) => (!r.speech ? NOT_SPEECH : r.notDigit ? NOT_DIGIT : "");

function formatRow(row: Row, format: Format, k: number): string {
  const r = row.result;
  if (format === "jsonl") {
    if (row.stream)
      return JSON.stringify({
        file: row.file,
        digits: row.stream.digits,
        utterances: row.stream.utterances,
        seconds: Number(row.stream.seconds.toFixed(3)),
        label: row.label,
      });
    return JSON.stringify(
      r
        ? {
            file: row.file,
            digit: r.digit,
            confidence: Number(r.confidence.toFixed(6)),
            top: r.top.map((t) => ({ digit: t.digit, p: Number(t.p.toFixed(6)) })),
            speech: r.speech,
            label: row.label,
            ms: Number(r.totalMs.toFixed(3)),
          }
        : { file: row.file, error: row.error, label: row.label },
    );
  }
  if (format === "csv") {
    const tops = r ? r.top.map((t) => `${t.digit}:${t.p.toFixed(3)}`).join(" ") : "";
    return [
      csvField(row.file),
      r ? String(r.digit) : "",
      r ? r.confidence.toFixed(4) : "",
      csvField(tops),
      row.label ?? "",
      csvField(row.error ?? ""),
      row.stream?.digits ?? "",
    ].join(",");
  }
  if (row.stream)
    return `${row.file}  digits: ${row.stream.digits || "(none)"}  (${row.stream.seconds.toFixed(1)} s, longer than a clip: ${row.stream.utterances} utterances through the streaming engine)`;
  if (!r) return `${row.file}  error: ${row.error}`;
  const mark = row.label === null ? "" : row.label === r.digit ? "  ✓" : `  ✗ (label ${row.label})`;
  return `${row.file}  ${r.digit}  p=${r.confidence.toFixed(3)}  top-${k}: ${r.top.map((t) => `${t.digit}:${t.p.toFixed(3)}`).join(", ")}${mark}${notADigit(r)}`;
}

interface ProcessTimings {
  /** From the process's start to the first line of this module: Bun itself and every import. */
  modulesMs: number;
  load: ModelLoadTimings;
  /** Building the classifier: tables, the network's WebAssembly memory and instances. */
  networkMs: number;
  outputMs: number;
}

/** The `--timings` report: where a whole `bun predict` process spent its time, cold. */
function formatTimings(rows: Row[], t: ProcessTimings): string {
  const sum = (f: (r: NonNullable<Row["result"]>) => number) => rows.reduce((s, r) => s + (r.result ? f(r.result) : 0), 0);
  const ms = (v: number) => v.toFixed(v < 10 ? 2 : 1);
  const perFile = rows.length > 1 ? ` (summed over ${rows.length} files, all threads)` : "";
  return [
    `Timings (ms, this process, cold):`,
    `  Bun start-up and modules  ${ms(t.modulesMs)}  (of which compiling the WebAssembly kernels ${ms(kernelsCompileMs)})`,
    t.load.weightsFile === "read"
      ? `  model file                map, check and parse the weights file ${ms(t.load.readMs)} · validate ${ms(t.load.validateMs)} · build network ${ms(t.networkMs)}`
      : `  model file                read ${ms(t.load.readMs)} · parse ${ms(t.load.parseMs)} · validate ${ms(t.load.validateMs)} · build network ${ms(t.networkMs)}`,
    `  per file${perFile}  read ${ms(sum((r) => r.loadMs))} · decode ${ms(sum((r) => r.decodeMs))} · resample ${ms(sum((r) => r.timings.resampleMs))} · trim ${ms(sum((r) => r.timings.trimMs))} · features ${ms(sum((r) => r.timings.featuresMs))} · inference ${ms(sum((r) => r.timings.inferenceMs))}`,
    `  summary and closing       ${ms(t.outputMs)}`,
    `  total                     ${ms(performance.now())}`,
  ].join("\n");
}

let stdoutClosed = false;

/**
 * Writes to standard output with blocking writes, not process.stdout: Bun builds that stream (and
 * the stream modules) on first use, a large share of a cold start. A reader that went away
 * (`| head`) ends the output, not the batch.
 */
function toStdout(text: string): void {
  if (stdoutClosed) return;
  try {
    writeAllSync(1, text);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPIPE") throw err;
    stdoutClosed = true;
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(spec, argv);
  const format = values.format as Format;
  if (!["text", "csv", "jsonl"].includes(format)) throw new UserError(`--format ${values.format} is not one of text, csv, jsonl`);
  const k = numberFlag("top", values.top, 3, 1, 10);
  const inputs = [...positionals, ...(values["wav-path"] ?? [])];
  if (inputs.length === 0)
    throw new UserError("no input: give one or more WAV files or folders", "e.g. `bun predict samples/` (make samples with `bun data:export`)");

  const t0 = performance.now();
  const loadTimings: ModelLoadTimings = { readMs: 0, parseMs: 0, validateMs: 0 };
  const { model, note } = chooseModel(values.model!, values.profile, false, undefined, loadTimings);
  if (note) console.error(note);
  const t1 = performance.now();
  const recognizer = new ClipRecognizer(model);
  const t2 = performance.now();
  const modelMs = t2 - t0;
  const { files, missing } = collectWavs(inputs, Boolean(values.recursive));
  if (files.length === 0 && missing.length === 0) {
    throw new UserError(`no .wav files in ${inputs.join(", ")}`, values.recursive ? undefined : "add --recursive to search sub-folders");
  }
  const single = files.length + missing.length === 1 && format === "text" && !values.out;
  // the output is checked before any work, and each result is written as soon as it is known
  const out = values.out ? resultFile(values.out) : null;
  const unwritten: string[] = [];
  const emit = (line: string) => {
    if (!out) toStdout(`${line}\n`);
    else if (!out.write(`${line}\n`)) unwritten.push(line);
  };
  if (!single && format === "csv") emit("file,digit,confidence,top,label,error,digits");
  const rows: Row[] = [];
  const add = (row: Row) => {
    rows.push(row);
    if (!single) emit(formatRow(row, format, k));
  };
  for (const file of missing) add({ file, label: labelFromName(file), error: "no such file or folder" });
  const threads = values.jobs !== undefined ? numberFlag("jobs", values.jobs, 1, 1, 256) : files.length >= PARALLEL_FROM ? cores() : 1;
  const bar = files.length >= 200 ? progressBar(files.length) : null;
  await predictFilesInParallel(recognizer, model, files, {
    k,
    workers: threads - 1,
    onResult: (p) => {
      add({ ...p, label: labelFromName(p.file) });
      bar?.tick();
    },
  });
  bar?.finish();
  const t3 = performance.now();

  if (single && rows[0]!.result) {
    const r = rows[0]!.result;
    const t = r.timings;
    emit(`Predicted digit: ${r.digit}${notADigit(r)}`);
    emit(`Top-${k} probs: ${r.top.map((x) => `${x.digit}:${x.p.toFixed(3)}`).join(", ")}`);
    emit(
      `Latency (ms): model ${modelMs.toFixed(2)} · load ${r.loadMs.toFixed(3)} · decode ${r.decodeMs.toFixed(3)} · resample ${t.resampleMs.toFixed(3)} · trim ${t.trimMs.toFixed(3)} · features ${t.featuresMs.toFixed(3)} · inference ${t.inferenceMs.toFixed(3)} · total ${(modelMs + r.totalMs).toFixed(2)}`,
    );
  } else if (single) emit(formatRow(rows[0]!, format, k));

  const failures = rows.filter((r) => r.error);
  for (const f of failures) if (single || format !== "text" || values.out) console.error(`error: ${f.file}: ${f.error}`);
  if (!single) {
    const labelled = rows.filter((r) => r.result && r.label !== null);
    const correct = labelled.filter((r) => r.result!.digit === r.label).length;
    const acc = labelled.length ? `, accuracy ${(correct / labelled.length).toFixed(4)} (${correct}/${labelled.length} labelled by file name)` : "";
    const summary = `${rows.length} files, ${rows.length - failures.length} predicted, ${failures.length} failed${acc}; ${((performance.now() - t0) / 1000).toFixed(2)} s`;
    // Through the same stream as the rows: a console.log can overtake pending stdout writes.
    if (format === "text" && !values.out) toStdout(`${summary}\n`);
    else console.error(summary);
  }
  if (values.timings)
    console.error(formatTimings(rows, { modulesMs: modulesLoadedAt, load: loadTimings, networkMs: t2 - t1, outputMs: performance.now() - t3 }));
  if (out) {
    const at = out.finish();
    if (out.failure) {
      // nothing computed is lost: what did not reach the file goes to stdout
      console.error(`error: could not write ${values.out} (${out.failure}): ${out.lines} lines are in ${at}; the other ${unwritten.length} follow on stdout`);
      for (const line of unwritten) toStdout(`${line}\n`);
      return EXIT.outputFailed;
    }
  }
  return failures.length ? EXIT.inputsFailed : EXIT.ok;
}

if (import.meta.main) await runCommand(main);
