/**
 * README.md's example outputs and headline figures, made by running the real commands.
 *
 * An example is a marker followed by a fenced block:
 *
 *     <!-- example: bun predict samples/3_0.wav -->
 *     ```console
 *     $ bun predict samples/3_0.wav
 *     Predicted digit: 3
 *     ```
 *
 * `<!-- example head=4 tail=2: CMD -->` keeps the first 4 and last 2 lines of a long output. The
 * examples run in order, in one sandbox: a temporary folder that links to the project's files
 * but has its own samples/ and artifacts/, so the README's own steps (export, then predict) are
 * what the later examples see, and nothing of the user's is touched. The figures table between
 * `<!-- figures -->` and `<!-- /figures -->` is made from the JSON that `bun eval` wrote there.
 * The speed table between `<!-- speed: bun bench --markdown … -->` and `<!-- /speed -->` is what
 * that command prints from the project's last stored bench run (artifacts/bench.json): generated
 * from a measurement, never typed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT, STREAMS_DIR, STREAMS_DIR_SHOWN } from "../engine/shared-streams.ts";

export { PROJECT_ROOT, STREAMS_DIR };
export const README = join(PROJECT_ROOT, "README.md");
const STREAMS_ARG = STREAMS_DIR_SHOWN;

const EXAMPLE = /<!-- example(?: head=(\d+))?(?: tail=(\d+))?: (.+?) -->\n```console\n([\s\S]*?)```/g;
const FIGURES = /<!-- figures -->\n([\s\S]*?)<!-- \/figures -->/;
const SPEED = /<!-- speed: (bun bench --markdown[\w .,\-/]*?) -->\n([\s\S]*?)<!-- \/speed -->/;

export interface Example {
  command: string;
  head?: number;
  tail?: number;
  /** The fenced block's text as the README has it. */
  shown: string;
}

export function readExamples(readme: string): Example[] {
  return [...readme.matchAll(EXAMPLE)].map((m) => ({
    command: m[3]!,
    head: m[1] === undefined ? undefined : Number(m[1]),
    tail: m[2] === undefined ? undefined : Number(m[2]),
    shown: m[4]!,
  }));
}

export function readFigures(readme: string): string | null {
  return FIGURES.exec(readme)?.[1] ?? null;
}

/** The speed table's command and text as the README has them, or null when it has none. */
export function readSpeed(readme: string): { command: string; table: string } | null {
  const m = SPEED.exec(readme);
  return m ? { command: m[1]!, table: m[2]! } : null;
}

/**
 * What `command` (a `bun bench --markdown`) prints from the project's stored run, or null when
 * there is no stored run with the sections it reports.
 */
export function renderSpeed(command: string, root = PROJECT_ROOT): string | null {
  if (!existsSync(join(root, "artifacts/bench.json"))) return null;
  try {
    return `${runExample(command, root).trimEnd()}\n`;
  } catch {
    return null;
  }
}

/**
 * A speed table without what one run measured: the run's heading line (date, load) and the
 * median, p95 and pass cells go; the sections, figures and targets stay, so a row typed by hand
 * or a figure renamed shows, and a fresh bench run does not.
 */
export function speedShape(table: string): string {
  return table
    .trimEnd()
    .split("\n")
    .filter((line) => line.startsWith("|"))
    .map((line) => {
      const cells = line.split(" | ");
      if (cells.length !== 5 || /^\| (figure|---)/.test(line) || /^\| \*\*/.test(line)) return line;
      return [cells[0], "#", "#", cells[3], "#"].join(" | ");
    })
    .join("\n");
}

