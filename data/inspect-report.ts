import { UserError } from "../engine/errors.ts";
import { percentile } from "../engine/scoring.ts";
import { formatBytes } from "./download.ts";
import { parseClipName, readSplitRows, SPEAKERS } from "./fsdd.ts";
import { readParquetInfo, type ParquetInfo } from "./parquet-info.ts";
import { decodeWav } from "../engine/audio/wav.ts";

export interface Summary {
  min: number;
  median: number;
  mean: number;
  max: number;
}

/** What the clips of an FSDD-layout file hold. */
export interface ClipStats {
  clips: number;
  /** Labels present, ascending (0-9 for FSDD). */
  digits: number[];
  /** Speakers from the file names, the six FSDD speakers first; `unknown` for names not `{digit}_{speaker}_{index}.wav`. */
  speakers: string[];
  /** Clips per speaker and digit: `histogram[speaker][k]` counts label `digits[k]`. */
  histogram: Record<string, number[]>;
  perDigit: number[];
  /** Rows whose label differs from the digit in their file name (0 for a sound file). */
  nameLabelMismatches: number;
  durationSeconds: Summary;
  sampleRates: { rate: number; clips: number }[];
  channels: { channels: number; clips: number }[];
  encodings: { encoding: string; clips: number }[];
}

/** The parquet footer's facts (less its raw key/value metadata) and what the clips hold. */
export interface InspectReport extends Omit<ParquetInfo, "keyValue"> {
  /** The `huggingface` metadata key, parsed (the `datasets` feature description), if present. */
  huggingface?: unknown;
  /** Other key/value metadata keys. */
  metadataKeys: string[];
  /** Absent when the file lacks the `audio` / `label` columns of the FSDD layout. */
  stats?: ClipStats;
}

/** Reads a parquet file's footer and, for the FSDD layout, decodes every clip to describe it. */
export async function inspectParquet(file: string): Promise<InspectReport> {
  const info = await readParquetInfo(file);
  let huggingface: unknown;
  if (info.keyValue.huggingface !== undefined) {
    try {
      huggingface = JSON.parse(info.keyValue.huggingface);
    } catch {
      huggingface = info.keyValue.huggingface;
    }
  }
  const { keyValue: _, ...footer } = info;
  const report: InspectReport = {
    ...footer,
    huggingface,
    metadataKeys: Object.keys(info.keyValue).filter((k) => k !== "huggingface"),
  };
  const has = (path: string) => info.columns.some((c) => c.path === path);
  if (has("audio.bytes") && has("label")) report.stats = clipStats(await readSplitRows(file), file);
  return report;
}

function clipStats(rows: { path: string; label: number; wav: Uint8Array }[], file: string): ClipStats {
  const digits = [...new Set(rows.map((r) => r.label))].sort((a, b) => a - b);
  const column = new Map(digits.map((d, k) => [d, k]));
  const histogram: Record<string, number[]> = {};
  const perDigit = new Array<number>(digits.length).fill(0);
  const durations = new Float64Array(rows.length);
  const rates = new Map<number, number>();
  const channels = new Map<number, number>();
  const encodings = new Map<string, number>();
  let mismatches = 0;
  rows.forEach((row, i) => {
    const parsed = parseClipName(row.path);
    const speaker = parsed?.speaker ?? "unknown";
    if (parsed && parsed.digit !== row.label) mismatches++;
    const k = column.get(row.label)!;
    (histogram[speaker] ??= new Array<number>(digits.length).fill(0))[k]!++;
    perDigit[k]!++;
    const audio = decodeWav(row.wav, `${file}:${row.path}`);
    durations[i] = audio.samples.length / audio.channels / audio.sampleRate;
    rates.set(audio.sampleRate, (rates.get(audio.sampleRate) ?? 0) + 1);
    channels.set(audio.channels, (channels.get(audio.channels) ?? 0) + 1);
    encodings.set(audio.encoding, (encodings.get(audio.encoding) ?? 0) + 1);
  });
  const known: readonly string[] = SPEAKERS;
  const speakers = Object.keys(histogram).sort((a, b) => rank(known, a) - rank(known, b) || a.localeCompare(b));
  return {
    clips: rows.length,
    digits,
    speakers,
    histogram,
    perDigit,
    nameLabelMismatches: mismatches,
    durationSeconds: summarize(durations),
    sampleRates: [...rates].sort((a, b) => a[0] - b[0]).map(([rate, clips]) => ({ rate, clips })),
    channels: [...channels].sort((a, b) => a[0] - b[0]).map(([c, clips]) => ({ channels: c, clips })),
    encodings: [...encodings].sort((a, b) => b[1] - a[1]).map(([encoding, clips]) => ({ encoding, clips })),
  };
}

