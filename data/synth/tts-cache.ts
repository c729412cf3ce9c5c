import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type TtsVoice, speak, speakMany, voiceName } from "./tts.ts";
import { writeFileAtomic } from "../../engine/write-atomic.ts";

export const DEFAULT_TTS_CACHE = "artifacts/tts-cache";

/** The cache file of a clip: keyed by voice, text and rate. */
function cacheFile(voice: TtsVoice, text: string, rate: number, dir: string): string {
  const key = createHash("sha1")
    .update(`${voiceName(voice)}|${text}|${rate}`)
    .digest("hex")
    .slice(0, 20);
  return join(dir, `${key}.f32`);
}

function store(file: string, x: Float32Array): void {
  writeFileAtomic(file, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
}

/**
 * `speak` through a folder of raw float32 files keyed by voice, text and rate: espeak-ng, flite
 * and festival are deterministic, so a cached clip is the clip the program would say again, and
 * training need not run a thousand synthesiser processes each time. Written atomically (Workers
 * share it).
 */
export function cachedSpeak(voice: TtsVoice, text: string, rate: number, dir = DEFAULT_TTS_CACHE): Float32Array {
  const file = cacheFile(voice, text, rate, dir);
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  const x = speak(voice, text, rate);
  store(file, x);
  return x;
}

/** Festival clips said per process when filling the cache (a process costs seconds to start). */
const FESTIVAL_BATCH = 400;

/**
 * Puts every festival clip of `items` that the cache lacks into it, saying them in a few festival
 * processes rather than one per clip; `cachedSpeak` then finds them. Other engines are left to
 * `cachedSpeak`.
 */
export function prefetchSpeech(items: readonly { voice: TtsVoice; text: string }[], rate: number, dir = DEFAULT_TTS_CACHE): void {
  const seen = new Set<string>();
  const missing = items.filter((it) => {
    if (it.voice.engine !== "festival") return false;
    const file = cacheFile(it.voice, it.text, rate, dir);
    if (seen.has(file) || existsSync(file)) return false;
    seen.add(file);
    return true;
  });
  for (let i = 0; i < missing.length; i += FESTIVAL_BATCH) {
    const batch = missing.slice(i, i + FESTIVAL_BATCH);
    speakMany(batch, rate).forEach((x, k) => store(cacheFile(batch[k]!.voice, batch[k]!.text, rate, dir), x));
  }
}
