/**
 * The synthetic evaluation sets of `bun data:synth`: digits spoken by espeak-ng and flite voices
 * (clean, and padded into noise at an SNR), and non-digits (speech and synthesised sounds), as
 * 8 kHz WAV files with a manifest. Seeded: the same options give the same files.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeWav16 } from "../../engine/audio/wav.ts";
import { writingTo } from "../write-guard.ts";
import { type Rng, addNoise, applyGain, brownNoise, humNoise, meanPower, padSilence, pinkNoise, seededRng, uniform, whiteNoise } from "./signals.ts";
import { SOUND_KINDS, makeSound } from "./sounds.ts";
import { type TtsVoice, requireTts, speak, voiceName } from "./tts.ts";
import { DIGIT_WORDS, NONDIGIT_TEXT, NONDIGIT_VOICES, VOICE_GRIDS, digitVoices } from "./voices.ts";

export type VoiceGrid = keyof typeof VOICE_GRIDS;

export interface EvalSetOptions {
  /** Output folder. */
  out: string;
  grid: VoiceGrid;
  /** SNR of digits-noisy/, dB. */
  snr: number;
  seed: number;
  /** Non-speech sounds per kind in each non-digit half. */
  perKind: number;
  /** Starts the progress display of one stage (the command draws it; default: none). */
  progress?: (label: string, total: number) => StageProgress;
}

/** How a stage reports progress: one tick per clip written. */
export interface StageProgress {
  tick(): void;
  finish(): void;
}

const NO_PROGRESS: StageProgress = { tick() {}, finish() {} };

const RATE = 8000;
/** Every clip is brought to this RMS level (dBFS), as the developer streams are. */
const LEVEL_DB = -26;

function atLevel(x: Float32Array, db = LEVEL_DB): Float32Array {
  const rms = Math.sqrt(meanPower(x));
  const y = rms > 0 ? applyGain(x, db - 20 * Math.log10(rms)) : x;
  let peak = 0;
  for (const v of y) peak = Math.max(peak, Math.abs(v));
  return peak > 0.98 ? applyGain(y, 20 * Math.log10(0.98 / peak)) : y;
}

const NOISES: Record<string, (n: number, rng: Rng) => Float32Array> = {
  white: whiteNoise,
  pink: pinkNoise,
  brown: brownNoise,
  pinkhum: (n, rng) => humNoise(n, RATE, rng),
};

/** Writes the sets under `o.out`; returns the number of digit clips (each clean and noisy). */
export async function synthesiseEvalSets(o: EvalSetOptions): Promise<{ digits: number }> {
  const { out, grid, snr, seed, perKind } = o;
  const progress = o.progress ?? (() => NO_PROGRESS);
  requireTts(["espeak-ng", "flite"]);
  const rng = seededRng(seed);
  const dirs = {
    digits: join(out, "digits"),
    oh: join(out, "digits-oh"),
    noisy: join(out, "digits-noisy"),
    nondigit: join(out, "nondigit"),
    nondigitTrain: join(out, "nondigit-train"),
  };
  await writingTo(out, "--out", async () => {
    for (const d of grid === "standard" ? Object.values(dirs) : [dirs.digits, dirs.oh, dirs.noisy]) mkdirSync(d, { recursive: true });
  });
  const write = (dir: string, name: string, x: Float32Array) => writeFileSync(join(dir, `${name}.wav`), encodeWav16(x, RATE));
  const manifest: Record<string, unknown> = { voices: grid, seed, snrDb: snr, rate: RATE, levelDbfs: LEVEL_DB, sets: {} };

  const digits = digitVoices(rng, VOICE_GRIDS[grid]);
  const bar = progress("digits", digits.length);
  const noiseKinds = Object.keys(NOISES);
  digits.forEach(({ voice, digit }, i) => {
    const name = `${digit}_${voiceName(voice)}`;
    const clean = atLevel(speak(voice, DIGIT_WORDS[digit]!, RATE));
    write(dirs.digits, name, clean);
    const kind = noiseKinds[i % noiseKinds.length]!;
    const padded = padSilence(clean, Math.round(uniform(rng, 0.2, 0.5) * RATE), Math.round(uniform(rng, 0.2, 0.5) * RATE));
    const noisy = addNoise(padded, NOISES[kind]!(padded.length, rng), snr, meanPower(clean));
    write(dirs.noisy, `${name}-${kind}`, noisy);
    bar.tick();
  });
  bar.finish();
  // "oh" for zero, by every voice that said "zero" with the same settings: `bun eval --holdout` on
  // it is the share of "oh" heard as 0.
  for (const { voice } of digits.filter((d) => d.digit === 0)) write(dirs.oh, `0_oh_${voiceName(voice)}`, atLevel(speak(voice, "oh", RATE)));
  (manifest.sets as Record<string, unknown>).digits = {
    clips: digits.length,
    voices: [...new Set(digits.map((d) => voiceName(d.voice).replace(/-r\d+-p\d+$/, "")))],
  };

  for (const half of grid === "standard" ? (["eval", "train"] as const) : []) {
    const dir = half === "eval" ? dirs.nondigit : dirs.nondigitTrain;
    const text = NONDIGIT_TEXT[half];
    const items: { category: string; text: string; voice: TtsVoice }[] = [];
    for (const voice of NONDIGIT_VOICES[half]) {
      for (const [category, list] of Object.entries(text)) for (const t of list) items.push({ category, text: t, voice });
    }
    const speechBar = progress(`non-digit speech (${half})`, items.length + perKind * SOUND_KINDS.length);
    for (const item of items) {
      const x = atLevel(speak(item.voice, item.text, RATE), LEVEL_DB + uniform(rng, -6, 6));
      write(dir, `x_${item.category}_${item.text.replace(/\W+/g, "-")}_${voiceName(item.voice)}`, x);
      speechBar.tick();
    }
    // the halves draw their sounds from different streams of the seed
    const soundRng = seededRng(seed * 31 + (half === "eval" ? 1 : 2));
    for (const kind of SOUND_KINDS) {
      for (let i = 0; i < perKind; i++) {
        const x = atLevel(makeSound(kind, RATE, soundRng), LEVEL_DB + uniform(soundRng, -10, 6));
        write(dir, `x_sound_${kind}-${i}`, x);
        speechBar.tick();
      }
    }
    speechBar.finish();
    (manifest.sets as Record<string, unknown>)[`nondigit-${half}`] = {
      speech: items.length,
      sounds: perKind * SOUND_KINDS.length,
      voices: NONDIGIT_VOICES[half].map(voiceName),
    };
  }
  writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return { digits: digits.length };
}
