import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type TtsVoice, speak, voiceName } from "./tts.ts";
import { writeFileAtomic } from "../../engine/write-atomic.ts";

export const DEFAULT_TTS_CACHE = "artifacts/tts-cache";

/**
 * `speak` through a folder of raw float32 files keyed by voice, text and rate: espeak-ng and
 * flite are deterministic, so a cached clip is the clip the program would say again, and training
 * need not run a thousand synthesiser processes each time. Written atomically (Workers share it).
 */
export function cachedSpeak(voice: TtsVoice, text: string, rate: number, dir = DEFAULT_TTS_CACHE): Float32Array {
  const key = createHash("sha1")
    .update(`${voiceName(voice)}|${text}|${rate}`)
    .digest("hex")
    .slice(0, 20);
  const file = join(dir, `${key}.f32`);
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  const x = speak(voice, text, rate);
  writeFileAtomic(file, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  return x;
}
