/**
 * The user's commands as whole processes, each beside the seed's method (a Python peer) where
 * there is one. Ours and the peer's runs alternate, so load from other work on the machine falls
 * on both alike; the ratio figure is the median of the per-pair ratios.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import type { BenchContext } from "./context.ts";
import { firstFrameMs } from "./first-frame.ts";
import { largeFolder, longStereo, LONG_RATE, splitWavs } from "./fixtures.ts";
import { type Peer, PEER_MISSING, peerCommand, seedPeer } from "./peer.ts";
import { type ProcessRun, runProcess, runProcessRss } from "./process-run.ts";
import { type Figure, type FigureSpec, type Target, failedFigure, figure } from "./results.ts";

/** Files in the large folder of `bun predict`. */
export const LARGE_FOLDER_FILES = 10_000;

interface Pairs {
  ours: ProcessRun[];
  peer: ProcessRun[];
}

function checked(cmd: string[], cwd: string, expect: RegExp): ProcessRun {
  const run = runProcess(cmd, { cwd });
  if (run.exitCode !== 0) throw new Error(`\`${cmd.join(" ")}\` exited with ${run.exitCode}: ${run.stderr.trim().split("\n").pop()}`);
  if (!expect.test(run.stdout)) throw new Error(`\`${cmd.join(" ")}\`: unexpected output ${JSON.stringify(run.stdout.slice(0, 120))}`);
  return run;
}

/** One warm-up run of each (it fills the page cache), then `runs` pairs, the order swapped every pair. */
function alternate(ours: string[], peer: string[] | null, runs: number, cwd: string, expect: { ours: RegExp; peer: RegExp }): Pairs {
  const out: Pairs = { ours: [], peer: [] };
  for (let i = 0; i <= runs; i++) {
    const a = () => checked(ours, cwd, expect.ours);
    const b = () => (peer ? checked(peer, cwd, expect.peer) : undefined);
    let r: ProcessRun;
    let p: ProcessRun | undefined;
    if (i % 2 === 0) {
      r = a();
      p = b();
    } else {
      p = b();
      r = a();
    }
    if (i === 0) continue;
    out.ours.push(r);
    if (p) out.peer.push(p);
  }
  return out;
}

interface Measure {
  id: string;
  label: string;
  /** From a run's wall time to the figure's value, and the figure's unit. */
  value: (run: ProcessRun) => number;
  unit: "ms" | "clips/s" | "×";
  target?: Target;
  ratioTarget?: Target;
}

/** Our figure, the peer's, and the ratio (how many times faster ours is, pair by pair). */
function pairFigures(m: Measure, pairs: Pairs, peerNote: string | null): Figure[] {
  const better = m.unit === "ms" ? "lower" : "higher";
  const ours = pairs.ours.map(m.value);
  if (peerNote) return [figure("commands", { id: m.id, label: m.label, unit: m.unit, better, target: m.target, note: peerNote }, ours)];
  const peer = pairs.peer.map(m.value);
  const ratios = ours.map((v, i) => (better === "lower" ? peer[i]! / v : v / peer[i]!));
  return [
    figure("commands", { id: m.id, label: m.label, unit: m.unit, better, target: m.target }, ours),
    figure("commands", { id: `${m.id}.peer`, label: "  the seed's method (Python peer, same inputs)", unit: m.unit, better }, peer),
    figure("commands", { id: `${m.id}.ratio`, label: "  ours against the peer, run by run", unit: "×", better: "higher", target: m.ratioTarget }, ratios),
  ];
}

