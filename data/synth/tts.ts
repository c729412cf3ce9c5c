import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../../engine/errors.ts";
import { resampleTo } from "../../engine/resampler.ts";
import { decodeWav, mixToMono } from "../../engine/audio/wav.ts";

/** A text-to-speech voice of a program on the machine, with its settings. */
export interface TtsVoice {
  engine: "espeak-ng" | "flite";
  /** espeak-ng: `en-us+f2` (language + variant); flite: `kal`, `slt`, … */
  voice: string;
  /** espeak-ng words per minute (default 175). */
  rate?: number;
  /** espeak-ng pitch 0-99 (default 50). */
  pitch?: number;
  /** flite duration stretch (1 = normal, > 1 slower). */
  stretch?: number;
  /** flite mean F0 in Hz (each voice has its own default). */
  f0?: number;
}

/** A short stable name for file names: `espeak-en-us+f2-r150-p60`, `flite-kal-s1.15`. */
export function voiceName(v: TtsVoice): string {
  const parts = [v.engine === "espeak-ng" ? "espeak" : "flite", v.voice.replace(/[^A-Za-z0-9+-]/g, "")];
  if (v.rate !== undefined) parts.push(`r${v.rate}`);
  if (v.pitch !== undefined) parts.push(`p${v.pitch}`);
  if (v.stretch !== undefined) parts.push(`s${v.stretch}`);
  if (v.f0 !== undefined) parts.push(`f${v.f0}`);
  return parts.join("-");
}

function commandFor(v: TtsVoice, text: string, file: string): string[] {
  if (v.engine === "espeak-ng") {
    return ["espeak-ng", "-v", v.voice, "-s", String(v.rate ?? 175), "-p", String(v.pitch ?? 50), "-w", file, text];
  }
  const args = ["flite", "-voice", v.voice];
  if (v.stretch !== undefined) args.push("--setf", `duration_stretch=${v.stretch}`);
  if (v.f0 !== undefined) args.push("--setf", `int_f0_target_mean=${v.f0}`);
  return [...args, "-t", text, "-o", file];
}

/** Throws a UserError naming what to install when espeak-ng or flite is missing. */
export function requireTts(engines: readonly TtsVoice["engine"][]): void {
  for (const e of new Set(engines)) {
    if (!Bun.which(e)) throw new UserError(`${e} is not installed`, `install it (e.g. \`sudo apt-get install ${e}\`) and run the command again`);
  }
}

/**
 * Speaks `text` with a voice and returns mono samples at `rate` Hz. One temporary folder is
 * made per call and removed again.
 */
export function speak(v: TtsVoice, text: string, rate = 8000): Float32Array {
  const dir = mkdtempSync(join(tmpdir(), "synth-"));
  try {
    const file = join(dir, "say.wav");
    const cmd = commandFor(v, text, file);
    const r = Bun.spawnSync(cmd, { stdout: "ignore", stderr: "pipe" });
    if (r.exitCode !== 0) {
      throw new UserError(
        `${cmd[0]} failed for voice ${v.voice}: ${r.stderr.toString().trim().split("\n")[0]}`,
        `check the voice with \`${cmd[0]} ${v.engine === "flite" ? "-lv" : "--voices=en"}\``,
      );
    }
    const audio = decodeWav(readFileSync(file), `${voiceName(v)} "${text}"`);
    const mono = mixToMono(audio.samples, audio.channels);
    return audio.sampleRate === rate ? mono : resampleTo(mono, audio.sampleRate, rate);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
