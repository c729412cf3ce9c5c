import { readdirSync } from "node:fs";
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
 * Whole-process start-up: `bun predict` of one WAV as the user types it, the same without the
 * `bun run` script wrapper, and Bun's own floor; `bun train` on the full train split.
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
  let wav = "";
  try {
    const dir = ctx.testWavDir();
    wav = join(dir, readdirSync(dir).filter((f) => f.endsWith(".wav")).sort()[0]!);
  } catch (err) {
    figures.push(failedFigure("startup", { id: "startup.predictCold", label: "cold `bun predict` of one WAV", unit: "ms" }, err));
  }
  if (wav) {
    measure(
      { id: "startup.predictCold", label: "cold `bun predict` of one WAV", unit: "ms", target: { op: "<=", value: 80, on: "median", text: "≤ 80 ms" } },
      () => timeCommand(["bun", "predict", wav, "--model", ctx.modelPath], ctx.root, runs, (r) => {
        if (!/Predicted digit: \d/.test(r.stdout)) throw new Error(`unexpected output: ${r.stdout.slice(0, 80)}`);
      }),
    );
    measure(
      { id: "startup.predictScript", label: "  the same, `bun ui/commands/predict-command.ts` (no `bun run` wrapper)", unit: "ms" },
      () => timeCommand(["bun", "ui/commands/predict-command.ts", wav, "--model", ctx.modelPath], ctx.root, runs),
    );
  }
  measure({ id: "startup.bunFloor", label: "  Bun's own start-up (`bun -e 0`)", unit: "ms" }, () => timeCommand(["bun", "-e", "0"], ctx.root, runs));

  if (ctx.repeats.trainRuns > 0) {
    const out = join(ctx.tmp, "train");
    measure(
      { id: "startup.train", label: "`bun train` on the full train split", unit: "ms", target: { op: "<=", value: 5000, on: "median", text: "≤ 5 s" } },
      () =>
        timeCommand(
          ["bun", "train", "--data-dir", ctx.dataDir, "--out", join(out, "model.json"), "--artifacts-dir", out],
          ctx.root,
          ctx.repeats.trainRuns,
        ),
    );
  }
  return figures;
}
