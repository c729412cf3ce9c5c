/**
 * `bun start`: the live terminal app. Listens to the microphone (or a WAV file), shows the level,
 * the latest digit and the per-stage latency, and turns spoken digits into numbers hands-free.
 */
import "../terminal/no-color.ts";
import { appendFileSync, existsSync } from "node:fs";
import { render } from "ink";
import { UserError, errorMessage } from "../../engine/errors.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../../engine/model-file.ts";
import { numberFlag, parseCommand, runCommand } from "../terminal/command.ts";
import { App } from "../app/App.tsx";
import { DEFAULT_VIEW_FPS } from "../app/hooks/use-engine-view.ts";
import { DEFAULT_COMMIT_AFTER_S, entryActionForEvent, entryReducer, initialEntryState } from "../app/state/entry-reducer.ts";
import { ensureDemoWavs, findDemoWavs, type SourceChoice } from "../app/sources.ts";
import { listenSettings, runListen } from "./listen-command.ts";
import { STREAMS_DIR_SHOWN } from "../../engine/shared-streams.ts";

const spec = {
  name: "bun start",
  summary: "Live spoken-digit entry in the terminal: level meter, predictions, latency, hands-free numbers.",
  usage: ["bun start [--device NAME|INDEX | --file X.wav [--speed N] | --demo] [--commit-after 2.0] [--out numbers.txt]"],
  options: {
    device: { type: "string", short: "d" },
    file: { type: "string", short: "f" },
    speed: { type: "string", default: "1" },
    demo: { type: "boolean" },
    "commit-after": { type: "string", default: String(DEFAULT_COMMIT_AFTER_S) },
    out: { type: "string", short: "o" },
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
    fps: { type: "string", default: String(DEFAULT_VIEW_FPS) },
  },
  metavar: { device: "DEVICE", file: "FILE", speed: "X", "commit-after": "S", out: "FILE", model: "FILE", fps: "N" },
  help: {
    device: "input device: index or part of the name (see `bun devices`); default: the system's default input",
    file: "play a WAV file through the engine in real time instead of listening",
    speed: "playback speed of --file and --demo (2 = twice real time)",
    demo: "play the demo recording through the engine",
    "commit-after": "seconds of pause after the last digit that commit the number",
    out: "append each committed number to this file",
    model: "model file",
    fps: "most screen redraws per second",
  },
  aliases: { commit_after: "commit-after", model_path: "model" },
  examples: ["bun start", "bun start --device pulse --out numbers.txt", `bun start --file ${STREAMS_DIR_SHOWN}/s09_44k_f32_clean.wav`, "bun start --demo --speed 2"],
} as const;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (values.file && values.device !== undefined) throw new UserError("--file and --device exclude each other", "choose one source");
  if (values.file && !existsSync(values.file)) throw new UserError(`${values.file}: no such file`, "pass the path of a WAV file to --file");
  const commitAfter = numberFlag("commit-after", values["commit-after"], DEFAULT_COMMIT_AFTER_S, 0.2, 60);
  const speed = numberFlag("speed", values.speed, 1, 0.1, 100);
  const fps = numberFlag("fps", values.fps, DEFAULT_VIEW_FPS, 1, 60);
  const demoWavs = values.demo ? await ensureDemoWavs() : findDemoWavs();
  const demo: SourceChoice | null = demoWavs.length ? { kind: "files", paths: demoWavs, speed, demo: true } : null;
  if (values.demo && !demo) throw new UserError("no demo recording found", "run `bun data:fetch`, then `bun data:demo` (or pass a WAV with --file)");
  const source: SourceChoice = values.file
    ? { kind: "files", paths: [values.file], speed }
    : values.demo
      ? demo!
      : { kind: "microphone", device: values.device };

  const out = values.out;
  if (out) {
    try {
      appendFileSync(out, "");
    } catch (err) {
      throw new UserError(`cannot write ${out}: ${errorMessage(err)}`, "pass a writable path to --out");
    }
  }

  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    // No terminal to draw on or read keys from: the `bun listen` text output, with the same
    // hands-free entry (pauses commit numbers, printed and appended to --out).
    const file = source.kind === "files" ? source.paths[0] : undefined;
    const settings = listenSettings({ file, speed: file ? String(speed) : undefined, device: values.device, model: values.model });
    let entry = initialEntryState(commitAfter);
    settings.engine.levelIntervalMs = 100; // stream-time ticks for the pause that commits
    settings.engine.onEvent = (e) => {
      const action = entryActionForEvent(e);
      if (!action) return;
      const before = entry.history.length;
      entry = entryReducer(entry, action);
      for (const n of entry.history.slice(before)) {
        console.log(`number: ${n}`);
        if (out) appendFileSync(out, `${n}\n`);
      }
    };
    const code = await runListen(settings);
    if (entry.digits) console.log(`not committed (still on the entry line): ${entry.digits}`);
    return code;
  }

  const model = loadModelFile(values.model);

  const committed: string[] = [];
  let pending = "";
  const onCommit = (n: string) => {
    committed.push(n);
    if (out) appendFileSync(out, `${n}\n`);
  };
  const app = render(
    <App source={source} model={model} commitAfter={commitAfter} onCommit={onCommit} onQuit={(digits) => (pending = digits)} demo={demo} note={out ? `→ ${out}` : undefined} maxFps={fps} />,
    // interactive: this branch runs only on a terminal, where a CI variable in the environment
    // (which Ink takes to mean "draw only the last frame") is incidental
    { exitOnCtrlC: false, maxFps: fps, alternateScreen: true, incrementalRendering: true, interactive: true },
  );
  await app.waitUntilExit();
  if (committed.length) {
    console.log(`${committed.length} number${committed.length === 1 ? "" : "s"} entered${out ? ` (appended to ${out})` : ""}:`);
    for (const n of committed) console.log(n);
  } else {
    console.log("no numbers entered");
  }
  if (pending) console.log(`not committed (still on the entry line): ${pending}`);
  return 0;
}

if (import.meta.main) {
  await runCommand(main);
  // the microphone's capture worker would keep the process alive
  process.exit(process.exitCode ?? 0);
}
