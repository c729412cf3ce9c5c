/**
 * Child process of `bun bench` (memory section): runs the engine over a long 48 kHz stereo stream
 * (the shared 48 kHz streams, mixed to mono as the file source does and looped in memory) at full
 * speed, samples its memory every `every` seconds of stream time and prints one JSON object.
 * `bun bench` spawns it with its settings as one JSON argument (see EngineMemorySettings):
 *   bun bench/engine-memory.ts SETTINGS_JSON
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeWav, mixToMono } from "../engine/audio/wav.ts";
import { createEngine } from "../engine/engine.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { LoopSource } from "./loop-source.ts";

export interface MemorySample {
  /** Stream time, s. */
  t: number;
  rssMb: number;
  /** Live heap: used after a full collection, so garbage not yet collected does not count. */
  heapMb: number;
}

export interface EngineMemoryReport {
  minutes: number;
  sampleRate: number;
  channels: number;
  wallMs: number;
  predictions: number;
  utterances: number;
  samples: MemorySample[];
}

/** What `bun bench` (memory.ts) passes as the one JSON argument. */
export interface EngineMemorySettings {
  minutes: number;
  /** Seconds of stream time between memory samples. */
  every: number;
  /** Folder with the 48 kHz stereo test streams. */
  streams: string;
  model: string;
}

const mb = (bytes: number) => bytes / 1e6;

function sample(t: number): MemorySample {
  const rssMb = mb(process.memoryUsage().rss);
  Bun.gc(true);
  return { t, rssMb, heapMb: mb(process.memoryUsage().heapUsed) };
}

async function measureEngineMemory({ minutes, every, streams, model }: EngineMemorySettings): Promise<EngineMemoryReport> {
  const files = ["s11_48k_stereo_clean.wav", "s12_48k_stereo_pinkhum60_snr10.wav"].map((f) => join(streams, f));
  const parts = files.map((f) => {
    const a = decodeWav(readFileSync(f), f);
    return mixToMono(a.samples, a.channels);
  });
  const rate = 48000;
  const audio = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    audio.set(p, at);
    at += p.length;
  }
  parts.length = 0;
  const total = Math.round(minutes * 60 * rate);
  const samples: MemorySample[] = [];
  let next = 0;
  const source = new LoopSource(audio, { name: "48 kHz stereo streams, looped", sampleRate: rate, channels: 2 }, total, (n) => {
    if (n < next) return;
    next += every * rate;
    samples.push(sample(n / rate));
  });
  const engine = createEngine({ model: loadModelFile(model), source, levelIntervalMs: 50 });
  const t0 = performance.now();
  const summary = await engine.start();
  const wallMs = performance.now() - t0;
  samples.push(sample(total / rate));
  return { minutes, sampleRate: rate, channels: 2, wallMs, predictions: summary.predictions, utterances: summary.utterances, samples };
}

if (import.meta.main) {
  console.log(JSON.stringify(await measureEngineMemory(JSON.parse(process.argv[2]!) as EngineMemorySettings)));
}
