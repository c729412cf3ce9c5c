import { join } from "node:path";
import type { BenchContext } from "./context.ts";
import type { EngineMemoryReport, EngineMemorySettings } from "./engine-memory.ts";
import { runProcessRss } from "./process-run.ts";
import { type Figure, type FigureSpec, failedFigure, figure } from "./results.ts";

const RSS_TARGET = { op: "<=" as const, value: 120, on: "median" as const, text: "≤ 120 MB" };

/**
 * Peak RSS of `bun predict` over the 300 test WAVs and of one long WAV, of `bun listen --file` over
 * a two-hour stereo WAV, and of the engine over a long stream at full speed (a child process
 * sampling its own memory over stream time).
 */
export async function memoryBench(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  const predictSpec: FigureSpec = { id: "memory.predictPeakRss", label: "peak RSS, `bun predict` over 300 WAVs", unit: "MB", target: RSS_TARGET };
  try {
    const dir = await ctx.testWavDir();
    const peaks: number[] = [];
    let method = "";
    for (let i = 0; i < Math.max(1, Math.min(5, ctx.repeats.processRuns)); i++) {
      const run = await runProcessRss(["bun", "predict", dir, "--model", ctx.modelPath], { cwd: ctx.root });
      if (run.exitCode !== 0) throw new Error(`bun predict exited with ${run.exitCode}`);
      peaks.push(run.peakRssMb);
      method = run.method;
    }
    figures.push(figure("memory", { ...predictSpec, note: `measured with ${method}` }, peaks));
  } catch (err) {
    figures.push(failedFigure("memory", predictSpec, err));
  }

  // Long files: the quick run measures ten minutes (memory must not depend on the length).
  figures.push(
    await longFileRss(ctx, {
      id: "memory.predictLongFileRss",
      command: "bun predict",
      minutes: ctx.quick ? 10 : 60,
      channels: 1,
      args: (wav) => ["predict", wav],
      maxMb: 150,
    }),
    await longFileRss(ctx, {
      id: "memory.listenLongFileRss",
      command: "bun listen --file X --fast",
      minutes: ctx.quick ? 10 : 120,
      channels: 2,
      args: (wav) => ["listen", "--file", wav, "--fast"],
      maxMb: 100,
    }),
  );

  const minutes = ctx.repeats.memoryMinutes;
  const engineSpec: FigureSpec = {
    id: "memory.enginePeakRss",
    label: `peak RSS, engine over a ${minutes}-minute 48 kHz stereo stream`,
    unit: "MB",
    target: RSS_TARGET,
  };
  try {
    const settings: EngineMemorySettings = { minutes, every: Math.max(1, (minutes * 60) / 20), streams: ctx.streamsDir, model: ctx.modelPath };
    const cmd = ["bun", join(ctx.root, "bench/engine-memory.ts"), JSON.stringify(settings)];
    const run = await runProcessRss(cmd, { cwd: ctx.root });
    if (run.exitCode !== 0) throw new Error(`engine memory run exited with ${run.exitCode}: ${run.stderr.trim().split("\n").pop()}`);
    const report = JSON.parse(run.stdout.trim().split("\n").pop()!) as EngineMemoryReport;
    const s = report.samples;
    // Growth from the end of the first minute (start-up and JIT settled) to the end of the stream.
    const settled = s.find((x) => x.t >= 60) ?? s[0]!;
    const last = s[s.length - 1]!;
    const trace = s.map((x) => `${(x.t / 60).toFixed(1)}′ ${x.rssMb.toFixed(0)}`).join(", ");
    figures.push(
      figure("memory", { ...engineSpec, note: `RSS (MB) over stream time: ${trace}` }, [run.peakRssMb]),
      figure(
        "memory",
        { id: "memory.engineRssGrowth", label: `  RSS growth, minute ${(settled.t / 60).toFixed(0)} → ${(last.t / 60).toFixed(0)}`, unit: "MB" },
        [last.rssMb - settled.rssMb],
      ),
      figure(
        "memory",
        {
          id: "memory.engineHeapGrowth",
          label: `  live heap growth, minute ${(settled.t / 60).toFixed(0)} → ${(last.t / 60).toFixed(0)}`,
          unit: "MB",
          target: { op: "<=", value: 1, on: "median", text: "flat (≤ 1 MB)" },
          note: `live heap after a full GC: ${settled.heapMb.toFixed(2)} → ${last.heapMb.toFixed(2)} MB`,
        },
        [last.heapMb - settled.heapMb],
      ),
    );
  } catch (err) {
    figures.push(failedFigure("memory", engineSpec, err));
  }
  return figures;
}

interface LongFileRun {
  id: string;
  command: string;
  minutes: number;
  channels: 1 | 2;
  args: (wav: string) => string[];
  maxMb: number;
}

/** Peak RSS of one command over a long 48 kHz WAV made for the bench. */
async function longFileRss(ctx: BenchContext, r: LongFileRun): Promise<Figure> {
  const spec: FigureSpec = {
    id: r.id,
    label: `peak RSS, \`${r.command}\` of a ${r.minutes}-minute 48 kHz ${r.channels === 2 ? "stereo" : "mono"} WAV`,
    unit: "MB",
    target: { op: "<=", value: r.maxMb, on: "median", text: `≤ ${r.maxMb} MB` },
  };
  try {
    const run = await runProcessRss(["bun", ...r.args(ctx.longWav(r.minutes, r.channels)), "--model", ctx.modelPath], { cwd: ctx.root });
    if (run.exitCode !== 0) throw new Error(`${r.command} exited with ${run.exitCode}: ${run.stderr.trim().split("\n").pop()}`);
    return figure("memory", { ...spec, note: `measured with ${run.method}` }, [run.peakRssMb]);
  } catch (err) {
    return failedFigure("memory", spec, err);
  }
}
