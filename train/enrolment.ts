import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { decodeWavMono, encodeWav16 } from "../engine/audio/wav.ts";
import { adaptModel, modelFingerprint } from "../engine/adaptation/adapted-model.ts";
import { PROFILE_FORMAT, PROFILE_VERSION, type Profile, type ProfileTake, profilesDir, saveProfile, takesDir } from "../engine/adaptation/profile-store.ts";
import { Classifier, argmax } from "../engine/classifier.ts";
import { UserError } from "../engine/errors.ts";
import type { ModelFile } from "../engine/model-file.ts";
import { resampleTo } from "../engine/resampler.ts";
import { type AdaptOptions, type Take, fitSpeakerAdaptation } from "./speaker-adaptation.ts";

/** An enrolment take with what it is (kept in the profile) and where it came from. */
export interface EnrolTake extends Take {
  /** The file it was read from, for messages. */
  source?: string;
  /** The recording as it came (kept in the profile, so a rebuild for another model loses nothing). */
  raw?: { samples: Float32Array; sampleRate: number };
}

/**
 * How enrolment adapts (chosen by `bun train --cv loso --enroll-shots K` and `bun enroll:eval`,
 * see docs/enrolment.md): the prototype blend, then the output layer refitted on the takes and
 * five augmented copies of each (eight with one take per digit), a non-digit output fitted on the
 * user's phrases, the room and reversed takes, guarded so no digit take falls to it; takes the
 * model hears confidently as another digit left out (but not a digit's only take), and takes that
 * both the other takes and the model place under another digit weighed little; the input mean
 * moved a quarter of the way to the speaker's; the rejection threshold raised just above the
 * confidence the adapted layer gives the user's own phrases and room, no higher than it gives
 * their weakest kept digit take; the kept digit takes matched as templates (DTW over cepstral
 * frames) and fused with the network; "oh" takes kept out of the fit, as templates alone that
 * name 0 within a reach calibrated on them.
 */
export const ENROL_ADAPT: Partial<AdaptOptions> = {
  prototypeWeight: 3,
  iterations: 50,
  anchor: 0.1,
  copies: 5,
  copiesOneTake: 8,
  nonDigitClass: true,
  madeNegatives: 1,
  chimeraShare: 0,
  madeWeight: 0.3,
  noneMargin: 8,
  dropConfidentlyOther: 0.95,
  doubtBelow: 0.1,
  doubtedWeight: 0.1,
  speakerMean: 0.25,
  rejectMargin: 0,
  templateWeight: 30,
  templateRangeDb: 8,
  ohTemplates: true,
};

/**
 * The takes in a folder: `{digit}_*.wav` says the digit, `o_*.wav` says "oh" (taken as 0),
 * `n_*.wav` and every WAV in `other/` is a non-digit phrase, `room*.wav` the room's own noise.
 */
export function takesFromDir(dir: string, rate: number): EnrolTake[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError(`${dir}: no such folder`, 'pass a folder of WAV takes named like 7_1.wav, o_1.wav ("oh"), n_1.wav (non-digit)');
  const files: { path: string; label: number; kind?: EnrolTake["kind"] }[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!/\.wav$/i.test(f)) continue;
    const path = join(dir, f);
    const digit = /^(\d)_/.exec(f);
    if (digit) files.push({ path, label: Number(digit[1]) });
    else if (/^o_/i.test(f)) files.push({ path, label: 0, kind: "oh" });
    else if (/^n_/i.test(f)) files.push({ path, label: -1, kind: "phrase" });
    else if (/^room/i.test(f)) files.push({ path, label: -1, kind: "room" });
  }
  const other = join(dir, "other");
  if (existsSync(other) && statSync(other).isDirectory()) {
    for (const f of readdirSync(other).sort()) if (/\.wav$/i.test(f)) files.push({ path: join(other, f), label: -1, kind: "phrase" });
  }
  const takes = files.map((f) => ({ ...readTake(f.path, rate), label: f.label, kind: f.kind, source: f.path }));
  const missing = [...Array(10).keys()].filter((d) => !takes.some((t) => t.label === d));
  if (missing.length) {
    throw new UserError(
      `${dir}: no takes of digit${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`,
      "enrolment needs every digit at least once, as files named {digit}_*.wav (e.g. 7_1.wav)",
    );
  }
  return takes;
}

function readTake(path: string, rate: number): { samples: Float32Array; raw: EnrolTake["raw"] } {
  const audio = decodeWavMono(new Uint8Array(readFileSync(path)), basename(path));
  const samples = audio.sampleRate === rate ? audio.samples : resampleTo(audio.samples, audio.sampleRate, rate);
  return { samples, raw: { samples: audio.samples, sampleRate: audio.sampleRate } };
}

