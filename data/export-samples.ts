import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { UserError } from "../engine/errors.ts";
import { decodeWav } from "../engine/audio/wav.ts";
import { writeFileSafely, writingTo } from "./write-guard.ts";

/** A raw row of a split, as `readSplitRows` returns it. */
export interface SplitRow {
  path: string;
  label: number;
  wav: Uint8Array;
}

export interface ExportedClip {
  /** The written file. */
  file: string;
  /** The clip's original name in the dataset, e.g. `7_george_0.wav`. */
  source: string;
  label: number;
  bytes: number;
  seconds: number;
  sampleRate: number;
}

/**
 * Decodes a row (a UserError naming the clip if it is not a usable WAV) and writes its original
 * bytes: whole or not at all, never through a symlink, never over a different file unless `force`.
 */
async function writeClip(row: SplitRow, file: string, name: string, force: boolean): Promise<ExportedClip> {
  const audio = decodeWav(row.wav, `${name}:${row.path}`);
  writeFileSafely(file, row.wav, { force });
  return {
    file,
    source: row.path,
    label: row.label,
    bytes: row.wav.length,
    seconds: audio.samples.length / audio.channels / audio.sampleRate,
    sampleRate: audio.sampleRate,
  };
}

/**
 * The first `perClass` rows of each digit, in file order (the seed's `export_samples.py`).
 * Throws a UserError when a digit has fewer rows than asked for.
 */
export function pickPerClass<R extends SplitRow>(rows: readonly R[], perClass: number, name: string): R[][] {
  const byDigit: R[][] = Array.from({ length: 10 }, () => []);
  for (const row of rows) {
    const list = byDigit[row.label];
    if (list && list.length < perClass) list.push(row);
  }
  byDigit.forEach((list, digit) => {
    if (list.length < perClass) {
      throw new UserError(
        `${name}: only ${list.length} clips of digit ${digit}, but --per-class ${perClass} asks for ${perClass}`,
        "ask for fewer, or export from the train split",
      );
    }
  });
  return byDigit;
}

/** Writes `{digit}_{i}.wav` (i = 0..perClass-1) into `outDir`: the original WAV bytes, decoded first. */
export async function exportPerClass(rows: readonly SplitRow[], outDir: string, perClass: number, name: string, force = false): Promise<ExportedClip[]> {
  const picked = pickPerClass(rows, perClass, name);
  const out: ExportedClip[] = [];
  await writingTo(outDir, "--out", () => mkdir(outDir, { recursive: true }));
  for (let digit = 0; digit < 10; digit++) {
    for (let i = 0; i < perClass; i++) {
      out.push(await writeClip(picked[digit]![i]!, join(outDir, `${digit}_${i}.wav`), name, force));
    }
  }
  return out;
}

/**
 * Writes every clip under its original file name into `outDir` (only the base name is used, so a
 * hostile `audio.path` cannot write outside it). Each clip is decoded before it is written.
 */
export async function exportAll(rows: readonly SplitRow[], outDir: string, name: string, force = false): Promise<ExportedClip[]> {
  await writingTo(outDir, "--out", () => mkdir(outDir, { recursive: true }));
  const out: ExportedClip[] = [];
  const seen = new Set<string>();
  for (const [i, row] of rows.entries()) {
    let base = basename(row.path.replace(/\\/g, "/"));
    if (!base || base === "." || base === "..") base = `row${i}.wav`;
    if (!/\.wav$/i.test(base)) base += ".wav";
    if (seen.has(base)) throw new UserError(`${name}: two rows are named ${base}`, "export with --per-class instead");
    seen.add(base);
    out.push(await writeClip(row, join(outDir, base), name, force));
  }
  return out;
}
