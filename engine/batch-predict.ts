/**
 * Batch prediction of WAV files, as `bun predict` does it: the files named or found in folders
 * (`-` is standard input), each read, decoded and recognised with its own timings; a file that
 * cannot be read or decoded becomes a one-line error and the batch goes on.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { decodeWav } from "./audio/wav.ts";
import type { ClipPrediction, ClipRecognizer } from "./clip-recognizer.ts";
import { recognizeWavFile } from "./file-recognizer.ts";
import { UserError, errorMessage } from "./errors.ts";

/** The file argument that means standard input. */
export const STDIN = "-";

/**
 * The WAV files among `inputs` (folders searched, sorted by name as localeCompare sorts them, by
 * one collator: a localeCompare per comparison took 4-8 ms of a cold start for 300 names;
 * sub-folders when `recursive`), and the inputs that do not exist.
 */
export function collectWavs(inputs: string[], recursive: boolean): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    const byName = new Intl.Collator().compare;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => byName(a.name, b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (recursive) walk(full);
      } else if (/\.wav$/i.test(entry.name)) files.push(full);
    }
  };
  for (const input of inputs) {
    if (input === STDIN) files.push(input);
    else if (!existsSync(input)) missing.push(input);
    else if (statSync(input).isDirectory()) walk(input);
    else files.push(input);
  }
  return { files, missing };
}

export interface FilePrediction {
  file: string;
  result?: ClipPrediction & { loadMs: number; decodeMs: number; totalMs: number };
  /** A file longer than a clip: the digits the streaming engine heard in it. */
  stream?: { digits: string; utterances: number; seconds: number };
  /** Why the file gave no prediction, without the file name. */
  error?: string;
}

/**
 * Recognises one file (STDIN: standard input) with the top `k` digits. A file is read from disk
 * block by block (recognizeWavFile): a clip gives its digit, a recording longer than a clip the
 * digits of the streaming engine, in memory that does not grow with its length.
 */
export async function predictFile(recognizer: ClipRecognizer, file: string, k: number): Promise<FilePrediction> {
  try {
    const a = performance.now();
    if (file === STDIN) {
      const bytes = readFileSync(0);
      const b = performance.now();
      const audio = decodeWav(bytes, "stdin");
      const c = performance.now();
      const result = checked(recognizer.recognizeDecoded(audio, k));
      return { file, result: { ...result, loadMs: b - a, decodeMs: c - b, totalMs: performance.now() - a } };
    }
    const r = await recognizeWavFile(file, recognizer, k);
    if (r.kind === "stream") return { file, stream: { digits: r.digits, utterances: r.utterances, seconds: r.seconds } };
    return { file, result: { ...checked(r.prediction), loadMs: r.loadMs, decodeMs: r.decodeMs, totalMs: performance.now() - a } };
  } catch (err) {
    const message = errorMessage(err).split("\n")[0]!;
    return { file, error: message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message };
  }
}

/** A model whose network overflows gives NaN: no digit. */
function checked(p: ClipPrediction): ClipPrediction {
  if (!(p.confidence >= 0)) throw new UserError("the model gave no valid probability (NaN or infinity) for this file");
  return p;
}
