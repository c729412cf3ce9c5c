/** The shared test streams (../shared/streams) with their ground truth, for stage tests. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeWav, mixToMono } from "../../data/wav.ts";
import { resampleTo } from "../../engine/resampler.ts";
import { readStreamTruth, type StreamTruth } from "../../engine/stream-eval.ts";

export const STREAMS_DIR = join(import.meta.dir, "../../../shared/streams");

export type { StreamTruth, TruthSegment } from "../../engine/stream-eval.ts";

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
