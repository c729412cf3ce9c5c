import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { type PackedMatrix, isPackedMatrix, matrixData } from "../packed-matrix.ts";
import type { SpeakerAdaptation } from "./adapted-model.ts";
import { writeFileAtomic } from "../write-atomic.ts";

export const PROFILE_FORMAT = "spoken-digits-profile";
/**
 * Version 2 adds `adaptation.templates`; version 3 the "oh" takes among them (`oh`, `ohReach`),
 * no longer fitted into the output layer. An older profile still loads, and is rebuilt from its
 * kept takes before use (or refused, see ui/profile-choice.ts).
 */
export const PROFILE_VERSION = 3;
const READABLE_VERSIONS = [1, 2, PROFILE_VERSION];

/** One enrolment recording kept beside the profile. */
export interface ProfileTake {
  /** WAV path relative to the profile's folder of takes. */
  file: string;
  /** The digit it says ("0"-"9"), or "" for a non-digit phrase or the room. */
  label: string;
  /** What was said when it is not the digit's usual name: "oh" (a way to say 0), "phrase", "room". */
  kind?: "oh" | "phrase" | "room";
}

/**
 * A speaker's enrolment: the output layer fitted to their takes for one model (identified by its
 * fingerprint, see modelFingerprint), the takes it was fitted on (kept as WAVs in the folder of
 * the same name, so it can be rebuilt for a new model), and accuracy before and after on takes
 * held back from the fit.
 */
export interface Profile {
  format: typeof PROFILE_FORMAT;
  version: number;
  name: string;
  created: string;
  model: { fingerprint: string; dataHash?: string };
  adaptation: SpeakerAdaptation;
  takes: ProfileTake[];
  /** Whether the takes are kept (a profile without them cannot be rebuilt). */
  keepsAudio: boolean;
  figures?: { heldBack: number; before: number; after: number; adaptMs: number; dropped: number };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Where profiles live: $XDG_CONFIG_HOME/spoken-digits/profiles, by default ~/.config/spoken-digits/profiles. */
export function profilesDir(env: Record<string, string | undefined> = process.env): string {
  const base = env.XDG_CONFIG_HOME?.startsWith("/") ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), ".config");
  return join(base, "spoken-digits", "profiles");
}

export function checkProfileName(name: string): string {
  if (!NAME.test(name) || name === "none") {
    throw new UserError(`"${name}" is not a usable profile name`, "use letters, digits, '.', '_' or '-' (up to 64, not starting with a symbol, not \"none\")");
  }
  return name;
}

export function profilePath(name: string, dir = profilesDir()): string {
  return join(dir, `${checkProfileName(name)}.json`);
}

/** The folder the profile's takes are kept in. */
export function takesDir(name: string, dir = profilesDir()): string {
  return join(dir, checkProfileName(name));
}

function invalid(path: string, problem: string): never {
  throw new UserError(
    `${path}: not a valid profile (${problem})`,
    "enrol again with `bun enroll --profile NAME`, or remove it with `bun enroll --remove NAME`",
  );
}