export async function commandsBench(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  const root = ctx.root;
  const runs = ctx.repeats.processRuns;
  const guard = async (spec: FigureSpec, f: () => Promise<Figure[]> | Figure[]) => {
    try {
      figures.push(...(await f()));
    } catch (err) {
      figures.push(failedFigure("commands", spec, err));
    }
  };

  let peer: Peer | null = null;
  let peerNote: string | null = null;
  try {
    peer = await seedPeer(root, () => splitWavs(root, "train", ctx.dataDir));
    if (!peer) peerNote = `peer skipped: ${PEER_MISSING}`;
  } catch (err) {
    peerNote = `peer skipped: ${err instanceof Error ? err.message : String(err)}`;
  }
  const peerCmd = (what: "predict" | "listen", args: string[]) => (peer ? peerCommand(peer, what, args) : null);
  const testDir = await splitWavs(root, "test", ctx.dataDir);
  const oneWav = join(testDir, "0_george_0.wav");
  const model = ["--model", ctx.modelPath];

  const coldSpec: Measure = {
    id: "commands.predictCold",
    label: "cold `bun predict` of one WAV",
    value: (r) => r.wallMs,
    unit: "ms",
    target: { op: "<=", value: 60, on: "median", text: "≤ 60 ms" },
    ratioTarget: { op: ">=", value: 15, on: "median", text: "≥ 15×" },
  };
  await guard(coldSpec, () => {
    const pairs = alternate(["bun", "predict", oneWav, ...model], peerCmd("predict", [oneWav]), runs, root, {
      ours: /Predicted digit: \d/,
      peer: /Predicted digit: \d/,
    });
    return pairFigures(coldSpec, pairs, peerNote);
  });

  const batchSpec: Measure = {
    id: "commands.predict300",
    label: "`bun predict` over the 300 test WAVs",
    value: (r) => r.wallMs,
    unit: "ms",
    target: { op: "<=", value: 100, on: "median", text: "≤ 100 ms" },
    ratioTarget: { op: ">=", value: 12, on: "median", text: "≥ 12×" },
  };
  await guard(batchSpec, () => {
    const pairs = alternate(["bun", "predict", testDir, ...model], peerCmd("predict", [testDir]), runs, root, { ours: /300 files/, peer: /300 files/ });
    return pairFigures(batchSpec, pairs, peerNote);
  });

  const n = LARGE_FOLDER_FILES;
  const largeSpec: Measure = {
    id: "commands.predictLarge",
    label: `\`bun predict\` over ${n.toLocaleString("en-US")} WAVs`,
    value: (r) => (n * 1000) / r.wallMs,
    unit: "clips/s",
    target: { op: ">=", value: 5000, on: "median", text: "≥ 5,000 clips/s" },
  };
  await guard(largeSpec, async () => {
    const dir = await largeFolder(root, testDir, n);
    const expect = new RegExp(`${n} files`);
    const pairs = alternate(["bun", "predict", dir, ...model], ctx.quick ? null : peerCmd("predict", [dir]), ctx.repeats.largeRuns, root, {
      ours: expect,
      peer: expect,
    });
    return pairFigures(largeSpec, pairs, ctx.quick ? "peer skipped with --quick" : peerNote);
  });

  let long = "";
  await guard({ id: "commands.listenFast", label: "`bun listen --file --fast`", unit: "×" }, async () => {
    long = await longStereo(root, ctx.streams());
    const seconds = (statSync(long).size - 44) / (LONG_RATE * 2 * 2);
    const spec: Measure = {
      id: "commands.listenFast",
      label: `\`bun listen --file X --fast\`, ${(seconds / 60).toFixed(1)} min of 48 kHz stereo`,
      value: (r) => (seconds * 1000) / r.wallMs,
      unit: "×",
      target: { op: ">=", value: 1500, on: "median", text: "≥ 1,500× real time" },
    };
    const pairs = alternate(["bun", "listen", "--file", long, "--fast", ...model], peerCmd("listen", [long]), ctx.repeats.largeRuns, root, {
      ours: /./,
      peer: /blocks with sound/,
    });
    return pairFigures(spec, pairs, peerNote);
  });
  if (long) {
    await guard({ id: "commands.listenPeakRss", label: "  peak RSS of it", unit: "MB" }, async () => {
      const run = await runProcessRss(["bun", "listen", "--file", long, "--fast", ...model], { cwd: root });
      if (run.exitCode !== 0) throw new Error(`bun listen exited with ${run.exitCode}`);
      return [figure("commands", { id: "commands.listenPeakRss", label: `  peak RSS of it (${run.method})`, unit: "MB" }, [run.peakRssMb])];
    });
  }

  const startSpec: FigureSpec = { id: "commands.startFirstFrame", label: "`bun start`: spawn to the first screen drawn (in a pty)", unit: "ms" };
  await guard(startSpec, async () => {
    const stream = ctx.streams()[0]!;
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t = await firstFrameMs(["bun", "start", "--file", stream, ...model], root);
      if (i > 0) times.push(t);
    }
    return [figure("commands", startSpec, times)];
  });
  return figures;
}
