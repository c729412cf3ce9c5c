import { synthesiseEvalSets, type VoiceGrid } from "../../data/synth/eval-sets.ts";
import { VOICE_GRIDS } from "../../data/synth/voices.ts";
import { UserError } from "../../engine/errors.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";
import { ProgressBar } from "../terminal/progress.ts";

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

export async function main(argv: string[]): Promise<number | void> {
  const { values } = parseCommand(spec, argv);
  const grid = values.voices as VoiceGrid;
  if (!(grid in VOICE_GRIDS)) throw new UserError(`--voices ${values.voices} is not a voice set`, "use standard or fresh");
  const out = values.out ?? (grid === "fresh" ? "artifacts/synth-fresh" : "artifacts/synth");
  const snr = numberFlag("snr", values.snr, 10, -20, 60);
  const seed = numberFlag("seed", values.seed, 1, 0, 2 ** 31);
  const perKind = numberFlag("sounds", values.sounds, 25, 0, 1000);
  const { digits } = await synthesiseEvalSets({ out, grid, snr, seed, perKind, progress: (label, total) => new ProgressBar(label, total) });
  const extra = grid === "standard" ? ", nondigit/ and nondigit-train/" : "";
  console.log(`wrote ${out}/: digits/ and digits-noisy/ (${digits} clips each, noisy at ${snr} dB)${extra}`);
}

if (import.meta.main) await runCommand(main);
