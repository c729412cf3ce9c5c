/**
 * The demo recording `bun start --demo` plays: FSDD test-split clips said one after another, with
 * short pauses inside a number and long ones between numbers, written with a JSON truth in the
 * layout of the shared test streams. Made from the dataset, so a plain clone can show the demo.
 */
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { encodeWav16 } from "../engine/audio/wav.ts";
import type { Clip } from "./fsdd.ts";
import { writingTo } from "./write-guard.ts";

export const DEMO_WAV = "artifacts/demo.wav";
export const DEMO_TRUTH = "artifacts/demo.json";
/** The numbers said, one per entry: the app commits each after the pause that follows it. */
export const DEMO_NUMBERS = ["2026", "8675309", "42", "1"] as const;
const RATE = 8000;
/** Pauses (s) between digits of one number, and between numbers: longer than the app's 2 s commit. */
const DIGIT_PAUSE_S = 0.6;
const NUMBER_PAUSE_S = 2.6;
const LEAD_S = 0.6;
const TAIL_S = 1.0;
/** Every clip at the same loudness (-26 dBFS RMS), faded in and out over 5 ms against clicks. */
const TARGET_RMS = 10 ** (-26 / 20);
const FADE_S = 0.005;

export interface DemoSegment {
  digit: number;
  start_s: number;
  end_s: number;
  source: string;
  kind: "digit";
}

export interface DemoTruth {
  file: string;
  sample_rate: number;
  channels: 1;
  encoding: "int16";
  duration_s: number;
  num_samples: number;
  digits: string;
  numbers: string[];
  segments: DemoSegment[];
}

/** Picks the clips of `numbers` from the test split, speakers taken in turn so every voice is heard. */
export function pickDemoClips(clips: readonly Clip[], numbers: readonly string[] = DEMO_NUMBERS): Clip[][] {
  const byDigit = Array.from({ length: 10 }, (_, d) =>
    clips.filter((c) => c.label === d && c.sampleRate === RATE).sort((a, b) => a.path.localeCompare(b.path)),
  );
  let turn = 0;
  return numbers.map((number) =>
    [...number].map((ch) => {
      const pool = byDigit[Number(ch)]!;
      if (pool.length === 0) throw new Error(`no 8 kHz test clip of digit ${ch}`);
      return pool[(turn++ * 7) % pool.length]!;
    }),
  );
}

/** Lays the picked clips out on one 8 kHz track and returns it with its ground truth. */
export function buildDemo(picked: readonly (readonly Clip[])[], file = DEMO_WAV): { samples: Float32Array; truth: DemoTruth } {
  const total = Math.round(
    RATE * (LEAD_S + TAIL_S + NUMBER_PAUSE_S * (picked.length - 1) + DIGIT_PAUSE_S * picked.reduce((n, number) => n + number.length - 1, 0)) +
      picked.flat().reduce((n, clip) => n + clip.samples.length, 0),
  );
  const samples = new Float32Array(total);
  const segments: DemoSegment[] = [];
  const fade = Math.round(FADE_S * RATE);
  let at = Math.round(LEAD_S * RATE);
  picked.forEach((number, n) => {
    if (n > 0) at += Math.round(NUMBER_PAUSE_S * RATE);
    number.forEach((clip, i) => {
      if (i > 0) at += Math.round(DIGIT_PAUSE_S * RATE);
      const x = clip.samples;
      let mean = 0;
      for (let k = 0; k < x.length; k++) mean += x[k]!;
      mean /= x.length || 1;
      let power = 0;
      for (let k = 0; k < x.length; k++) power += (x[k]! - mean) ** 2;
      const gain = TARGET_RMS / Math.sqrt(power / (x.length || 1) || 1e-12);
      for (let k = 0; k < x.length; k++) {
        const edge = Math.min(1, k / fade, (x.length - 1 - k) / fade);
        samples[at + k] = (x[k]! - mean) * gain * edge;
      }
      segments.push({ digit: clip.label, start_s: at / RATE, end_s: (at + x.length) / RATE, source: clip.path, kind: "digit" });
      at += x.length;
    });
  });
  const digits = picked.map((number) => number.map((c) => c.label).join(""));
  return {
    samples,
    truth: {
      file: file.split("/").pop() ?? file,
      sample_rate: RATE,
      channels: 1,
      encoding: "int16",
      duration_s: total / RATE,
      num_samples: total,
      digits: digits.join(""),
      numbers: digits,
      segments,
    },
  };
}

/** Writes the demo WAV and its truth (`DEMO_TRUTH` beside a WAV named otherwise: NAME.json). */
export async function writeDemo(clips: readonly Clip[], file = DEMO_WAV): Promise<DemoTruth> {
  const { samples, truth } = buildDemo(pickDemoClips(clips), file);
  const dir = dirname(file);
  await writingTo(dir, "--out", async () => {
    await mkdir(dir, { recursive: true });
    await Bun.write(file, encodeWav16(samples, RATE));
    await Bun.write(file.replace(/\.wav$/i, "") + ".json", `${JSON.stringify(truth, null, 2)}\n`);
  });
  return truth;
}