/** Checks a parsed profile's structure; throws a UserError naming what is wrong. */
export function validateProfile(p: unknown, path: string): Profile {
  if (typeof p !== "object" || p === null) invalid(path, "not a JSON object");
  const profile = p as Partial<Profile>;
  if (profile.format !== PROFILE_FORMAT) invalid(path, `format is ${JSON.stringify(profile.format)}, expected "${PROFILE_FORMAT}"`);
  if (!READABLE_VERSIONS.includes(profile.version as number))
    invalid(path, `version ${profile.version} is not supported (this build reads versions ${READABLE_VERSIONS.join(" and ")})`);
  if (typeof profile.name !== "string" || !NAME.test(profile.name)) invalid(path, "name missing or not a usable name");
  if (typeof profile.created !== "string" || Number.isNaN(Date.parse(profile.created))) invalid(path, "created must be a date");
  if (typeof profile.model?.fingerprint !== "string") invalid(path, "model.fingerprint missing");
  const a = profile.adaptation;
  if (!a || typeof a !== "object" || !isPackedMatrix(a.output?.weights)) invalid(path, "adaptation.output.weights must be a packed matrix");
  let rows: number;
  try {
    rows = matrixData(a.output.weights).rows;
  } catch (err) {
    invalid(path, `adaptation.output.weights: ${(err as Error).message}`);
  }
  if (!Array.isArray(a.output.bias) || a.output.bias.length !== rows || !a.output.bias.every((v) => typeof v === "number" && Number.isFinite(v))) {
    invalid(path, `adaptation.output.bias must hold ${rows} finite numbers`);
  }
  if (a.standardize !== undefined) {
    const ok = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x));
    if (!ok(a.standardize.mean) || !ok(a.standardize.scale) || a.standardize.mean.length !== a.standardize.scale.length)
      invalid(path, "adaptation.standardize must hold mean and scale, finite numbers of one length");
  }
  if (a.templates !== undefined) {
    const t = a.templates;
    const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);
    const ok =
      typeof t === "object" &&
      t !== null &&
      finite(t.weight) &&
      t.weight >= 0 &&
      Array.isArray(t.dimWeights) &&
      t.dimWeights.length > 0 &&
      t.dimWeights.every((v) => finite(v) && v >= 0) &&
      (t.ohReach === undefined || (finite(t.ohReach) && t.ohReach >= 0)) &&
      Array.isArray(t.takes) &&
      t.takes.every(
        (x) =>
          Number.isInteger(x?.label) &&
          x.label >= 0 &&
          x.label < rows &&
          (x.oh === undefined || (x.oh === true && x.label === 0)) &&
          isPackedMatrix(x.frames) &&
          templateShape(x.frames) === t.dimWeights.length,
      );
    if (!ok)
      invalid(
        path,
        `adaptation.templates must hold a weight, dimWeights, an ohReach ≥ 0 if any, and takes of { label < ${rows}, oh only on 0, frames of ${t?.dimWeights?.length ?? "?"} columns }`,
      );
  }
  if (a.rejectBelow !== undefined && !(typeof a.rejectBelow === "number" && a.rejectBelow >= 0 && a.rejectBelow <= 1))
    invalid(path, "adaptation.rejectBelow must be within 0-1");
  if (!Array.isArray(profile.takes) || !profile.takes.every((t) => typeof t?.file === "string" && typeof t.label === "string" && !t.file.includes(".."))) {
    invalid(path, "takes must be a list of { file, label }");
  }
  if (typeof profile.keepsAudio !== "boolean") invalid(path, "keepsAudio must be true or false");
  return profile as Profile;
}

/** The columns of a packed matrix of template frames, or −1 when it does not decode. */
function templateShape(m: PackedMatrix): number {
  try {
    const d = matrixData(m);
    return d.rows > 0 && d.rows <= 10_000 ? d.cols : -1;
  } catch {
    return -1;
  }
}

export function loadProfile(name: string, dir = profilesDir()): Profile {
  const path = profilePath(name, dir);
  if (!existsSync(path)) {
    const known = listProfiles(dir).map((p) => p.name);
    throw new UserError(
      `no profile named "${name}" in ${dir}`,
      known.length ? `use one of: ${known.join(", ")}; or enrol with \`bun enroll --profile ${name}\`` : `enrol with \`bun enroll --profile ${name}\``,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    invalid(path, `not JSON: ${(err as Error).message}`);
  }
  const profile = validateProfile(parsed, path);
  if (profile.name !== name) invalid(path, `it names itself "${profile.name}"`);
  return profile;
}

/** Writes a profile atomically (a half-written file never replaces a good one). */
export function saveProfile(profile: Profile, dir = profilesDir()): string {
  const path = profilePath(profile.name, dir);
  writeFileAtomic(path, `${JSON.stringify(profile)}\n`);
  return path;
}

/** Every readable profile, newest first; unreadable ones are listed with their problem. */
export function listProfiles(dir = profilesDir()): { name: string; profile?: Profile; problem?: string }[] {
  if (!existsSync(dir)) return [];
  const out = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => {
      const name = f.slice(0, -5);
      try {
        return { name, profile: loadProfile(name, dir) };
      } catch (err) {
        return { name, problem: err instanceof UserError ? err.message : String(err) };
      }
    });
  return out.sort((a, b) => (b.profile?.created ?? "").localeCompare(a.profile?.created ?? "") || a.name.localeCompare(b.name));
}

/** The most recently enrolled readable profile's name, if any. */
export function lastEnrolled(dir = profilesDir()): string | undefined {
  return listProfiles(dir).find((p) => p.profile)?.name;
}

/** Deletes a profile and its kept takes. */
export function removeProfile(name: string, dir = profilesDir()): void {
  const path = profilePath(name, dir);
  if (!existsSync(path)) throw new UserError(`no profile named "${name}" in ${dir}`, "see `bun enroll --list`");
  rmSync(path);
  rmSync(takesDir(name, dir), { recursive: true, force: true });
}
