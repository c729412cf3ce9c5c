/**
 * The shared test streams: continuous recordings with JSON truth, kept beside the project in
 * ../shared/streams (outside the repository, so a clone does not carry them). This is the one
 * place that knows where they are; tests, `bun bench` and the commands' defaults use it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeWav, mixToMono } from "./audio/wav.ts";
import { resampleTo } from "./resampler.ts";
import { readStreamTruth, type StreamTruth } from "./stream-eval.ts";
import { STREAMS_DIR_SHOWN } from "./streams-dir.ts";

export { STREAMS_DIR_SHOWN };

/** The project's root folder (this file sits in engine/). */
export const PROJECT_ROOT = join(import.meta.dir, "..");

/** Where the shared test streams live, as an absolute path. */
export const STREAMS_DIR = join(PROJECT_ROOT, STREAMS_DIR_SHOWN);

export type { StreamTruth, TruthSegment } from "./stream-eval.ts";

export const STREAM_NAMES = [
  "s01_8k_clean",
  "s02_8k_white_snr30",
  "s03_8k_pink_snr20",
  "s04_8k_pinkhum50_snr10",
  "s05_16k_clean",
  "s06_16k_hum60_snr30",
  "s07_16k_white_snr20",
  "s08_16k_pink_snr10",
  "s09_44k_f32_clean",
  "s10_44k_f32_whitehum50_snr20",
  "s11_48k_stereo_clean",
  "s12_48k_stereo_pinkhum60_snr10",
] as const;

export function streamTruth(name: string): StreamTruth {
  return readStreamTruth(join(STREAMS_DIR, `${name}.wav`));
}

/** The stream mixed to mono at its own rate. */
export function streamAudio(name: string): { samples: Float32Array; sampleRate: number } {
  const audio = decodeWav(new Uint8Array(readFileSync(join(STREAMS_DIR, `${name}.wav`))), name);
  return { samples: mixToMono(audio.samples, audio.channels), sampleRate: audio.sampleRate };
}

/** The stream mixed to mono and resampled to 8 kHz with the engine's resampler. */
export function streamAt8k(name: string): Float32Array {
  const { samples, sampleRate } = streamAudio(name);
  return resampleTo(samples, sampleRate, 8000);
}
