import type { BenchResult, Comparison, Figure, Unit } from "./results.ts";

const SECTION_TITLES: Record<string, string> = {
  commands: "The commands as users run them (whole processes)",
  micro: "Micro (mitata)",
  batch: "Batch",
  streaming: "Streaming",
  startup: "Start-up",
  memory: "Memory",
};

/** A value with its unit, to about three significant digits. */
export function formatValue(v: number, unit: Unit): string {
  if (!Number.isFinite(v)) return "—";
  if (unit === "×") return v >= 100 ? `${Math.round(v).toLocaleString("en-US")}×` : `${v.toFixed(1)}×`;
  if (unit === "clips/s") return `${Math.round(v).toLocaleString("en-US")} clips/s`;
  if (unit === "%") return `${v.toFixed(1)} %`;
  if (unit === "ms" && Math.abs(v) >= 1000) return `${(v / 1000).toFixed(2)} s`;
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return `${v.toFixed(digits)} ${unit}`;
}

function verdict(f: Figure): string {
  if (f.error) return "error";
  if (f.pass === undefined) return "";
  return f.pass ? "pass" : "FAIL";
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
}

/** The results as a plain-text table: figure, median, p95, target, pass/fail; errors below. */
export function formatTable(result: BenchResult): string {
  const header = ["figure", "median", "p95", "runs", "target", "result"];
  const rows: (string[] | string)[] = [];
  for (const section of result.sections) {
    const figures = result.figures.filter((f) => f.section === section);
    if (figures.length === 0) continue;
    rows.push(SECTION_TITLES[section] ?? section);
    for (const f of figures) {
      rows.push([`  ${f.label}`, formatValue(f.median, f.unit), formatValue(f.p95, f.unit), String(f.n), f.target?.text ?? "", verdict(f)]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r): r is string[] => Array.isArray(r)).map((r) => r[i]!.length)));
  const lines = [pad(header, widths), widths.map((w) => "─".repeat(w)).join("  ")];
  for (const r of rows) lines.push(Array.isArray(r) ? pad(r, widths) : r);
  const notes = result.figures.filter((f) => f.note && !f.error);
  if (notes.length) lines.push("", "Notes:", ...notes.map((f) => `  ${f.label.trim()}: ${f.note}`));
  const errors = result.figures.filter((f) => f.error);
  if (errors.length) lines.push("", ...errors.map((f) => `error: ${f.label.trim()}: ${f.error}`));
  const targets = result.figures.filter((f) => f.target);
  const passed = targets.filter((f) => f.pass).length;
  lines.push("", `${passed} of ${targets.length} targets met (p95 of a higher-is-better figure is the value 95 % of runs reach).`);
  return lines.join("\n");
}

/** The results as a Markdown table (for the README): one row per figure, a heading row per section. */
export function formatMarkdown(result: BenchResult): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const lines = ["| figure | median | p95 | target | |", "| --- | ---: | ---: | --- | --- |"];
  for (const section of result.sections) {
    const figures = result.figures.filter((f) => f.section === section);
    if (figures.length === 0) continue;
    lines.push(`| **${SECTION_TITLES[section] ?? section}** | | | | |`);
    for (const f of figures) {
      const label = f.label.startsWith("  ") ? `↳ ${f.label.trim()}` : f.label;
      lines.push(`| ${cell(label)} | ${formatValue(f.median, f.unit)} | ${formatValue(f.p95, f.unit)} | ${cell(f.target?.text ?? "")} | ${verdict(f)} |`);
    }
  }
  return lines.join("\n");
}

/** The comparison against an older run, as lines; regressions first. */
export function formatComparison(c: Comparison, oldName: string, threshold: number): string {
  const pct = (x: number) => `${x > 0 ? "+" : ""}${(x * 100).toFixed(0)} %`;
  const lines = [`Compared with ${oldName} (medians; a change over ${(threshold * 100).toFixed(0)} % is flagged):`];
  if (c.regressions.length === 0) lines.push("  no regressions");
  for (const r of c.regressions)
    lines.push(`  REGRESSION  ${r.label.trim()}: ${formatValue(r.old, r.unit)} → ${formatValue(r.now, r.unit)} (${pct(r.worse)} worse)`);
  for (const r of c.improvements)
    lines.push(`  improved    ${r.label.trim()}: ${formatValue(r.old, r.unit)} → ${formatValue(r.now, r.unit)} (${(-r.worse * 100).toFixed(0)} % better)`);
  for (const k of c.changedChecks) lines.push(`  BEHAVIOUR CHANGED: ${k} differs from the old run`);
  for (const id of c.missing) lines.push(`  missing: ${id} (in the old run, not in this one)`);
  return lines.join("\n");
}
