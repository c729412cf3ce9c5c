/**
 * `bun start`: the live terminal app. Listens to the microphone (or a WAV file), shows the level,
 * the latest digit and the per-stage latency, and turns spoken digits into numbers hands-free.
 */
import "../terminal/no-color.ts";
import { existsSync } from "node:fs";
import { render } from "ink";
import { EXIT, UserError } from "../../engine/errors.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../../engine/model-file.ts";
import { profilePath } from "../../engine/adaptation/profile-store.ts";
import { runGuidedEnrolment } from "../app/enrol/run-enrolment.tsx";
import { PROFILE_HELP_LAST, chooseModel, defaultProfileName } from "../profile-choice.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";
import { App } from "../app/App.tsx";
import { DEFAULT_VIEW_FPS } from "../app/hooks/use-engine-view.ts";
import { DEFAULT_COMMIT_AFTER_S } from "../app/state/entry-reducer.ts";
import { ensureDemoWavs, findDemoWavs, type SourceChoice } from "../app/sources.ts";
import { listenSettings, runListen } from "../terminal/headless-listen.ts";
import { NumberLog } from "../app/number-log.ts";
import { loadSettings, resetSettings, saveSettings, settingsPath, SETTING_RANGES, type Settings } from "../app/settings.ts";
import { DEFAULT_VAD_OPTIONS } from "../../engine/vad/index.ts";
import { STREAMS_DIR_SHOWN } from "../../engine/shared-streams.ts";

const spec = {
  name: "bun start",
  summary: "Live spoken-digit entry in the terminal: level meter, predictions, latency, hands-free numbers.",
  usage: [
    "bun start [--device NAME|INDEX | --file X.wav [--speed N] | --demo] [--commit-after 2.0] [--out numbers.txt]",
    "bun start [--hangover MS] [--reject-below P] [--reset-settings]",
  ],
  options: {
    device: { type: "string", short: "d" },
    file: { type: "string", short: "f" },
    speed: { type: "string", default: "1" },
    demo: { type: "boolean" },
    "commit-after": { type: "string" },
    hangover: { type: "string" },
    "reject-below": { type: "string" },
    "reset-settings": { type: "boolean" },
    out: { type: "string", short: "o" },
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
    profile: { type: "string" },
    fps: { type: "string", default: String(DEFAULT_VIEW_FPS) },
  },
  metavar: {
    device: "DEVICE",
    file: "FILE",
    speed: "X",
    "commit-after": "S",
    hangover: "MS",
    "reject-below": "P",
    out: "FILE",
    model: "FILE",
    profile: "NAME",
    fps: "N",
  },
  help: {
    device: "input device: index or part of the name (see `bun devices`); default: the system's default input",
    file: "play a WAV file through the engine in real time instead of listening",
    speed: "playback speed of --file and --demo (2 = twice real time)",
    demo: "play the demo recording through the engine",
    "commit-after": `seconds of pause after the last digit that commit the number (default ${DEFAULT_COMMIT_AFTER_S})`,
    hangover: `ms of silence that ends an utterance (the latency knob; default ${DEFAULT_VAD_OPTIONS.hangoverMs})`,
    "reject-below": "confidence below which an utterance is rejected (default: the model's)",
    "reset-settings":
      "forget the remembered settings: --device (or the device picked with d), --hangover, --commit-after and --reject-below are kept for the next run in $XDG_CONFIG_HOME/spoken-digits/settings.json",
    out: "append each committed number to this file",
    model: "model file",
    profile: `${PROFILE_HELP_LAST}; e in the app enrols`,
    fps: "most screen redraws per second",
  },
  aliases: { commit_after: "commit-after", model_path: "model" },
  exitCodes: [[EXIT.outputFailed, "numbers could not be appended to --out (they are listed on stderr)"]],
  examples: [
    "bun start",
    "bun start --device pulse --out numbers.txt",
    "bun start --hangover 250 --reject-below 0.6",
    `bun start --file ${STREAMS_DIR_SHOWN}/s09_44k_f32_clean.wav`,
    "bun start --demo --speed 2",
  ],
} as const;

