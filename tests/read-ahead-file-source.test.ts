import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WavFileReader } from "../engine/audio/wav-reader.ts";
import { Classifier } from "../engine/classifier.ts";
import { createEngine } from "../engine/engine.ts";
import type { EngineEvent } from "../engine/events.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { STREAMS_DIR, STREAM_NAMES } from "../engine/shared-streams.ts";
import type { AudioSource } from "../engine/sources/audio-source.ts";
import { FileSource } from "../engine/sources/file-source.ts";
import { FrontEndReader } from "../engine/sources/front-end-reader.ts";
import { ReadAheadFileSource } from "../engine/sources/read-ahead-file-source.ts";
import { runEngine } from "../engine/stream-eval.ts";

const ROOT = join(import.meta.dir, "..");
const have = existsSync(STREAMS_DIR);
const model = loadModelFile(join(ROOT, "models", "default.json"));
const classifier = new Classifier(model);
const work = mkdtempSync(join(tmpdir(), "read-ahead-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Events as JSON lines without their timings (latency, which the clock decides). */
function lines(events: EngineEvent[]): string[] {
  return events.map((e) => JSON.stringify({ ...e, latency: undefined }));
}

async function events(source: AudioSource, blockSize?: number): Promise<string[]> {
  const run = await runEngine(model, source, { classifier, levelIntervalMs: 10, blockSize });
  return lines(run.events);
}

describe.skipIf(!have)("a file read ahead on a Worker gives the engine's own events", () => {
  test("on every shared stream (8 to 48 kHz, 16-bit, float, stereo): every event the same, levels every 10 ms included", async () => {
    for (const name of STREAM_NAMES) {
      const wav = join(STREAMS_DIR, `${name}.wav`);
      const plain = await events(new FileSource(wav, { realtime: false }));
      const ahead = await events(new ReadAheadFileSource(wav));
      expect(plain.some((l) => l.includes('"prediction"'))).toBe(true);
      expect(`${name}: ${ahead.length} events`).toBe(`${name}: ${plain.length} events`);
      expect(ahead).toEqual(plain);
    }
  }, 120_000);

  test("broken float samples (NaN, ±∞, 1e30) are repaired and reported where the engine reports them", async () => {
    const src = join(STREAMS_DIR, "s09_44k_f32_clean.wav");
    const reader = WavFileReader.open(src)!;
    const { dataOffset } = reader.layout;
    const stride = Math.floor((reader.frames - 1000) / 400);
    reader.close();
    const bytes = readFileSync(src);
    const data = new DataView(bytes.buffer, bytes.byteOffset + dataOffset);
    const broken = [Number.NaN, Number.POSITIVE_INFINITY, -1e30, 1e30, Number.NEGATIVE_INFINITY];
    for (let k = 0; k < 400; k++) data.setFloat32(4 * (1000 + k * stride), broken[k % broken.length]!, true);
    const wav = join(work, "broken-f32.wav");
    writeFileSync(wav, bytes);
    const plain = await events(new FileSource(wav, { realtime: false }));
    const ahead = await events(new ReadAheadFileSource(wav));
    expect(plain.filter((l) => l.includes('"repaired-samples"')).length).toBeGreaterThan(3);
    expect(ahead).toEqual(plain);
  });

  test("a reader started for other blocks than the engine reads is replaced: the events of the engine's blocks", async () => {
    const wav = join(STREAMS_DIR, "s12_48k_stereo_pinkhum60_snr10.wav");
    const plain = await events(new FileSource(wav, { realtime: false }), 1000);
    const early = FrontEndReader.forFile(wav, model.features.sampleRate, 4096);
    expect(early).not.toBeNull();
    const ahead = await events(new ReadAheadFileSource(wav, early), 1000);
    expect(ahead).toEqual(plain);
  });

  test("stopped halfway, the engine stops at once and the reader ends", async () => {
    const wav = join(STREAMS_DIR, "s11_48k_stereo_clean.wav");
    const source = new ReadAheadFileSource(wav);
    source.prefetch(model.features.sampleRate, 4096);
    const engine = createEngine({ model, classifier, source });
    let stopping: Promise<unknown> | undefined;
    engine.on((e) => {
      if (e.type === "prediction" && !stopping) stopping = engine.stop();
    });
    const summary = await engine.start();
    await stopping;
    const reader = WavFileReader.open(wav)!;
    const seconds = reader.frames / reader.sampleRate;
    reader.close();
    expect(summary.predictions).toBeGreaterThanOrEqual(1);
    expect(summary.seconds).toBeLessThan(seconds / 2);
  });

  test("a file that is no WAV fails as a FileSource fails, though its reader had started", async () => {
    const bad = join(work, "notes.wav");
    writeFileSync(bad, "not audio at all, just some words");
    const source = new ReadAheadFileSource(bad);
    source.prefetch(8000, 4096);
    await expect(source.start()).rejects.toThrow(/not a WAV file/);
    await expect(new FileSource(bad, { realtime: false }).start()).rejects.toThrow(/not a WAV file/);
  });

  test("a pipe is no file to read ahead: no reader, and standard input falls back to the plain reader", () => {
    expect(FrontEndReader.forFile("-", 8000, 4096)).toBeNull();
    expect(FrontEndReader.forFile(join(work, "missing.wav"), 8000, 4096)).toBeNull();
    expect(FrontEndReader.forFile(work, 8000, 4096)).toBeNull();
  });
});