/** Share of `takes` the model names right. */
function accuracyOn(model: ModelFile, takes: readonly Take[]): number {
  const c = new Classifier(model);
  return takes.filter((t) => argmax(c.classify(c.analyse(t.samples))) === t.label).length / Math.max(1, takes.length);
}

/**
 * One take of each digit that has two or more, held back from a first fit to measure the
 * adaptation on recordings it has not seen (the last of each digit, so a redo counts).
 */
function holdBack(takes: readonly EnrolTake[]): { fit: EnrolTake[]; held: EnrolTake[] } {
  const held = new Set<number>();
  for (let d = 0; d < 10; d++) {
    const mine = takes.flatMap((t, i) => (t.label === d && t.kind !== "oh" ? [i] : []));
    if (mine.length >= 2) held.add(mine[mine.length - 1]!);
  }
  return { fit: takes.filter((_, i) => !held.has(i)), held: takes.filter((_, i) => held.has(i)) };
}

export interface EnrolOptions {
  name: string;
  keepAudio: boolean;
  adapt?: Partial<AdaptOptions>;
  dir?: string;
  onProgress?: (message: string) => void;
}

/**
 * Adapts `model` to the takes and saves the profile (and, with `keepAudio`, the takes as WAVs
 * beside it, replacing the profile's earlier takes). Accuracy before and after is measured on
 * one take per digit held back from a first fit; the profile's own fit uses every take.
 */
export function enrol(model: ModelFile, takes: readonly EnrolTake[], o: EnrolOptions): Profile {
  const t0 = performance.now();
  const adapt = { ...ENROL_ADAPT, ...o.adapt };
  const { fit, held } = holdBack(takes);
  let figures: Profile["figures"];
  if (held.length >= 5) {
    o.onProgress?.(`measuring on ${held.length} held-back takes`);
    const trial = fitSpeakerAdaptation(model, fit, adapt);
    const adapted = adaptModel(model, trial.adaptation);
    figures = { heldBack: held.length, before: accuracyOn(model, held), after: accuracyOn(adapted, held), adaptMs: 0, dropped: 0 };
  }
  o.onProgress?.(`adapting to ${takes.length} takes`);
  const t1 = performance.now();
  const { adaptation, dropped } = fitSpeakerAdaptation(model, takes, adapt);
  const adaptMs = performance.now() - t1;
  if (figures) Object.assign(figures, { adaptMs: Math.round(adaptMs), dropped: dropped.length });
  const dir = o.dir ?? profilesDir();
  const profileTakes = o.keepAudio
    ? writeTakes(o.name, takes, model.features.sampleRate, dir)
    : takes.map((t) => ({ file: "", label: t.label >= 0 ? String(t.label) : "", ...(t.kind ? { kind: t.kind } : {}) }));
  const profile: Profile = {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    name: o.name,
    created: new Date().toISOString(),
    model: { fingerprint: modelFingerprint(model), dataHash: typeof model.training.dataHash === "string" ? model.training.dataHash : undefined },
    adaptation,
    takes: profileTakes,
    keepsAudio: o.keepAudio,
    figures: figures ?? { heldBack: 0, before: 0, after: 0, adaptMs: Math.round(adaptMs), dropped: dropped.length },
  };
  saveProfile(profile, dir);
  o.onProgress?.(`saved in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return profile;
}

function writeTakes(name: string, takes: readonly EnrolTake[], rate: number, dir: string): ProfileTake[] {
  const folder = takesDir(name, dir);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const counts = new Map<string, number>();
  return takes.map((t) => {
    const stem = t.kind === "oh" ? "o" : t.label >= 0 ? String(t.label) : t.kind === "room" ? "room" : "n";
    const n = (counts.get(stem) ?? 0) + 1;
    counts.set(stem, n);
    const file = `${stem}_${n}.wav`;
    writeFileSync(join(folder, file), t.raw ? encodeWav16(t.raw.samples, t.raw.sampleRate) : encodeWav16(t.samples, rate));
    return { file, label: t.label >= 0 ? String(t.label) : "", ...(t.kind ? { kind: t.kind } : {}) };
  });
}

/** The kept takes of a profile, read back for a rebuild. */
export function keptTakes(profile: Profile, rate: number, dir = profilesDir()): EnrolTake[] {
  const folder = takesDir(profile.name, dir);
  return profile.takes.map((t) => {
    const path = join(folder, t.file);
    if (!t.file || !existsSync(path))
      throw new UserError(`profile "${profile.name}": take ${t.file || "(not kept)"} is missing`, `enrol again with \`bun enroll --profile ${profile.name}\``);
    return { ...readTake(path, rate), label: t.label === "" ? -1 : Number(t.label), kind: t.kind, source: path };
  });
}
