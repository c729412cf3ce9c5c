/**
 * `bun enroll`: teaches the recognizer one speaker's voice. Guided in the terminal (prompts,
 * level meter, what the model heard, redo), or from a folder of WAV takes with --from; manages
 * the profiles it saves (--list, --remove).
 */
import { existsSync } from "node:fs";
import { listProfiles, profilePath, profilesDir, removeProfile, checkProfileName } from "../../engine/adaptation/profile-store.ts";
import { UserError } from "../../engine/errors.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../../engine/model-file.ts";
import { enrol, takesFromDir } from "../../train/enrolment.ts";
import { runGuidedEnrolment } from "../app/enrol/run-enrolment.tsx";
import { defaultProfileName } from "../profile-choice.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";

export const enrollSpec = {
  name: "bun enroll",
  summary: "Teach the recognizer your voice: say each digit a few times; saves a profile that start, listen, predict and eval use.",
  usage: [
    "bun enroll [--profile NAME] [--takes 3] [--device NAME|INDEX] [--no-oh]",
    "bun enroll --from DIR --profile NAME",
    "bun enroll --list",
    "bun enroll --remove NAME",
  ],
  options: {
    profile: { type: "string", short: "p" },
    from: { type: "string" },
    takes: { type: "string", default: "3" },
    device: { type: "string", short: "d" },
    "no-oh": { type: "boolean" },
    phrases: { type: "string", default: "3" },
    "keep-audio": { type: "boolean" },
    "no-keep-audio": { type: "boolean" },
    force: { type: "boolean" },
    list: { type: "boolean" },
    remove: { type: "string" },
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
  },
  metavar: { profile: "NAME", from: "DIR", takes: "N", device: "DEVICE", phrases: "N", remove: "NAME", model: "FILE" },
  help: {
    profile: "name of the profile to make (default: your login name)",
    from: 'build the profile from WAV takes in DIR instead of the microphone: {digit}_*.wav (e.g. 7_1.wav), o_*.wav for "oh" (another way to say 0), non-digit phrases as n_*.wav or in DIR/other/, the room\'s noise as room*.wav',
    takes: "takes of each digit in the guided enrolment",
    device: "input device for the guided enrolment (see `bun devices`)",
    "no-oh": 'do not ask for "oh" (0 said as the letter O)',
    phrases: "non-digit phrases asked for in the guided enrolment",
    "keep-audio": "keep the takes as WAVs beside the profile, so it is rebuilt when the model changes (the default)",
    "no-keep-audio": "do not keep the takes as WAVs beside the profile (it then cannot be rebuilt when the model changes)",
    force: "replace an existing profile of the same name without asking",
    list: "list the profiles",
    remove: "delete the profile NAME and its takes",
    model: "model file the profile adapts",
  },
  examples: [
    "bun enroll",
    "bun enroll --takes 5 --profile alice",
    "bun enroll --from my-takes/ --profile alice",
    "bun enroll --list",
    "bun enroll --remove alice",
  ],
} as const;

function listCommand(): number {
  const dir = profilesDir();
  const all = listProfiles(dir);
  if (all.length === 0) {
    console.log(`no profiles in ${dir} (make one with \`bun enroll\`)`);
    return 0;
  }
  console.log(`profiles in ${dir} (newest first; start and listen use the first by default):`);
  for (const p of all) {
    if (!p.profile) {
      console.log(`  ${p.name}  unreadable: ${p.problem}`);
      continue;
    }
    const f = p.profile.figures;
    const digits = p.profile.takes.filter((t) => t.label !== "").length;
    const fig = f?.heldBack ? `, held-back takes ${Math.round(f.before * 100)} % → ${Math.round(f.after * 100)} %` : "";
    console.log(
      `  ${p.name}  ${p.profile.created.slice(0, 16).replace("T", " ")}  ${digits} digit takes, ${p.profile.takes.length - digits} other${fig}${p.profile.keepsAudio ? "" : " (takes not kept)"}`,
    );
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(enrollSpec, argv);
  if (values.list) return listCommand();
  if (values.remove !== undefined) {
    removeProfile(values.remove);
    console.log(`removed profile ${values.remove}`);
    return 0;
  }
  const name = checkProfileName(values.profile ?? defaultProfileName());
  const model = loadModelFile(values.model);
  const exists = existsSync(profilePath(name));
  if (values["keep-audio"] && values["no-keep-audio"])
    throw new UserError("--keep-audio and --no-keep-audio exclude each other", "give one of them (keeping is the default)");
  const keepAudio = !values["no-keep-audio"];
  if (values.from !== undefined) {
    if (exists && !values.force) throw new UserError(`profile "${name}" exists already`, "pass --force to replace it, or choose another --profile name");
    const t0 = performance.now();
    const takes = takesFromDir(values.from, model.features.sampleRate);
    const profile = enrol(model, takes, { name, keepAudio, onProgress: (m) => console.error(`  ${m}`) });
    const f = profile.figures!;
    const digits = takes.filter((t) => t.label >= 0).length;
    console.log(
      `profile ${name}: ${digits} digit takes (${takes.filter((t) => t.kind === "oh").length} "oh"), ${takes.length - digits} non-digit, adapted in ${(f.adaptMs / 1000).toFixed(1)} s`,
    );
    if (f.dropped)
      console.log(`  ${f.dropped} take${f.dropped > 1 ? "s" : ""} left out: the model confidently heard another digit (mislabelled or misspoken?)`);
    if (f.heldBack)
      console.log(`  on ${f.heldBack} takes held back from adaptation: ${(f.before * 100).toFixed(0)} % before, ${(f.after * 100).toFixed(0)} % after`);
    console.log(`  saved ${profilePath(name)} in ${((performance.now() - t0) / 1000).toFixed(1)} s${keepAudio ? " (takes kept beside it)" : ""}`);
    return 0;
  }
  const takesPerDigit = numberFlag("takes", values.takes, 3, 1, 10);
  const phrases = numberFlag("phrases", values.phrases, 3, 0, 10);
  if (!Number.isInteger(takesPerDigit) || !Number.isInteger(phrases))
    throw new UserError("--takes and --phrases must be whole numbers", "e.g. --takes 3 --phrases 2");
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UserError(
      "the guided enrolment needs a terminal",
      "run it in a terminal, or build a profile from WAV takes with `bun enroll --from DIR --profile NAME`",
    );
  }
  return runGuidedEnrolment({
    model,
    name,
    replacing: exists && !values.force,
    keepAudio,
    takesPerDigit,
    phrases,
    oh: !values["no-oh"],
    device: values.device,
  });
}

if (import.meta.main) {
  await runCommand(() => main(process.argv.slice(2)));
  // the microphone's capture worker would keep the process alive
  process.exit(process.exitCode ?? 0);
}
