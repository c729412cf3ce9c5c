/** Which profile adapts the model, if any: the `--profile NAME` flag every recognizing command takes. */
import type { Profile } from "../engine/adaptation/profile-store.ts";
import { UserError } from "../engine/errors.ts";
import { type ModelFile, type ModelLoadTimings, loadModelFile } from "../engine/model-file.ts";
import { weightsFilePath } from "../engine/model-weights-file.ts";

export { PROFILE_FLAG, PROFILE_HELP, PROFILE_HELP_LAST } from "./profile-flag.ts";

/**
 * The profile store and the adaptation, loaded when a profile is looked for: a command run with
 * none (`bun predict`'s default) does not pay for their modules on its cold start.
 */
const store = () => require("../engine/adaptation/profile-store.ts") as typeof import("../engine/adaptation/profile-store.ts");
const adapting = () => require("../engine/adaptation/adapted-model.ts") as typeof import("../engine/adaptation/adapted-model.ts");

/** The name a profile gets when none is given: the login name, made safe for a file name. */
export function defaultProfileName(): string {
  const user = (process.env.USER ?? process.env.LOGNAME ?? "me").replace(/[^A-Za-z0-9_.-]/g, "");
  return /^[A-Za-z0-9]/.test(user) ? user : "me";
}

export interface ModelChoice {
  model: ModelFile;
  /** The profile in use, if any. */
  profile?: Profile;
  /** What to tell the user about the profile (in use, rebuilt), if anything. */
  note?: string;
}

/**
 * A profile made for another model (or version of it), or by an older build (an earlier profile
 * version): refitted on its kept takes and saved again, or refused with what to do when the
 * takes were not kept.
 */
export function profileForModel(profile: Profile, model: ModelFile, dir = store().profilesDir()): { profile: Profile; rebuilt: boolean } {
  const { PROFILE_VERSION, saveProfile } = store();
  const fingerprint = adapting().modelFingerprint(model);
  const current = profile.version === PROFILE_VERSION;
  if (profile.model.fingerprint === fingerprint && current) return { profile, rebuilt: false };
  if (!profile.keepsAudio) {
    const why = current
      ? `was made for another model (${profile.model.fingerprint}, this one is ${fingerprint})`
      : `was made by an older version (profile version ${profile.version})`;
    throw new UserError(
      `profile "${profile.name}" ${why} and kept no takes to rebuild it from`,
      `enrol again with \`bun enroll --profile ${profile.name}\`, or run with --profile none`,
    );
  }
  // the refit's training code, loaded only when a profile needs it: not on every cold start
  const { ENROL_ADAPT, keptTakes } = require("../train/enrolment.ts") as typeof import("../train/enrolment.ts");
  const { fitSpeakerAdaptation } = require("../train/speaker-adaptation.ts") as typeof import("../train/speaker-adaptation.ts");
  const takes = keptTakes(profile, model.features.sampleRate, dir);
  const { adaptation } = fitSpeakerAdaptation(model, takes, ENROL_ADAPT);
  const rebuilt: Profile = {
    ...profile,
    version: PROFILE_VERSION,
    adaptation,
    model: { fingerprint, dataHash: typeof model.training.dataHash === "string" ? model.training.dataHash : undefined },
  };
  saveProfile(rebuilt, dir);
  return { profile: rebuilt, rebuilt: true };
}

/**
 * The model at `modelPath` adapted by the profile `flag` names: "none" turns profiles off;
 * absent means the last-enrolled profile when `defaultToLast` (start, listen), else none.
 */
export function chooseModel(modelPath: string, flag: string | undefined, defaultToLast: boolean, dir?: string, timings?: ModelLoadTimings): ModelChoice {
  const load = timings ?? { readMs: 0, parseMs: 0, validateMs: 0 };
  const model = loadModelFile(modelPath, load);
  if (load.weightsFile === "replaced") {
    console.error(
      `note: ${weightsFilePath(modelPath)} did not match ${modelPath} (made from another model file, or by an older version): the JSON's weights are used, and it was written anew`,
    );
  }
  if (flag === "none" || (flag === undefined && !defaultToLast)) return { model };
  const { lastEnrolled, loadProfile, profilesDir } = store();
  const folder = dir ?? profilesDir();
  const name = flag ?? lastEnrolled(folder);
  if (name === undefined) return { model };
  const { profile, rebuilt } = profileForModel(loadProfile(name, folder), model, folder);
  const how = flag === undefined ? "the last enrolled; --profile none turns it off" : "--profile";
  return {
    model: adapting().adaptModel(model, profile.adaptation),
    profile,
    note: `profile: ${profile.name} (${how})${rebuilt ? ` — rebuilt from its ${profile.takes.length} kept takes for this model and build` : ""}`,
  };
}
