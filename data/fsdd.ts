import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { UserError } from "../engine/errors.ts";
import { readParquetRows } from "./parquet-read.ts";
import { decodeWav, mixToMono } from "../engine/audio/wav.ts";

export type Split = "train" | "test";
export const SPLITS: readonly Split[] = ["train", "test"];
export const DEFAULT_DATA_DIR = "data/fsdd_parquet";
export const SPEAKERS = ["george", "jackson", "lucas", "nicolas", "theo", "yweweler"] as const;

/** One labelled recording of the dataset, decoded to mono float samples. */
export interface Clip {
  /** Original file name, e.g. `7_jackson_32.wav`. */
  path: string;
  label: number;
  speaker: string;
  /** The recording index within speaker and digit (0-4 test, 5-49 train). */
  index: number;
  sampleRate: number;
  samples: Float32Array;
}

export function splitFileName(split: Split): string {
  return `${split}-00000-of-00001.parquet`;
}

export function splitPath(split: Split, dir = DEFAULT_DATA_DIR): string {
  return join(dir, splitFileName(split));
}

/** Parses `{digit}_{speaker}_{index}.wav`; returns null for names that do not follow it. */
export function parseClipName(path: string): { digit: number; speaker: string; index: number } | null {
  const base = path.split(/[\\/]/).pop() ?? path;
  const m = /^(\d)_([^_]+)_(\d+)\.wav$/i.exec(base);
  if (!m) return null;
  return { digit: Number(m[1]), speaker: m[2]!, index: Number(m[3]) };
}

interface ParquetRow {
  audio: { bytes: Uint8Array; path: string | Uint8Array | null } | null;
  label: bigint | number | null;
}

/** The fix for a missing or broken dataset file. */
export const FETCH_HINT = "run `bun data:fetch` (or `bun data:fetch --from DIR` with a local copy)";

/** One row of a split's parquet file: its position, file name, label and WAV bytes. */
export interface SplitRow {
  row: number;
  path: string;
  label: number;
  wav: Uint8Array;
}

/** A row left out of a split because it cannot be used, and why. */
export interface SkippedRow {
  row: number;
  reason: string;
}

/**
 * The raw rows of one split's parquet file: WAV bytes, file name and label. A row without audio
 * bytes or an integer label is an error, unless `onSkip` is given: then it is left out and
 * reported there.
 */
export async function readSplitRows(file: string, onSkip?: (skipped: SkippedRow) => void): Promise<SplitRow[]> {
  const full = resolve(file);
  if (!existsSync(full)) throw new UserError(`${file}: not found`, FETCH_HINT);
  if (statSync(full).size === 0) throw new UserError(`${file}: the file is empty`, FETCH_HINT);
  let rows: ParquetRow[];
  try {
    rows = (await readParquetRows(full, ["audio", "label"])) as unknown as ParquetRow[];
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UserError(`${file}: not a readable parquet file (${reason})`, `delete it and ${FETCH_HINT}`);
  }
  const decoder = new TextDecoder();
  const out: SplitRow[] = [];
  rows.forEach((row, i) => {
    const skip = (reason: string) => {
      if (!onSkip) throw new UserError(`${file}: row ${i} ${reason} (is this the FSDD parquet layout?)`, FETCH_HINT);
      onSkip({ row: i, reason });
    };
    const audio = row?.audio;
    if (!audio || !(audio.bytes instanceof Uint8Array)) return skip("has no audio.bytes");
    // A row without a file name still has a usable clip; name it after its position.
    const path = typeof audio.path === "string" ? audio.path : audio.path instanceof Uint8Array ? decoder.decode(audio.path) : `row${i}.wav`;
    const label = typeof row.label === "bigint" || typeof row.label === "number" ? Number(row.label) : NaN;
    if (!Number.isInteger(label)) return skip(`(${path}) has no integer label`);
    out.push({ row: i, path, label, wav: audio.bytes });
  });
  return out;
}

/**
 * Loads and decodes one split of FSDD from the parquet layout of `mteb/free-spoken-digit-dataset`.
 * With `onSkip`, a row that cannot be used (no audio, no label, a label outside 0-9, a WAV that
 * does not decode) is left out and reported there instead of failing the whole split.
 */
export async function loadSplit(split: Split, dir = DEFAULT_DATA_DIR, onSkip?: (skipped: SkippedRow) => void): Promise<Clip[]> {
  const file = splitPath(split, dir);
  const rows = await readSplitRows(file, onSkip);
  const clips: Clip[] = [];
  for (const row of rows) {
    try {
      if (!(row.label >= 0 && row.label <= 9)) throw new UserError(`${file}: ${row.path} has label ${row.label}, not 0-9`);
      const decoded = decodeWav(row.wav, `${file}:${row.path}`);
      const parsed = parseClipName(row.path);
      clips.push({
        path: row.path,
        label: row.label,
        speaker: parsed?.speaker ?? "unknown",
        index: parsed?.index ?? -1,
        sampleRate: decoded.sampleRate,
        samples: mixToMono(decoded.samples, decoded.channels),
      });
    } catch (err) {
      if (!onSkip || !(err instanceof UserError)) throw err;
      onSkip({ row: row.row, reason: err.message });
    }
  }
  return clips;
}
