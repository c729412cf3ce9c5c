import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeWav16 } from "../../engine/audio/wav.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";
import { ProgressBar } from "../terminal/progress.ts";
import { type Rng, addNoise, applyGain, brownNoise, humNoise, meanPower, padSilence, pinkNoise, seededRng, uniform, whiteNoise } from "../../data/synth/signals.ts";
import { writingTo } from "../../data/write-guard.ts";
import { SOUND_KINDS, makeSound } from "../../data/synth/sounds.ts";
import { type TtsVoice, requireTts, speak, voiceName } from "../../data/synth/tts.ts";
import { DIGIT_WORDS, NONDIGIT_TEXT, NONDIGIT_VOICES, VOICE_GRIDS, digitVoices } from "../../data/synth/voices.ts";
import { UserError } from "../../engine/errors.ts";

const spec = {
  name: "bun data:synth",
  summary: "Builds synthetic evaluation sets with espeak-ng and flite: digits (clean and in noise) and non-digits (speech and sounds).",
  usage: ["bun data:synth [--out artifacts/synth] [--snr 10] [--seed 1]", "bun data:synth --voices fresh [--out artifacts/synth-fresh]"],
  options: {
    out: { type: "string" },
    voices: { type: "string", default: "standard" },
    snr: { type: "string", default: "10" },
    seed: { type: "string", default: "1" },
    sounds: { type: "string", default: "25" },
  },
  metavar: { out: "DIR", voices: "SET", snr: "DB", seed: "N", sounds: "N" },
  help: {
    out: "output folder (default artifacts/synth, or artifacts/synth-fresh): digits/, digits-noisy/, and for standard voices nondigit/ (evaluation) and nondigit-train/",
    voices: "standard (the voices recipes were compared on) or fresh (other accents and voices, digits only: an unbiased final figure)",
    snr: "SNR in dB of digits-noisy/ (speech power against noise power)",
    seed: "seed of every random choice (voice settings, noise, sounds)",
    sounds: "non-speech sounds per kind (click, burst, cough, knock, clap, beep, breath) in each non-digit half",
  },
  examples: ["bun data:synth", "bun eval --holdout artifacts/synth/digits", "bun eval --nondigit artifacts/synth/nondigit"],
} as const;

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

export async function main(argv: string[]): Promise<number | void> {
  const { values } = parseCommand(spec, argv);
  const grid = values.voices as keyof typeof VOICE_GRIDS;
  if (!(grid in VOICE_GRIDS)) throw new UserError(`--voices ${values.voices} is not a voice set`, "use standard or fresh");
  const out = values.out ?? (grid === "fresh" ? "artifacts/synth-fresh" : "artifacts/synth");
  const snr = numberFlag("snr", values.snr, 10, -20, 60);
  const seed = numberFlag("seed", values.seed, 1, 0, 2 ** 31);
  const perKind = numberFlag("sounds", values.sounds, 25, 0, 1000);
  requireTts(["espeak-ng", "flite"]);
  const rng = seededRng(seed);
  const dirs = { digits: join(out, "digits"), noisy: join(out, "digits-noisy"), nondigit: join(out, "nondigit"), nondigitTrain: join(out, "nondigit-train") };
  await writingTo(out, "--out", async () => {
    for (const d of grid === "standard" ? Object.values(dirs) : [dirs.digits, dirs.noisy]) mkdirSync(d, { recursive: true });
  });
  const write = (dir: string, name: string, x: Float32Array) => writeFileSync(join(dir, `${name}.wav`), encodeWav16(x, RATE));
  const manifest: Record<string, unknown> = { voices: grid, seed, snrDb: snr, rate: RATE, levelDbfs: LEVEL_DB, sets: {} };

  const digits = digitVoices(rng, VOICE_GRIDS[grid]);
  const bar = new ProgressBar("digits", digits.length);
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
  (manifest.sets as Record<string, unknown>).digits = { clips: digits.length, voices: [...new Set(digits.map((d) => voiceName(d.voice).replace(/-r\d+-p\d+$/, "")))] };

  for (const half of grid === "standard" ? (["eval", "train"] as const) : []) {
    const dir = half === "eval" ? dirs.nondigit : dirs.nondigitTrain;
    const text = NONDIGIT_TEXT[half];
    const items: { category: string; text: string; voice: TtsVoice }[] = [];
    for (const voice of NONDIGIT_VOICES[half]) {
      for (const [category, list] of Object.entries(text)) for (const t of list) items.push({ category, text: t, voice });
    }
    const speechBar = new ProgressBar(`non-digit speech (${half})`, items.length + perKind * SOUND_KINDS.length);
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
    (manifest.sets as Record<string, unknown>)[`nondigit-${half}`] = { speech: items.length, sounds: perKind * SOUND_KINDS.length, voices: NONDIGIT_VOICES[half].map(voiceName) };
  }
  writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const extra = grid === "standard" ? ", nondigit/ and nondigit-train/" : "";
  console.log(`wrote ${out}/: digits/ and digits-noisy/ (${digits.length} clips each, noisy at ${snr} dB)${extra}`);
}

if (import.meta.main) await runCommand(main);
