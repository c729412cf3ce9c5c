import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_DATA_DIR, loadSplit, splitFileName, splitPath } from "../../data/fsdd.ts";
import { decodeWav, mixToMono, writeWavHeader } from "../../engine/audio/wav.ts";
import { Classifier } from "../../engine/classifier.ts";
import { ClipRecognizer } from "../../engine/clip-recognizer.ts";
import type { EngineEvent } from "../../engine/events.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../../engine/model-file.ts";
import { FileSource } from "../../engine/sources/file-source.ts";
import { RawPcmSource } from "../../engine/sources/stdin-source.ts";
import { runEngine } from "../../engine/stream-eval.ts";
import type { Rng } from "../../data/synth/signals.ts";
import { int, mutateBytes, mutateJson, nudgeNumbers, pick } from "./mutate.ts";

/**
 * What the fuzzer feeds and checks. `run` resolves when the input was handled (accepted or
 * refused with a UserError) and throws an `Invariant` when a result is wrong; any other
 * exception, a crash of the process or a run that does not end is a finding.
 */
export interface FuzzTarget {
  name: TargetName;
  /** Makes the mutated input of one iteration from its generator. */
  input(rng: Rng): Uint8Array;
  /** Feeds one input; "accepted" or "refused". */
  run(input: Uint8Array, rng: Rng): Promise<"accepted" | "refused">;
  close(): void;
}

export const TARGET_NAMES = ["wav", "model", "parquet", "stdin"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** A result no input may produce (a digit from a NaN, a non-finite level). */
export class Invariant extends Error {}

/**
 * Runs `f`: "accepted", or "refused" for a UserError, which must be one line that names the input
 * (`names`: the message starts with one of them) — anything else is a finding.
 */
const refusedOr = async (f: () => Promise<unknown> | unknown, ...names: string[]): Promise<"accepted" | "refused"> => {
  try {
    await f();
    return "accepted";
  } catch (err) {
    if ((err as Error)?.name !== "UserError") throw err;
    const message = (err as Error).message;
    if (message.includes("\n")) throw new Invariant(`a refusal of more than one line: ${JSON.stringify(message)}`);
    if (names.length && !names.some((n) => message.startsWith(`${n}`))) throw new Invariant(`a refusal that does not name ${names.join(" or ")}: ${message}`);
    return "refused";
  }
};

/** Every number an event carries is finite (NaN confidence is allowed only in a rejection). */
function checkEvents(events: EngineEvent[]): void {
  for (const e of events) {
    if (e.type === "prediction" && !(e.confidence >= 0 && e.confidence <= 1 && e.digit >= 0 && e.digit <= 9)) {
      throw new Invariant(`a prediction with digit ${e.digit} and confidence ${e.confidence}`);
    }
    if (e.type === "level" && !(Number.isFinite(e.rmsDb) && Number.isFinite(e.peakDb))) throw new Invariant(`a level event of ${e.rmsDb} dB`);
  }
}

/** A WAV of `payload` with a canonical header for any format, and optionally a LIST chunk before the data. */
function wav(format: number, channels: number, rate: number, bits: number, payload: Uint8Array, list = false): Uint8Array {
  const extra = list ? 8 + 14 : 0;
  const out = new Uint8Array(44 + extra + payload.length);
  const view = new DataView(out.buffer);
  writeWavHeader(view, rate, channels, payload.length);
  view.setUint16(20, format, true);
  view.setUint32(28, (rate * channels * bits) / 8, true);
  view.setUint16(32, (channels * bits) / 8, true);
  view.setUint16(34, bits, true);
  if (list) {
    // move the data chunk header after a 14-byte LIST chunk
    out.set(out.subarray(36, 44), 36 + extra);
    out.set(
      [..."LIST"].map((c) => c.charCodeAt(0)),
      36,
    );
    view.setUint32(40, 14, true);
  }
  out.set(payload, 44 + extra);
  return out;
}

/** Seed WAVs: the formats and layouts the decoders read (a tone with noise, 0.25-0.5 s). */
function seedWavs(): Uint8Array[] {
  const tone = (n: number, rate: number) =>
    Float32Array.from({ length: n }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 220 * i) / rate) + 0.05 * Math.sin(i * 12.9898));
  const i16 = (x: Float32Array) => new Uint8Array(Int16Array.from(x, (v) => Math.round(v * 32767)).buffer);
  const f32 = (x: Float32Array) => new Uint8Array(x.slice().buffer);
  const i24 = (x: Float32Array) => {
    const b = new Uint8Array(x.length * 3);
    x.forEach((v, i) => {
      const s = Math.round(v * 8388607);
      b[i * 3] = s & 0xff;
      b[i * 3 + 1] = (s >> 8) & 0xff;
      b[i * 3 + 2] = (s >> 16) & 0xff;
    });
    return b;
  };
  return [
    wav(1, 1, 8000, 16, i16(tone(2000, 8000))),
    wav(1, 2, 16000, 16, i16(tone(8000, 16000)), true),
    wav(3, 2, 48000, 32, f32(tone(24000, 48000))),
    wav(1, 1, 44100, 24, i24(tone(11025, 44100))),
    wav(
      1,
      1,
      8000,
      8,
      Uint8Array.from(tone(2000, 8000), (v) => Math.round(v * 127 + 128)),
    ),
    wav(
      7,
      1,
      8000,
      8,
      Uint8Array.from({ length: 2000 }, (_, i) => (i * 37) & 0xff),
    ),
    wav(3, 1, 16000, 64, new Uint8Array(Float64Array.from(tone(4000, 16000)).buffer)),
  ];
}

