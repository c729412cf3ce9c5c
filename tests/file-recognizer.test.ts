import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ClipRecognizer } from "../engine/clip-recognizer.ts";
import { MAX_CLIP_SECONDS, recognizeWavFile } from "../engine/file-recognizer.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { STREAMS_DIR, streamTruth } from "../engine/shared-streams.ts";
import { tempDirs } from "./support/temp-dirs.ts";

const tempDir = tempDirs("file-recognizer");
const recognizer = new ClipRecognizer(loadModelFile());
const haveSox = Bun.spawnSync(["sh", "-c", "command -v sox"]).exitCode === 0;

describe.skipIf(!existsSync(STREAMS_DIR) || !haveSox)("recognizeWavFile", () => {
  test("a clip is one digit; a recording longer than a clip is streamed: every digit, in order", async () => {
    const name = "s11_48k_stereo_clean";
    const src = join(STREAMS_DIR, `${name}.wav`);
    const truth = streamTruth(name);
    const dir = tempDir();
    // one digit cut from the stream, and the stream four times over (79 s, beyond a clip)
    const seg = truth.segments[2]!;
    const clip = join(dir, "clip.wav");
    expect(Bun.spawnSync(["sox", src, clip, "trim", String(seg.start_s - 0.1), String(seg.end_s - seg.start_s + 0.2)]).exitCode).toBe(0);
    const long = join(dir, "long.wav");
    expect(Bun.spawnSync(["sox", src, long, "repeat", "3"]).exitCode).toBe(0);
    expect(4 * truth.duration_s).toBeGreaterThan(MAX_CLIP_SECONDS);

    const one = await recognizeWavFile(clip, recognizer);
    expect(one.kind).toBe("clip");
    if (one.kind === "clip") expect(one.prediction.digit).toBe(seg.digit);

    const many = await recognizeWavFile(long, recognizer);
    expect(many.kind).toBe("stream");
    if (many.kind === "stream") {
      expect(many.seconds).toBeCloseTo(4 * truth.duration_s, 1);
      // each repetition gives the digits one pass of the stream gives (the truth, or within one)
      const pass = many.digits.slice(0, many.digits.length / 4);
      expect(many.digits).toBe(pass.repeat(4));
      expect(Math.abs(pass.length - truth.digits.length)).toBeLessThanOrEqual(1);
    }
  }, 60_000);
});
