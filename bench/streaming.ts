import { basename } from "node:path";
import { FileSource } from "../engine/sources/file-source.ts";
import { readStreamTruth, runEngine, scoreStream } from "../engine/stream-eval.ts";
import { DEFAULT_VAD_OPTIONS } from "../engine/vad/options.ts";
import type { BenchContext } from "./context.ts";
import { type Figure, type FigureSpec, failedFigure, figure } from "./results.ts";

/** Streams grouped by input format, to show what the rate and channel count cost. */
function formatGroup(file: string): string {
  const m = /_(\d+)k_(stereo|f32)?/.exec(basename(file));
  if (!m) return "other";
  return `${m[1]} kHz${m[2] === "stereo" ? " stereo" : m[2] === "f32" ? " float32" : ""}`;
}

/**
 * The engine over every test stream as fast as it can go (as `bun listen --file X --fast`):
 * real-time factor per pass over all streams and per input format, and the latency from the
 * end of speech to the prediction with the default VAD settings, split into the VAD's hangover
 * and the compute after it. One warm-up pass first.
 */
export async function streamingBench(ctx: BenchContext, checks: Record<string, string>): Promise<Figure[]> {
  const streams = ctx.streams();
  if (streams.length === 0) throw new Error(`no test streams in ${ctx.streamsDir}`);
  const hangoverMs = DEFAULT_VAD_OPTIONS.hangoverMs;
  const rtfAll: number[] = [];
  const rtfByGroup = new Map<string, number[]>();
  const total: number[] = [];
  const hangover: number[] = [];
  const compute: number[] = [];
  const truthLatency: number[] = [];
  const accuracy: number[] = [];
  const digits: string[] = [];
  for (let pass = 0; pass <= ctx.repeats.streamPasses; pass++) {
    let audio = 0;
    let wall = 0;
    const groupAudio = new Map<string, number>();
    const groupWall = new Map<string, number>();
    for (const file of streams) {
      const run = await runEngine(ctx.model, new FileSource(file, { realtime: false }));
      if (pass === 0) {
        digits.push(`${basename(file, ".wav")}=${run.summary.digits}`);
        continue;
      }
      audio += run.summary.seconds;
      wall += run.wallMs;
      const g = formatGroup(file);
      groupAudio.set(g, (groupAudio.get(g) ?? 0) + run.summary.seconds);
      groupWall.set(g, (groupWall.get(g) ?? 0) + run.wallMs);
      for (const p of run.predictions) {
        const l = p.latency;
        const c = l.ringWaitMs + l.resampleMs + l.vadMs + l.featuresMs + l.inferenceMs;
        total.push(l.endToPredictionMs);
        compute.push(c);
        hangover.push(l.endToPredictionMs - c);
      }
      if (pass === 1) {
        const score = scoreStream(readStreamTruth(file), run);
        truthLatency.push(...score.latencyMs);
        accuracy.push(score.accuracy);
      }
    }
    if (pass === 0) continue;
    rtfAll.push((audio * 1000) / wall);
    for (const [g, a] of groupAudio) {
      const list = rtfByGroup.get(g) ?? [];
      list.push((a * 1000) / groupWall.get(g)!);
      rtfByGroup.set(g, list);
    }
  }
  checks.streamDigits = digits.join(" ");

  const rtfTarget = { op: ">=" as const, value: 2000, on: "median" as const, text: "≥ 2000×" };
  const figures: Figure[] = [
    figure(
      "streaming",
      { id: "stream.rtf", label: `engine real-time factor, all ${streams.length} streams`, unit: "×", better: "higher", target: rtfTarget },
      rtfAll,
    ),
  ];
  for (const [g, values] of [...rtfByGroup].sort((a, b) => parseFloat(a[0]) - parseFloat(b[0]))) {
    const stereo = /stereo/.test(g);
    figures.push(
      figure(
        "streaming",
        {
          id: `stream.rtf.${g.replace(/[^a-z0-9]+/gi, "")}`,
          label: `engine real-time factor, ${g}`,
          unit: "×",
          better: "higher",
          target: stereo ? rtfTarget : undefined,
        },
        values,
      ),
    );
  }
  const latencySpec: FigureSpec = {
    id: "stream.latency",
    label: `end of speech → prediction (VAD end, hangover ${hangoverMs} ms)`,
    unit: "ms",
    target: { op: "<=", value: hangoverMs + 5, on: "p95", text: `≤ ${hangoverMs} + 5 ms` },
  };
  if (total.length === 0) {
    figures.push(failedFigure("streaming", latencySpec, new Error("no predictions")));
    return figures;
  }
  figures.push(
    figure("streaming", latencySpec, total),
    figure("streaming", { id: "stream.latency.hangover", label: "  of which hangover (silence the VAD waits for)", unit: "ms" }, hangover),
    figure(
      "streaming",
      {
        id: "stream.latency.compute",
        label: "  of which compute (resample, VAD, features, inference)",
        unit: "ms",
        target: { op: "<=", value: 5, on: "p95", text: "≤ 5 ms" },
      },
      compute,
    ),
    figure(
      "streaming",
      {
        id: "stream.latency.truth",
        label: "end of speech (ground truth) → prediction",
        unit: "ms",
        note: "stream time; includes where the VAD places the end",
      },
      truthLatency,
    ),
    figure(
      "streaming",
      { id: "stream.accuracy", label: "digit accuracy per stream", unit: "%", better: "higher" },
      accuracy.map((a) => a * 100),
    ),
  );
  return figures;
}
