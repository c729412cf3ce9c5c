import { join } from "node:path";
import type { BenchContext } from "./context.ts";
import { type ProcessRun, runProcess } from "./process-run.ts";
import { type Figure, type FigureSpec, failedFigure, figure } from "./results.ts";

/** Times `runs` runs of a command after one warm-up run (which fills the page cache). */
function timeCommand(cmd: string[], cwd: string, runs: number, check: (run: ProcessRun) => void = () => {}): number[] {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const run = runProcess(cmd, { cwd });
    if (run.exitCode !== 0) throw new Error(`\`${cmd.join(" ")}\` exited with ${run.exitCode}: ${run.stderr.trim().split("\n").pop()}`);
    check(run);
    if (i > 0) times.push(run.wallMs);
  }
  return times;
}

/**
 * Bun's own start-up floor (what no command can beat) and `bun train` on the full train split;
 * the other commands are timed in the commands section.
 */
export async function startupBench(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  const measure = (spec: FigureSpec, f: () => number[]) => {
    try {
      figures.push(figure("startup", spec, f()));
    } catch (err) {
      figures.push(failedFigure("startup", spec, err));
    }
  };
  const runs = ctx.repeats.processRuns;
  measure({ id: "startup.bunFloor", label: "Bun's own start-up (`bun -e 0`)", unit: "ms" }, () => timeCommand(["bun", "-e", "0"], ctx.root, runs));

  if (ctx.repeats.trainRuns > 0) {
    const out = join(ctx.tmp, "train");
    measure(
      { id: "startup.train", label: "`bun train` on the full train split", unit: "ms", target: { op: "<=", value: 20_000, on: "median", text: "≤ 20 s" } },
      () => timeCommand(["bun", "train", "--data-dir", ctx.dataDir, "--out", join(out, "model.json"), "--artifacts-dir", out], ctx.root, ctx.repeats.trainRuns),
    );
  }
  return figures;
}
