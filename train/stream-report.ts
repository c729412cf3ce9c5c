import { readdirSync, existsSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { EngineOptions } from "../engine/engine.ts";
import { UserError } from "../engine/errors.ts";
import type { ModelFile } from "../engine/model-file.ts";
import { percentile } from "../engine/scoring.ts";
import { evaluateStream, type StreamScore } from "../engine/stream-eval.ts";
import { mean } from "./metrics.ts";

export interface StreamReport {
  streams: (Omit<StreamScore, "latencyMs"> & { latencyP50Ms: number; latencyP95Ms: number })[];
  meanAccuracy: number;
  /** Digit-string accuracy pooled over the streams of a group (1 − edits / digits), by group. */
  pooled: Record<string, { accuracy: number; digits: number; streams: number }>;
}

/** A stream's group: its name without a trailing `-N` index (`babble-fsdd-snr10-2` → `babble-fsdd-snr10`). */
export function streamGroup(file: string): string {
  return basename(file)
    .replace(/\.wav$/i, "")
    .replace(/-\d+$/, "");
}

/** 1 − edits / digits over several streams: single streams hold few digits, where one error moves the figure a lot. */
export function pooledAccuracy(streams: readonly { accuracy: number; reference: string }[]): number {
  let edits = 0;
  let digits = 0;
  for (const s of streams) {
    edits += (1 - s.accuracy) * s.reference.length;
    digits += s.reference.length;
  }
  return digits ? 1 - edits / digits : 1;
}

/** Every `*.wav` with a `.json` ground truth beside it in `dir`, recognised by the engine and scored. */
export async function evaluateStreams(model: ModelFile, dir: string, options: Partial<EngineOptions> = {}): Promise<StreamReport> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder`);
  const wavs = readdirSync(dir)
    .filter((f) => /\.wav$/i.test(f) && existsSync(join(dir, f.replace(/\.wav$/i, ".json"))))
    .sort();
  if (wavs.length === 0) throw new UserError(`${dir}: no WAV files with a JSON ground truth beside them`);
  const streams = [];
  for (const f of wavs) {
    const { latencyMs, ...s } = await evaluateStream(model, join(dir, f), options);
    const sorted = [...latencyMs].sort((a, b) => a - b);
    streams.push({ ...s, file: basename(f), latencyP50Ms: percentile(sorted, 0.5), latencyP95Ms: percentile(sorted, 0.95) });
  }
  const pooled: StreamReport["pooled"] = {};
  for (const g of [...new Set(streams.map((s) => streamGroup(s.file)))]) {
    const members = streams.filter((s) => streamGroup(s.file) === g);
    pooled[g] = { accuracy: pooledAccuracy(members), digits: members.reduce((a, s) => a + s.reference.length, 0), streams: members.length };
  }
  return { streams, meanAccuracy: mean(streams.map((s) => s.accuracy)), pooled };
}

export function formatStreamReport(r: StreamReport): string {
  const lines = ["stream                              digits  seg P  seg R  rejected  end→digit p50/p95 ms  × real time"];
  for (const s of r.streams) {
    lines.push(
      `${s.file.padEnd(36)}${s.accuracy.toFixed(3).padStart(6)}  ${s.segmentPrecision.toFixed(2).padStart(5)}  ${s.segmentRecall.toFixed(2).padStart(5)}  ${String(s.rejected).padStart(8)}  ${`${s.latencyP50Ms.toFixed(0)}/${s.latencyP95Ms.toFixed(0)}`.padStart(20)}  ${s.realtimeFactor.toFixed(0).padStart(11)}`,
    );
    if (s.accuracy < 1) lines.push(`${"".padEnd(4)}ref ${s.reference}\n${"".padEnd(4)}hyp ${s.hypothesis}`);
  }
  lines.push(`mean digit-string accuracy ${r.meanAccuracy.toFixed(4)} over ${r.streams.length} streams`);
  const groups = Object.entries(r.pooled).filter(([, g]) => g.streams > 1);
  if (groups.length) {
    lines.push("pooled digit-string accuracy by group:");
    for (const [g, p] of groups) lines.push(`  ${g.padEnd(24)}${p.accuracy.toFixed(3)}  (${p.digits} digits, ${p.streams} streams)`);
  }
  return lines.join("\n");
}
