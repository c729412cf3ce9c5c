import { type Summary, summarize } from "./stats.ts";

export const BENCH_FORMAT = "spoken-digits-bench";
export const BENCH_VERSION = 1;

export const SECTIONS = ["commands", "micro", "batch", "streaming", "startup", "memory"] as const;
export type Section = (typeof SECTIONS)[number];

/** µs for micro benchmarks, ms for everything timed at a larger scale. */
export type Unit = "µs" | "ms" | "×" | "MB" | "MB/min" | "%" | "clips/s";

export interface Target {
  op: "<=" | ">=";
  value: number;
  /** Which statistic must meet it. */
  on: "median" | "p95";
  /** As the issue states it, e.g. "≤ 0.1 ms". */
  text: string;
}

export interface Figure {
  id: string;
  section: Section;
  label: string;
  unit: Unit;
  better: "lower" | "higher";
  median: number;
  /** For higher-is-better figures: the value 95 % of the runs reach (the 5th percentile). */
  p95: number;
  n: number;
  target?: Target;
  pass?: boolean;
  note?: string;
  /** Set when the measurement could not be made; median and p95 are then NaN. */
  error?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  bun: string;
  /** 1-minute load average when the run started: the machine is shared. */
  loadAverage: number;
}

export interface BenchResult {
  format: typeof BENCH_FORMAT;
  version: number;
  date: string;
  quick: boolean;
  sections: Section[];
  machine: Machine;
  figures: Figure[];
  /** Fingerprints of behaviour (predictions), so a speed-up that changes results shows. */
  checks: Record<string, string>;
}

export interface FigureSpec {
  id: string;
  label: string;
  unit: Unit;
  better?: "lower" | "higher";
  target?: Target;
  note?: string;
}

export function meets(target: Target, s: Pick<Summary, "median" | "p95">): boolean {
  const v = s[target.on];
  return target.op === "<=" ? v <= target.value : v >= target.value;
}

/** A figure from raw samples (already in `spec.unit`). */
export function figure(section: Section, spec: FigureSpec, samples: readonly number[]): Figure {
  const better = spec.better ?? "lower";
  const s = summarize(samples, better === "higher");
  const f: Figure = { ...spec, section, better, median: s.median, p95: s.p95, n: s.n };
  if (spec.target) f.pass = meets(spec.target, s);
  return f;
}

/** A figure for a measurement that failed. */
export function failedFigure(section: Section, spec: FigureSpec, error: unknown): Figure {
  const message = error instanceof Error ? error.message : String(error);
  return {
    ...spec,
    section,
    better: spec.better ?? "lower",
    median: NaN,
    p95: NaN,
    n: 0,
    error: message.split("\n")[0],
    pass: spec.target ? false : undefined,
  };
}

export function isBenchResult(v: unknown): v is BenchResult {
  const r = v as BenchResult;
  return typeof r === "object" && r !== null && r.format === BENCH_FORMAT && Array.isArray(r.figures);
}

export interface Change {
  id: string;
  label: string;
  unit: Unit;
  old: number;
  now: number;
  /** How much worse, as a fraction: +0.2 = 20 % slower (or 20 % more memory, or a 20 % lower factor). */
  worse: number;
}

export interface Comparison {
  regressions: Change[];
  improvements: Change[];
  /** Behaviour fingerprints that differ. */
  changedChecks: string[];
  /** Figures of the old run missing from the new one. */
  missing: string[];
}

/**
 * Compares medians figure by figure. Higher-is-better figures are compared as the time they
 * stand for (old/new − 1), so "10 % worse" means the same for a duration and a real-time factor.
 */
export function compareResults(old: BenchResult, now: BenchResult, threshold = 0.1): Comparison {
  const byId = new Map(now.figures.map((f) => [f.id, f]));
  const out: Comparison = { regressions: [], improvements: [], changedChecks: [], missing: [] };
  for (const o of old.figures) {
    const n = byId.get(o.id);
    if (!n) {
      if (now.sections.includes(o.section)) out.missing.push(o.id);
      continue;
    }
    if (!(Number.isFinite(o.median) && Number.isFinite(n.median) && o.median > 0 && n.median > 0)) continue;
    if (o.unit !== n.unit) continue;
    const worse = n.better === "higher" ? o.median / n.median - 1 : n.median / o.median - 1;
    const change = { id: o.id, label: n.label, unit: n.unit, old: o.median, now: n.median, worse };
    if (worse > threshold) out.regressions.push(change);
    else if (worse < -threshold) out.improvements.push(change);
  }
  for (const [key, value] of Object.entries(old.checks ?? {})) {
    const current = now.checks?.[key];
    if (current !== undefined && current !== value) out.changedChecks.push(key);
  }
  return out;
}