/** Flags given on the command line win over the saved settings, and are saved for next time. */
function resolveSettings(values: Record<string, string | boolean | undefined>, saved: Settings, useDevice: boolean): { settings: Settings; changed: boolean } {
  const settings: Settings = { ...saved };
  let changed = false;
  for (const [key, { flag, min, max }] of Object.entries(SETTING_RANGES) as [
    keyof typeof SETTING_RANGES,
    (typeof SETTING_RANGES)[keyof typeof SETTING_RANGES],
  ][]) {
    const given = values[flag] as string | undefined;
    if (given === undefined) continue;
    settings[key] = numberFlag(flag, given, 0, min, max);
    changed = true;
  }
  if (useDevice && typeof values.device === "string") {
    settings.device = values.device;
    changed = true;
  }
  return { settings, changed };
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (values.file && values.device !== undefined) throw new UserError("--file and --device exclude each other", "choose one source");
  if (values.file && !existsSync(values.file)) throw new UserError(`${values.file}: no such file`, "pass the path of a WAV file to --file");
  const path = settingsPath();
  if (values["reset-settings"] && resetSettings(path)) console.error(`settings reset: removed ${path}`);
  const listening = !values.file && !values.demo;
  const { settings, changed } = resolveSettings(values, loadSettings(path), listening);
  if (changed) saveSettings(path, settings);
  const commitAfter = settings.commitAfterS ?? DEFAULT_COMMIT_AFTER_S;
  const tuning = {
    vad: settings.hangoverMs !== undefined ? { hangoverMs: settings.hangoverMs } : undefined,
    rejectBelow: settings.rejectBelow,
  };
  const speed = numberFlag("speed", values.speed, 1, 0.1, 100);
  const fps = numberFlag("fps", values.fps, DEFAULT_VIEW_FPS, 1, 60);
  const demoWavs = values.demo ? await ensureDemoWavs() : findDemoWavs();
  const demo: SourceChoice | null = demoWavs.length ? { kind: "files", paths: demoWavs, speed, demo: true } : null;
  if (values.demo && !demo) throw new UserError("no demo recording found", "run `bun data:fetch`, then `bun data:demo` (or pass a WAV with --file)");
  const device = listening ? settings.device : undefined;
  const source: SourceChoice = values.file
    ? { kind: "files", paths: [values.file], speed }
    : values.demo
      ? demo!
      : { kind: "microphone", device: device !== undefined && /^\d+$/.test(device) ? Number(device) : device };

  const out = values.out ? new NumberLog(values.out) : null;
  // a failed append is retried with the next number, and every few seconds until it works
  let onSaved: (() => void) | undefined;
  const retry = out ? setInterval(() => out.unsaved.length && out.retry() && onSaved?.(), RETRY_MS) : undefined;

  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    // No terminal to draw on or read keys from: the `bun listen` text output, with the same
    // hands-free entry (pauses commit numbers, printed and appended to --out).
    const file = source.kind === "files" ? source.paths[0] : undefined;
    const listen = listenSettings({
      file,
      speed: file ? String(speed) : undefined,
      device,
      model: values.model,
      profile: values.profile,
      hangover: settings.hangoverMs?.toString(),
      "reject-below": settings.rejectBelow?.toString(),
      "commit-after": String(commitAfter),
    });
    listen.onCommitted = (c) => {
      if (out && !out.append(c.number)) console.error(`warning: ${out.status()}`);
    };
    onSaved = () => console.error(`saved the waiting numbers to ${out?.path}`);
    const code = await runListen(listen);
    clearInterval(retry);
    return unsavedAtExit(out) ?? code;
  }

  let profileFlag = values.profile;
  let choice = chooseModel(values.model!, profileFlag, true);
  if (choice.note) console.error(choice.note);

  const committed: string[] = [];
  let pending = "";
  // the note under the entry line says where numbers go, and when they cannot get there
  const outNote = () => (out ? (out.status() ?? `→ ${out.path}`) : undefined);
  let shownNote = outNote();
  const showNote = () => {
    if (outNote() === shownNote) return;
    shownNote = outNote();
    app.rerender(view());
  };
  onSaved = showNote;
  const onCommit = (n: string) => {
    committed.push(n);
    out?.append(n);
    showNote();
  };
  const onUndo = (n: string) => {
    committed.pop();
    out?.undo(n);
    showNote();
  };
  const onDeviceChosen = (chosen: { name: string }) => {
    // a choice in the app is remembered like --device; a settings file gone bad meanwhile is left alone
    try {
      saveSettings(path, { ...loadSettings(path), device: chosen.name });
    } catch {}
  };
  let enrolRequested = false;
  const view = () => (
    <App
      source={source}
      model={choice.model}
      commitAfter={commitAfter}
      tuning={tuning}
      onCommit={onCommit}
      onUndo={onUndo}
      onQuit={(digits) => (pending = digits)}
      onEnrol={() => (enrolRequested = true)}
      onDeviceChosen={onDeviceChosen}
      demo={demo}
      note={[choice.profile ? `profile ${choice.profile.name}` : "", shownNote ?? ""].filter(Boolean).join(" · ") || undefined}
      plain={Boolean(process.env.NO_COLOR)}
      maxFps={fps}
    />
  );
  // interactive: this branch runs only on a terminal, where a CI variable in the environment
  // (which Ink takes to mean "draw only the last frame") is incidental
  const show = () => render(view(), { exitOnCtrlC: false, maxFps: fps, alternateScreen: true, incrementalRendering: true, interactive: true });
  let app = show();
  await app.waitUntilExit();
  // `e` in the app runs the guided enrolment (the app lets go of the microphone first), then the
  // app comes back with the new profile
  while (enrolRequested) {
    enrolRequested = false;
    const name = choice.profile?.name ?? defaultProfileName();
    const plainModel = loadModelFile(values.model);
    const code = await runGuidedEnrolment({
      model: plainModel,
      name,
      replacing: existsSync(profilePath(name)),
      keepAudio: true,
      takesPerDigit: 3,
      phrases: 3,
      oh: true,
      device,
    });
    if (code === 0) profileFlag = name;
    choice = chooseModel(values.model!, profileFlag, true);
    app = show();
    await app.waitUntilExit();
  }
  clearInterval(retry);
  if (committed.length) {
    console.log(`${committed.length} number${committed.length === 1 ? "" : "s"} entered${out ? ` (appended to ${out.path})` : ""}:`);
    for (const n of committed) console.log(n);
  } else {
    console.log("no numbers entered");
  }
  if (pending) console.log(`not committed (still on the entry line): ${pending}`);
  return unsavedAtExit(out) ?? 0;
}

const RETRY_MS = 2000;

/** At the end: a last try; numbers still unsaved are listed on stderr, and the exit status is 3. */
function unsavedAtExit(log: NumberLog | null): number | undefined {
  if (!log || log.retry()) return undefined;
  console.error(`error: could not append to ${log.path} (${log.failure}); not saved: ${log.unsaved.join(" ")}`);
  return EXIT.outputFailed;
}

if (import.meta.main) {
  await runCommand(main);
  // the microphone's capture worker would keep the process alive
  process.exit(process.exitCode ?? 0);
}
