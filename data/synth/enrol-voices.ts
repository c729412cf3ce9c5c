/**
 * Synthetic speakers for measuring enrolment: each voice says every digit several times, each
 * take at its own rate and pitch, and a few non-digit phrases, written as a folder `bun enroll
 * --from` reads ({digit}_{k}.wav, n_{k}.wav, and "oh" as o_{k}.wav).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Rng, applyGain, meanPower } from "./signals.ts";
import { encodeWav16 } from "../../engine/audio/wav.ts";
import { type TtsVoice, speak, voiceName } from "./tts.ts";
import { DIGIT_WORDS, NONDIGIT_TEXT } from "./voices.ts";

/** The speakers: espeak-ng men and women of several accents, and flite's voices (none of them in FSDD). */
export const ENROL_VOICES: TtsVoice[] = [
  { engine: "espeak-ng", voice: "en-us+m3" },
  { engine: "espeak-ng", voice: "en-gb+f2" },
  { engine: "espeak-ng", voice: "en-029+m5" },
  { engine: "espeak-ng", voice: "en-gb-scotland+f4" },
  { engine: "espeak-ng", voice: "en-us+f3" },
  { engine: "espeak-ng", voice: "en-gb+m7" },
  { engine: "flite", voice: "slt" },
  { engine: "flite", voice: "rms" },
  { engine: "flite", voice: "awb" },
  { engine: "flite", voice: "kal16" },
];

/** One take's variation of a voice: rate and pitch for espeak-ng, speed and F0 for flite. */
function variation(v: TtsVoice, rng: Rng): TtsVoice {
  const pick = (lo: number, hi: number) => lo + (hi - lo) * rng();
  if (v.engine === "espeak-ng") return { ...v, rate: Math.round(pick(130, 210)), pitch: Math.round(pick(35, 65)) };
  const f0 = { slt: 180, rms: 100, awb: 105, kal16: 105 }[v.voice] ?? 110;
  return { ...v, stretch: Number(pick(0.85, 1.25).toFixed(2)), f0: Math.round(f0 * pick(0.85, 1.2)) };
}

function atLevel(x: Float32Array, rng: Rng): Float32Array {
  const rms = Math.sqrt(meanPower(x));
  return rms > 0 ? applyGain(x, -32 + 12 * rng() - 20 * Math.log10(rms)) : x;
}

/**
 * Writes `takes` takes of "oh" (o_{k}.wav, read by `bun enroll --from` as another way to say 0)
 * into each voice's folder under `out/`, for voices that have none yet.
 */
export function writeOhTakes(out: string, o: { takes: number; rate: number; rng: Rng; onVoice?: (name: string) => void }): void {
  for (const v of ENROL_VOICES) {
    const dir = join(out, voiceName(v));
    if (!existsSync(dir) || existsSync(join(dir, "o_1.wav"))) continue;
    for (let k = 1; k <= o.takes; k++) writeFileSync(join(dir, `o_${k}.wav`), encodeWav16(atLevel(speak(variation(v, o.rng), "oh", o.rate), o.rng), o.rate));
    o.onVoice?.(voiceName(v));
  }
}

/** Writes `takes` takes of each digit and `phrases` non-digit words per voice under `out/VOICE/`; returns the folders. */
export function writeEnrolVoices(out: string, o: { takes: number; phrases: number; rate: number; rng: Rng; onVoice?: (name: string) => void }): string[] {
  const words = [...NONDIGIT_TEXT.eval.words, ...NONDIGIT_TEXT.eval.sentences];
  return ENROL_VOICES.map((v) => {
    const dir = join(out, voiceName(v));
    mkdirSync(dir, { recursive: true });
    for (let d = 0; d < 10; d++) {
      for (let k = 1; k <= o.takes; k++)
        writeFileSync(join(dir, `${d}_${k}.wav`), encodeWav16(atLevel(speak(variation(v, o.rng), DIGIT_WORDS[d]!, o.rate), o.rng), o.rate));
    }
    for (let k = 1; k <= o.phrases; k++) {
      const text = words[Math.floor(o.rng() * words.length)]!;
      writeFileSync(join(dir, `n_${k}.wav`), encodeWav16(atLevel(speak(variation(v, o.rng), text, o.rate), o.rng), o.rate));
    }
    o.onVoice?.(voiceName(v));
    return dir;
  });
}
