import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { EngineEvent } from "../engine/events.ts";
import { SAMPLE_LIMIT, sanitizeSamples } from "../engine/sample-guard.ts";
import { STREAMS_DIR, streamAudio, streamTruth } from "../engine/shared-streams.ts";

const ROOT = join(import.meta.dir, "..");

test("sanitizeSamples zeroes NaN, infinities and values beyond the limit, and counts them", () => {
  const x = Float32Array.from([0.5, NaN, Infinity, -Infinity, 1e30, -1e30, SAMPLE_LIMIT, -0.25]);
  expect(sanitizeSamples(x)).toBe(5);
  expect([...x]).toEqual([0.5, 0, 0, 0, 0, 0, SAMPLE_LIMIT, -0.25]);
  expect(sanitizeSamples(x)).toBe(0);
});

function listenStdin(samples: Float32Array, rate: number) {
  const r = Bun.spawnSync(
    ["bun", join(ROOT, "ui", "commands", "listen-command.ts"), "--stdin", "--format", "f32le", "--rate", String(rate), "--json", "--level-interval", "0"],
    {
      stdin: new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength),
      cwd: ROOT,
    },
  );
  const events = r.stdout
    .toString()
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as EngineEvent);
  return { code: r.exitCode, stderr: r.stderr.toString(), events, digits: events.flatMap((e) => (e.type === "prediction" ? [e.digit] : [])).join("") };
}

describe.skipIf(!existsSync(STREAMS_DIR))("broken samples on stdin cost only themselves", () => {
  // one clean stream and one noisy one, each poisoned with a NaN, an infinity and a 1e30 spike in
  // the gaps between digits (where the issue saw the rest of the stream go deaf) and a 1e30 spike
  // inside a digit
  for (const name of ["s05_16k_clean", "s10_44k_f32_whitehum50_snr20"]) {
    test(name, () => {
      const { samples, sampleRate } = streamAudio(name);
      const truth = streamTruth(name);
      const clean = listenStdin(samples, sampleRate);
      const poisoned = samples.slice();
      const segs = truth.segments;
      const at = (s: number) => Math.round(s * sampleRate);
      const gaps = [0, 1, 2].map((i) => at((segs[i]!.end_s + segs[i + 1]!.start_s) / 2));
      poisoned[gaps[0]!] = NaN;
      poisoned[gaps[1]!] = Infinity;
      poisoned[gaps[2]!] = 1e30;
      poisoned[gaps[2]! + 1] = -1e30;
      const mid = segs[segs.length - 1]!;
      poisoned[at((mid.start_s + mid.end_s) / 2)] = 1e30;
      const r = listenStdin(poisoned, sampleRate);
      expect(r.code).toBe(0);
      // recognised as without them, digit for digit (a broken sample inside a digit is a click)
      expect(r.digits).toBe(clean.digits);
      expect(clean.digits.length).toBeGreaterThanOrEqual(truth.digits.length - 2);
      const stopped = r.events.at(-1);
      expect(stopped?.type === "stopped" && stopped.summary.repairedSamples).toBe(5);
      expect(r.events.some((e) => e.type === "repaired-samples")).toBe(true);
    }, 60_000);
  }

  test("a stream that is nothing but NaN ends cleanly with no digit", () => {
    const r = listenStdin(new Float32Array(16000 * 5).fill(NaN), 16000);
    expect(r.code).toBe(0);
    expect(r.digits).toBe("");
    const stopped = r.events.at(-1);
    expect(stopped?.type === "stopped" && stopped.summary.repairedSamples).toBe(80000);
    // at most one repaired-samples event per second of stream
    expect(r.events.filter((e) => e.type === "repaired-samples").length).toBeLessThanOrEqual(6);
  }, 30_000);
});
