import { synthesiseEvalSets, type VoiceGrid } from "../../data/synth/eval-sets.ts";
import { writeRoomStreams } from "../../data/synth/room-stream-files.ts";
import { ROOM_KINDS } from "../../data/synth/room-streams.ts";
import { VOICE_GRIDS } from "../../data/synth/voices.ts";
import { UserError } from "../../engine/errors.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";
import { ProgressBar } from "../terminal/progress.ts";

const spec = {
  name: "bun data:synth",
  summary: "Builds synthetic evaluation sets with espeak-ng and flite: digits (clean and in noise) and non-digits (speech and sounds).",
  usage: [
    "bun data:synth [--out artifacts/synth] [--snr 10] [--seed 1]",
    "bun data:synth --voices fresh [--out artifacts/synth-fresh]",
    "bun data:synth --streams [--out artifacts/room-streams] [--seed 1]",
  ],
  options: {
    out: { type: "string" },
    voices: { type: "string", default: "standard" },
    snr: { type: "string", default: "10" },
    seed: { type: "string", default: "1" },
    sounds: { type: "string", default: "25" },
    streams: { type: "boolean", default: false },
    "per-group": { type: "string", default: "2" },
  },
  metavar: { out: "DIR", voices: "SET", snr: "DB", seed: "N", sounds: "N", "per-group": "N" },
  help: {
    out: 'output folder (default artifacts/synth, or artifacts/synth-fresh): digits/, digits-oh/ ("oh" for zero), digits-noisy/, and for standard voices nondigit/ (evaluation) and nondigit-train/',
    voices: "standard (the voices recipes were compared on) or fresh (other accents and voices, digits only: an unbiased final figure)",
    snr: "SNR in dB of digits-noisy/ (speech power against noise power)",
    seed: "seed of every random choice (voice settings, noise, sounds)",
    sounds: "non-speech sounds per kind (click, burst, cough, knock, clap, beep, breath) in each non-digit half",
    streams: `room test streams instead (default --out artifacts/room-streams): FSDD test digits over babble (FSDD train speakers; synthetic voices) and music at 20 and 10 dB, with non-digit remarks between them, in unfamiliar voices, and "oh" for zero; WAV + JSON truth for \`bun eval --streams\``,
    "per-group": "--streams: streams per kind and SNR",
  },
  examples: [
    "bun data:synth --streams && bun eval --streams artifacts/room-streams",
    "bun data:synth",
    "bun eval --holdout artifacts/synth/digits",
    "bun eval --nondigit artifacts/synth/nondigit",
  ],
} as const;

export async function main(argv: string[]): Promise<number | void> {
  const { values } = parseCommand(spec, argv);
  if (values.streams) {
    const out = values.out ?? "artifacts/room-streams";
    const seed = numberFlag("seed", values.seed, 1, 0, 2 ** 31);
    const perGroup = numberFlag("per-group", values["per-group"], 2, 1, 50);
    const n = await writeRoomStreams(out, { seed, perGroup, digits: 24, kinds: ROOM_KINDS }, (name) => console.error(`  ${name}`));
    console.log(`wrote ${out}/: ${n} streams (WAV + JSON truth); score them with \`bun eval --streams ${out}\``);
    return;
  }
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
