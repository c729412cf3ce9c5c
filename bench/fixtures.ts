/**
 * The inputs the whole-process benchmarks run the user's commands on, made reproducibly under
 * artifacts/bench/ (git-ignored) and reused across runs: the FSDD splits as WAV files, a large
 * folder of copies of the test clips, and one long 48 kHz stereo recording made of the shared
 * test streams.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { decodeWav, encodeWav16, mixToMono } from "../engine/audio/wav.ts";
import { resampleTo } from "../engine/resampler.ts";
import { runProcess } from "./process-run.ts";

export const LONG_RATE = 48000;

/** Builds `path` with `make(tmp)` into a temporary name first, so an interrupted build is never taken for a finished one. */
async function once(path: string, make: (tmp: string) => Promise<void> | void): Promise<string> {
  if (existsSync(path)) return path;
  const tmp = `${path}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  await make(tmp);
  renameSync(tmp, path);
  return path;
}

function wavsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".wav"))
    .sort()
    .map((f) => join(dir, f));
}

/** artifacts/bench/SPLIT/: every clip of an FSDD split as a WAV file (`bun data:export`). */
export async function splitWavs(root: string, split: "train" | "test", dataDir: string): Promise<string> {
  const dir = join(root, "artifacts/bench", split);
  return once(dir, (tmp) => {
    const run = runProcess(["bun", "data:export", "--split", split, "--all", "--dir", dataDir, "--out", tmp], { cwd: root });
    if (run.exitCode !== 0) throw new Error(`bun data:export failed: ${run.stderr.trim().split("\n").pop()}`);
    renameSync(join(tmp, split), `${tmp}.files`);
    rmSync(tmp, { recursive: true, force: true });
    renameSync(`${tmp}.files`, tmp);
  });
}

/** artifacts/bench/large-N/: N WAV files, the test clips copied in turn (labels stay in the names). */
export async function largeFolder(root: string, testDir: string, n: number): Promise<string> {
  const clips = wavsIn(testDir);
  return once(join(root, "artifacts/bench", `large-${n}`), async (tmp) => {
    mkdirSync(tmp, { recursive: true });
    const bytes = await Promise.all(clips.map((f) => Bun.file(f).bytes()));
    for (let i = 0; i < n; i++) {
      const k = i % clips.length;
      const copy = Math.floor(i / clips.length);
      await Bun.write(join(tmp, `${basename(clips[k]!, ".wav")}_copy${String(copy).padStart(3, "0")}.wav`), bytes[k]!);
    }
  });
}

/**
 * artifacts/bench/streams-48k-stereo.wav: the shared test streams back to back, each resampled
 * to 48 kHz (mono ones on both channels, stereo ones as they are), 16-bit.
 */
export async function longStereo(root: string, streams: string[]): Promise<string> {
  return once(join(root, "artifacts/bench/streams-48k-stereo.wav"), async (tmp) => {
    const parts: Float32Array[] = [];
    for (const file of streams) {
      const a = decodeWav(await Bun.file(file).bytes(), file);
      const channels = a.channels === 2 ? [0, 1] : [0, 0];
      const per = channels.map((c) => {
        const ch = a.channels === 1 ? a.samples : a.channels === 2 ? deinterleave(a.samples, 2, c) : mixToMono(a.samples, a.channels);
        return a.sampleRate === LONG_RATE ? ch : resampleTo(ch, a.sampleRate, LONG_RATE);
      });
      const frames = Math.min(per[0]!.length, per[1]!.length);
      const stereo = new Float32Array(frames * 2);
      for (let i = 0; i < frames; i++) {
        stereo[2 * i] = per[0]![i]!;
        stereo[2 * i + 1] = per[1]![i]!;
      }
      parts.push(stereo);
    }
    const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    await Bun.write(tmp, encodeWav16(all, LONG_RATE, 2));
  });
}

function deinterleave(x: Float32Array, channels: number, c: number): Float32Array {
  const out = new Float32Array(Math.floor(x.length / channels));
  for (let i = 0; i < out.length; i++) out[i] = x[i * channels + c]!;
  return out;
}