function rank(known: readonly string[], speaker: string): number {
  const i = known.indexOf(speaker);
  return i < 0 ? known.length : i;
}

export function summarize(values: Float64Array): Summary {
  if (values.length === 0) throw new UserError("no clips to summarize");
  const sorted = Float64Array.from(values).sort();
  const median = percentile(sorted, 0.5);
  let sum = 0;
  for (const v of sorted) sum += v;
  return { min: sorted[0]!, median, mean: sum / sorted.length, max: sorted[sorted.length - 1]! };
}

/** A readable multi-line report. */
export function formatReport(r: InspectReport): string {
  const lines: string[] = [];
  const groups = r.rowGroups === 1 ? "1 row group" : `${r.rowGroups} row groups`;
  lines.push(`${r.file}`, `  ${formatBytes(r.bytes)}, ${r.rows} rows, ${groups}${r.createdBy ? `, written by ${r.createdBy}` : ""}`, "", "schema:");
  const width = Math.max(...r.columns.map((c) => c.depth * 2 + c.path.split(".").pop()!.length)) + 2;
  for (const c of r.columns) {
    const name = "  ".repeat(c.depth) + c.path.split(".").pop()!;
    lines.push(`  ${name.padEnd(width)}${c.type}${c.repetition === "REQUIRED" ? "" : `, ${c.repetition.toLowerCase()}`}`);
  }
  if (r.huggingface !== undefined) {
    const features = (r.huggingface as { info?: { features?: unknown } } | null)?.info?.features;
    if (features && typeof features === "object") {
      lines.push("", "huggingface metadata (datasets features):");
      const entries = Object.entries(features);
      const w = Math.max(...entries.map(([k]) => k.length)) + 2;
      for (const [name, feature] of entries) lines.push(`  ${name.padEnd(w)}${JSON.stringify(feature)}`);
    } else {
      lines.push("", `huggingface metadata: ${typeof r.huggingface === "string" ? r.huggingface : JSON.stringify(r.huggingface)}`);
    }
  }
  if (r.metadataKeys.length) lines.push("", `other metadata keys: ${r.metadataKeys.join(", ")}`);
  const s = r.stats;
  if (!s) {
    lines.push("", "no audio.bytes / label columns: not the FSDD layout, so no clip statistics");
    return lines.join("\n");
  }
  lines.push("", "clips per speaker (rows) and digit (columns):");
  const nameWidth = Math.max(7, ...s.speakers.map((sp) => sp.length)) + 2;
  const cell = Math.max(4, String(s.clips).length + 1);
  const row = (label: string, counts: number[], total: number) =>
    `  ${label.padEnd(nameWidth)}${counts.map((n) => String(n).padStart(cell)).join("")}${String(total).padStart(cell + 2)}`;
  lines.push(`  ${"speaker".padEnd(nameWidth)}${s.digits.map((d) => String(d).padStart(cell)).join("")}${"total".padStart(cell + 2)}`);
  for (const sp of s.speakers) {
    const counts = s.histogram[sp]!;
    lines.push(
      row(
        sp,
        counts,
        counts.reduce((a, b) => a + b, 0),
      ),
    );
  }
  lines.push(row("total", s.perDigit, s.clips));
  if (s.nameLabelMismatches) lines.push(`  warning: ${s.nameLabelMismatches} rows have a label that differs from the digit in their file name`);
  const d = s.durationSeconds;
  lines.push(
    "",
    `duration (s): min ${d.min.toFixed(3)}, median ${d.median.toFixed(3)}, mean ${d.mean.toFixed(3)}, max ${d.max.toFixed(3)}`,
    `sample rate:  ${s.sampleRates.map((x) => `${x.rate} Hz × ${x.clips}`).join(", ")}`,
    `channels:     ${s.channels.map((x) => `${x.channels} × ${x.clips}`).join(", ")}`,
    `encoding:     ${s.encodings.map((x) => `${x.encoding} × ${x.clips}`).join(", ")}`,
  );
  return lines.join("\n");
}
