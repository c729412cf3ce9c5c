import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../../engine/errors.ts";
import { resampleTo } from "../../engine/resampler.ts";
import { decodeWav, mixToMono } from "../../engine/audio/wav.ts";

/** A text-to-speech voice of a program on the machine, with its settings. */
export interface TtsVoice {
  engine: "espeak-ng" | "flite" | "festival";
  /** espeak-ng: `en-us+f2` (language + variant); flite: `kal`, `slt`, …; festival: `kal_diphone`, `cmu_us_slt_arctic_hts`, … */
  voice: string;
  /** espeak-ng words per minute (default 175). */
  rate?: number;
  /** espeak-ng pitch 0-99 (default 50). */
  pitch?: number;
  /** flite and festival duration stretch (1 = normal, > 1 slower; festival's HTS voices ignore it). */
  stretch?: number;
  /** flite and festival (diphone voices) mean F0 in Hz (each voice has its own default). */
  f0?: number;
}

/** A short stable name for file names: `espeak-en-us+f2-r150-p60`, `flite-kal-s1.15`. */
export function voiceName(v: TtsVoice): string {
  const parts = [v.engine === "espeak-ng" ? "espeak" : v.engine, v.voice.replace(/[^A-Za-z0-9+-]/g, "")];
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

/** Packages that give each engine (festival's voices come in packages of their own). */
const TTS_PACKAGES: Record<TtsVoice["engine"], string> = {
  "espeak-ng": "espeak-ng",
  flite: "flite",
  festival: "festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts",
};

/** Throws a UserError naming what to install when espeak-ng, flite or festival is missing. */
export function requireTts(engines: readonly TtsVoice["engine"][]): void {
  for (const e of new Set(engines)) {
    if (!Bun.which(e)) throw new UserError(`${e} is not installed`, `install it (e.g. \`sudo apt-get install ${TTS_PACKAGES[e]}\`) and run the command again`);
  }
}

/** A festival (Scheme) string literal. */
const schemeString = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * Festival commands that say `text` with a voice into `file`: the voice, its duration stretch
 * and (diphone voices) its mean pitch are set before each utterance, so one festival process can
 * say many clips with different settings (a process costs seconds to start).
 */
function festivalLines(v: TtsVoice, text: string, file: string): string[] {
  const lines = [`(voice_${v.voice})`, `(Parameter.set 'Duration_Stretch ${v.stretch ?? 1})`];
  if (v.f0 !== undefined) {
    lines.push(`(set! int_lr_params '((target_f0_mean ${v.f0}) (target_f0_std ${Math.round(v.f0 * 0.14)}) (model_f0_mean 170) (model_f0_std 34)))`);
  }
  lines.push(`(utt.save.wave (utt.synth (Utterance Text ${schemeString(text)})) ${schemeString(file)} 'riff)`);
  return lines;
}

/** Says every item with festival in one process; `file` of each is written as WAV. */
function festivalBatch(items: readonly { voice: TtsVoice; text: string; file: string }[], dir: string): void {
  const script = join(dir, "say.scm");
  writeFileSync(script, `${items.flatMap((it) => festivalLines(it.voice, it.text, it.file)).join("\n")}\n`);
  const r = Bun.spawnSync(["festival", "-b", script], { stdout: "ignore", stderr: "pipe" });
  const missing = items.find((it) => !existsSync(it.file));
  if (r.exitCode !== 0 || missing) {
    throw new UserError(
      `festival failed${missing ? ` for voice ${missing.voice.voice} "${missing.text}"` : ""}: ${r.stderr.toString().trim().split("\n")[0]}`,
      "check the voice packages (festvox-kallpc16k, festvox-kdlpc16k, festvox-us-slt-hts) are installed",
    );
  }
}

/** A WAV file's samples as mono at `rate` Hz. */
function readSpoken(file: string, what: string, rate: number): Float32Array {
  const audio = decodeWav(readFileSync(file), what);
  const mono = mixToMono(audio.samples, audio.channels);
  return audio.sampleRate === rate ? mono : resampleTo(mono, audio.sampleRate, rate);
}

/**
 * Says every text with its voice and returns the samples in order (mono at `rate` Hz), running
 * festival once for all its items rather than once per clip; espeak-ng and flite run per clip.
 */
export function speakMany(items: readonly { voice: TtsVoice; text: string }[], rate = 8000): Float32Array[] {
  const festival = items.flatMap((it, i) => (it.voice.engine === "festival" ? [i] : []));
  const out: Float32Array[] = items.map((it) => (it.voice.engine === "festival" ? new Float32Array(0) : speak(it.voice, it.text, rate)));
  if (festival.length === 0) return out;
  const dir = mkdtempSync(join(tmpdir(), "synth-"));
  try {
    const batch = festival.map((i) => ({ ...items[i]!, file: join(dir, `${i}.wav`) }));
    festivalBatch(batch, dir);
    batch.forEach((b, k) => (out[festival[k]!] = readSpoken(b.file, `${voiceName(b.voice)} "${b.text}"`, rate)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/**
 * Speaks `text` with a voice and returns mono samples at `rate` Hz. One temporary folder is
 * made per call and removed again.
 */
export function speak(v: TtsVoice, text: string, rate = 8000): Float32Array {
  if (v.engine === "festival") return speakMany([{ voice: v, text }], rate)[0]!;
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
    return readSpoken(file, `${voiceName(v)} "${text}"`, rate);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
