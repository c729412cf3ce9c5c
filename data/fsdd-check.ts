import { UserError } from "../engine/errors.ts";
import { FETCH_HINT, readSplitRows, type Split } from "./fsdd.ts";
import { readParquetInfo } from "./parquet-info.ts";

/** Row counts of the official FSDD splits (recordings 5-49 train, 0-4 test, 6 speakers × 10 digits). */
export const SPLIT_ROWS: Readonly<Record<Split, number>> = { train: 2700, test: 300 };

/** Leaf columns of the `mteb/free-spoken-digit-dataset` layout and their physical types. */
const EXPECTED_COLUMNS: readonly [string, string][] = [
  ["audio.bytes", "BYTE_ARRAY"],
  ["audio.path", "BYTE_ARRAY"],
  ["label", "INT64"],
];

export interface SplitFileSummary {
  rows: number;
  bytes: number;
}

/**
 * Checks that `file` is a complete FSDD split: a readable parquet file with the expected columns
 * and row count, whose every row holds a RIFF/WAVE file and a label 0-9. Reading all rows
 * decompresses every page, so a corrupt page fails here rather than later in training.
 * Throws a UserError naming the file.
 */
export async function checkSplitFile(file: string, split: Split): Promise<SplitFileSummary> {
  const info = await readParquetInfo(file);
  const problem = (what: string): never => {
    throw new UserError(`${file}: ${what}`, `delete it and ${FETCH_HINT}`);
  };
  for (const [path, type] of EXPECTED_COLUMNS) {
    const col = info.columns.find((c) => c.path === path);
    if (!col) problem(`no column \`${path}\` (columns: ${info.columns.map((c) => c.path).join(", ")}); not the FSDD parquet layout`);
    else if (!col.type.startsWith(type)) problem(`column \`${path}\` is ${col.type}, expected ${type}`);
  }
  if (info.rows !== SPLIT_ROWS[split]) problem(`${info.rows} rows, expected ${SPLIT_ROWS[split]} for the ${split} split`);
  const rows = await readSplitRows(file);
  if (rows.length !== SPLIT_ROWS[split]) problem(`read ${rows.length} rows, expected ${SPLIT_ROWS[split]}`);
  rows.forEach((row, i) => {
    if (!hasWavHeader(row.wav)) problem(`row ${i} (${row.path}) does not hold a WAV file`);
    if (!(row.label >= 0 && row.label <= 9)) problem(`row ${i} (${row.path}) has label ${row.label}, not 0-9`);
  });
  return { rows: rows.length, bytes: info.bytes };
}

function hasWavHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 12) return false;
  const ascii = (from: number) => String.fromCharCode(bytes[from]!, bytes[from + 1]!, bytes[from + 2]!, bytes[from + 3]!);
  return ["RIFF", "RIFX", "RF64"].includes(ascii(0)) && ascii(8) === "WAVE";
}