/** A temporary project folder: links to every top-level entry except samples/ and artifacts/. */
export function makeSandbox(root = PROJECT_ROOT): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "readme-examples-"));
  const own = new Set([".git", "samples", "artifacts"]);
  for (const entry of readdirSync(root)) if (!own.has(entry)) symlinkSync(join(root, entry), join(dir, entry));
  mkdirSync(join(dir, "artifacts"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs one README command in the sandbox and returns what a terminal would show (stdout and stderr, in order). */
export function runExample(command: string, sandbox: string): string {
  if (!/^bun [\w:.\-/ ]+$/.test(command)) throw new Error(`README example \`${command}\`: only plain \`bun …\` commands run here`);
  const r = Bun.spawnSync(["sh", "-c", `${command} 2>&1`], { cwd: sandbox, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
  const out = r.stdout.toString().replaceAll(`${sandbox}/`, "").replaceAll(sandbox, ".");
  if (r.exitCode !== 0) throw new Error(`README example \`${command}\` exited with ${r.exitCode}:\n${out}`);
  return out;
}

/** The fenced block's text for a command and its output, cut to head/tail lines when asked. */
export function renderExample(example: Pick<Example, "command" | "head" | "tail">, output: string): string {
  let lines = output.replace(/\s+$/, "").split("\n");
  const head = example.head ?? Infinity;
  const tail = example.tail ?? 0;
  if (lines.length > head + tail) lines = [...lines.slice(0, head), "…", ...(tail ? lines.slice(-tail) : [])];
  return `$ ${example.command}\n${lines.join("\n")}\n`;
}

/**
 * What may differ between two runs of the same command on the same data: timings and latencies
 * (numbers in ms or µs, a duration ending a line, every number of a latency breakdown) and dates.
 */
export function normalise(text: string): string {
  return text
    .split("\n")
    .map((line) =>
      (/^Latency \(ms\)/.test(line) ? line.replace(/\d+(\.\d+)?/g, "#") : line)
        .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z?/g, "<date>")
        .replace(/\d+(\.\d+)?\s*(ms|µs)\b/g, "# $2")
        .replace(/\d+(\.\d+)? s$/, "# s")
        .trimEnd(),
    )
    .join("\n")
    .trimEnd();
}

interface TestMetrics {
  accuracy: number;
  count: number;
  macroF1: number;
  cv?: { loso?: { mean: number; std: number; folds: Record<string, number> } };
  rejection: { threshold: number; rejected: number };
}

interface StreamMetrics {
  meanAccuracy: number;
  streams: { file: string; accuracy: number }[];
}

/**
 * Runs `bun eval --streams` in the sandbox when the shared streams are there; false when they are
 * not (the figures table then cannot be made).
 */
export function runStreamEval(sandbox: string): boolean {
  if (!existsSync(STREAMS_DIR)) return false;
  runExample(`bun eval --streams ${STREAMS_DIR}`, sandbox);
  return true;
}

/** The headline figures table, from the JSON `bun eval` and `bun eval --streams` wrote in the sandbox. */
export function renderFigures(sandbox: string): string {
  const test = JSON.parse(readFileSync(join(sandbox, "artifacts/test_metrics.json"), "utf8")) as TestMetrics;
  const streams = JSON.parse(readFileSync(join(sandbox, "artifacts/stream_metrics.json"), "utf8")) as StreamMetrics;
  const loso = test.cv?.loso;
  const right = Math.round(test.accuracy * test.count);
  const clean = streams.streams.filter((s) => /clean/.test(s.file));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
  const rows = [
    [
      `FSDD test split (${test.count} clips): accuracy`,
      `**${test.accuracy.toFixed(4)}** (${right}/${test.count}), macro F1 ${test.macroF1.toFixed(4)}`,
      "`bun eval`",
    ],
    loso
      ? [
          "unseen speakers: leave-one-speaker-out on the train split",
          `**${loso.mean.toFixed(3)}** ± ${loso.std.toFixed(3)} (${Object.entries(loso.folds)
            .map(([who, acc]) => `${who} ${acc.toFixed(3)}`)
            .join(", ")})`,
          "`bun eval` (stored by `bun train`)",
        ]
      : null,
    [
      `developer streams: digit-string accuracy, mean of ${streams.streams.length}`,
      `**${streams.meanAccuracy.toFixed(3)}** (clean streams ${mean(clean.map((s) => s.accuracy)).toFixed(3)})`,
      `\`bun eval --streams ${STREAMS_ARG}\``,
    ],
  ].filter((r): r is string[] => r !== null);
  return ["| figure | value | command |", "| --- | --- | --- |", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n") + "\n";
}

/** README.md with every example block, the figures table and the speed table remade from the runs. */
export function rewriteReadme(readme: string, outputs: readonly string[], figures: string | null, speed: string | null = null): string {
  let i = 0;
  let text = readme.replace(EXAMPLE, (whole, head, tail, command: string) => {
    const output = outputs[i++];
    if (output === undefined) return whole;
    const marker = whole.slice(0, whole.indexOf("-->") + 3);
    return `${marker}\n\`\`\`console\n${renderExample({ command, head: head === undefined ? undefined : Number(head), tail: tail === undefined ? undefined : Number(tail) }, output)}\`\`\``;
  });
  if (figures !== null) text = text.replace(FIGURES, `<!-- figures -->\n${figures}<!-- /figures -->`);
  if (speed !== null) text = text.replace(SPEED, (_whole, command: string) => `<!-- speed: ${command} -->\n${speed}<!-- /speed -->`);
  return text;
}