/** A scratch folder for the inputs that must be files; removed by `close`. */
function scratch(): { dir: string; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "fuzz-"));
  return { dir, close: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The WAV decoders: whole-file decode and recognition, then the file streamed through the engine. */
function wavTarget(modelPath: string): FuzzTarget {
  const seeds = seedWavs();
  const recognizer = new ClipRecognizer(loadModelFile(modelPath));
  const tmp = scratch();
  const file = join(tmp.dir, "fuzz.wav");
  return {
    name: "wav",
    input: (rng) => mutateBytes(pick(rng, seeds), rng, 1 << 20),
    async run(bytes) {
      const whole = await refusedOr(() => {
        const a = decodeWav(bytes, "fuzz.wav");
        const mono = mixToMono(a.samples, a.channels);
        const p = recognizer.recognize(mono.subarray(0, Math.min(mono.length, a.sampleRate * 20)), a.sampleRate);
        if (!(p.digit >= 0 && p.digit <= 9)) throw new Invariant(`recognised digit ${p.digit}`);
      }, "fuzz.wav: ");
      writeFileSync(file, bytes);
      const streamed = await refusedOr(async () => {
        const r = await runEngine(recognizer.classifier.model, new FileSource(file, { realtime: false }), {
          classifier: recognizer.classifier,
          levelIntervalMs: 50,
        });
        checkEvents(r.events);
      }, `${file}: `);
      return whole === "accepted" || streamed === "accepted" ? "accepted" : "refused";
    },
    close: tmp.close,
  };
}

/** The model loader, then the classifier and engine built from what it accepts. */
function modelTarget(modelPath: string): FuzzTarget {
  const text = readFileSync(modelPath, "utf8");
  const doc = JSON.parse(text) as unknown;
  const tmp = scratch();
  const file = join(tmp.dir, "model.json");
  // half a second of a vowel-like buzz with noise: enough for the VAD to find an utterance
  const audio = Float32Array.from(
    { length: 16000 },
    (_, i) => (i > 3000 && i < 11000 ? 0.3 * Math.sign(Math.sin((2 * Math.PI * 120 * i) / 16000)) : 0) + 0.001 * Math.sin(i * 78.233),
  );
  const pcm = new Uint8Array(audio.buffer);
  return {
    name: "model",
    input(rng) {
      const r = rng();
      if (r < 0.2) return mutateBytes(new TextEncoder().encode(text), rng, 4 << 20);
      const m = structuredClone(doc) as Record<string, unknown>;
      // half the time plausible changes to the settings, so that many files load and get used
      if (r < 0.6) nudgeNumbers(pick(rng, [m.features, m.voicing, m.pitchWarp, m, m.layers]), rng);
      else mutateJson(m, rng);
      return new TextEncoder().encode(JSON.stringify(m));
    },
    async run(bytes) {
      writeFileSync(file, bytes);
      return refusedOr(async () => {
        const model = loadModelFile(file);
        const classifier = new Classifier(model);
        const p = classifier.classify(classifier.analyse(audio.subarray(0, 8000)));
        if (p.length !== 10) throw new Invariant(`${p.length} probabilities`);
        const source = new RawPcmSource({ format: "f32le", sampleRate: 16000, channels: 1 }, new Blob([pcm]).stream());
        checkEvents((await runEngine(model, source, { classifier, levelIntervalMs: 50 })).events);
      }, `${file}: `);
    },
    close: tmp.close,
  };
}

/** The parquet reader and split loader (skipping bad rows) on a corrupted copy of the test split. */
function parquetTarget(dataDir: string): FuzzTarget {
  const real = new Uint8Array(readFileSync(splitPath("test", dataDir)));
  const tmp = scratch();
  const file = join(tmp.dir, splitFileName("test"));
  return {
    name: "parquet",
    input: (rng) => {
      const b = real.slice();
      // a few corrupted bytes anywhere (pages, page headers, the footer), or a structural mutation
      if (rng() < 0.6) {
        const tail = rng() < 0.5;
        for (let k = int(rng, 1, 6); k > 0; k--) {
          const at = tail ? b.length - 1 - int(rng, 0, Math.min(b.length - 1, 8192)) : int(rng, 0, b.length - 1);
          b[at] = int(rng, 0, 255);
        }
        return b;
      }
      return mutateBytes(b, rng, real.length + (1 << 16));
    },
    async run(bytes) {
      writeFileSync(file, bytes);
      return refusedOr(() => loadSplit("test", tmp.dir, () => {}), `${file}: `);
    },
    close: tmp.close,
  };
}

/** The raw PCM source (stdin) with random bytes, formats, rates, channels and chunking. */
function stdinTarget(modelPath: string): FuzzTarget {
  const model = loadModelFile(modelPath);
  const classifier = new Classifier(model);
  return {
    name: "stdin",
    input: (rng) => Uint8Array.from({ length: int(rng, 0, 256 * 1024) }, () => int(rng, 0, 255)),
    async run(bytes, rng) {
      const format = pick(rng, ["s16le", "f32le"] as const);
      const sampleRate = pick(rng, [1000, 8000, 16000, 44100, 48000, 384000]);
      const channels = pick(rng, [1, 2, 3, 32]);
      let pos = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(c) {
          if (pos >= bytes.length) return c.close();
          const n = int(rng, 1, 8192);
          c.enqueue(bytes.subarray(pos, pos + n));
          pos += n;
        },
      });
      return refusedOr(async () => {
        const r = await runEngine(model, new RawPcmSource({ format, sampleRate, channels }, stream), { classifier, levelIntervalMs: 50 });
        checkEvents(r.events);
      });
    },
    close: () => {},
  };
}

export function makeTarget(name: TargetName, options: { model?: string; dataDir?: string } = {}): FuzzTarget {
  const model = options.model ?? DEFAULT_MODEL_PATH;
  switch (name) {
    case "wav":
      return wavTarget(model);
    case "model":
      return modelTarget(model);
    case "parquet":
      return parquetTarget(options.dataDir ?? DEFAULT_DATA_DIR);
    case "stdin":
      return stdinTarget(model);
  }
}
