import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { writeRoomStreams } from "../data/synth/room-stream-files.ts";
import { ROOM_KINDS } from "../data/synth/room-streams.ts";
import type { RoomTruth } from "../data/synth/room-streams.ts";
import { decodeWav } from "../engine/audio/wav.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { evaluateStreams, type StreamReport } from "../train/stream-report.ts";
import { tempDirs } from "./support/temp-dirs.ts";

const DATA = join(import.meta.dir, "..", "data", "fsdd_parquet");
const haveTools = Boolean(Bun.which("espeak-ng") && Bun.which("flite")) && existsSync(DATA);
const model = loadModelFile(join(import.meta.dir, "..", "models", "default.json"));

// A seed the engine was never tuned on (the figures in docs/vad-designs.md are seed 1).
describe.skipIf(!haveTools)("room streams (bun data:synth --streams), seed 5", () => {
  const dir = tempDirs("room-streams")();
  let report: StreamReport;
  beforeAll(async () => {
    await writeRoomStreams(dir, { seed: 5, perGroup: 2, digits: 24, kinds: ROOM_KINDS }, undefined, DATA);
    report = await evaluateStreams(model, dir);
  }, 300_000);

  test("every stream has a WAV at 8 kHz and a truth whose digits match its segments, in time order", () => {
    const wavs = readdirSync(dir).filter((f) => f.endsWith(".wav"));
    expect(wavs.length).toBe(ROOM_KINDS.length * 2 + 3 * 2);
    for (const f of wavs) {
      const truth = JSON.parse(readFileSync(join(dir, f.replace(".wav", ".json")), "utf8")) as RoomTruth;
      const audio = decodeWav(readFileSync(join(dir, f)), f);
      expect(audio.sampleRate).toBe(8000);
      expect(truth.digits).toBe(truth.segments.map((s) => s.digit).join(""));
      expect(truth.duration_s).toBeCloseTo(audio.samples.length / 8000, 3);
      for (let i = 1; i < truth.segments.length; i++) expect(truth.segments[i]!.start_s).toBeGreaterThan(truth.segments[i - 1]!.end_s);
      if (f.startsWith("remarks")) expect(truth.remarks.length).toBeGreaterThan(0);
    }
  });

  const pooled = (group: string) => report.pooled[group]!.accuracy;

  // Bounds under what the shipped model measures on this seed (docs/rooms.md has the figures),
  // far above what the engine did before (about 0 in babble, 0.67-0.79 with remarks).
  test("babble of FSDD speakers 20 dB under the speaker: pooled digit-string accuracy ≥ 0.8 (the issue asks 0.95: not reached)", () => {
    expect(pooled("babble-fsdd-snr20")).toBeGreaterThanOrEqual(0.8);
  });

  test("babble of synthetic voices 20 dB under: ≥ 0.85; music 20 dB under: ≥ 0.9", () => {
    expect(pooled("babble-synth-snr20")).toBeGreaterThanOrEqual(0.85);
    expect(pooled("music-snr20")).toBeGreaterThanOrEqual(0.9);
  });

  test("babble and music 10 dB under the speaker: ≥ 0.6 (the issue asks 0.8: not reached)", () => {
    for (const g of ["babble-fsdd-snr10", "babble-synth-snr10", "music-snr10"]) expect(pooled(g)).toBeGreaterThanOrEqual(0.6);
  });

  test("non-digit remarks between the digits: ≥ 0.85", () => {
    expect(pooled("remarks-fsdd")).toBeGreaterThanOrEqual(0.85);
    expect(pooled("remarks-synth")).toBeGreaterThanOrEqual(0.85);
  });

  test("unfamiliar voices, clean: held-out synthetic voices ≥ 0.88, FSDD sped up like a woman's or child's voice ≥ 0.7", () => {
    expect(pooled("voices-synth")).toBeGreaterThanOrEqual(0.88);
    expect(pooled("voices-shifted")).toBeGreaterThanOrEqual(0.7);
  });

  test('streams with "oh" for zero in held-out voices: ≥ 0.8', () => {
    expect(pooled("oh-synth")).toBeGreaterThanOrEqual(0.8);
  });
});
