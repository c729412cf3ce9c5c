/**
 * The headless listener: the engine on a source, its events printed as text lines or JSON lines
 * until the source ends or Ctrl+C. `bun listen` runs it, and `bun start` when stdout is no TTY.
 */
import { createEngine, type EngineOptions } from "../../engine/engine.ts";
import { DEFAULT_BLOCK_SIZE } from "../../engine/sources/audio-source.ts";
import { UserError } from "../../engine/errors.ts";
import type { CommittedEvent, EngineSummary, ListenEvent } from "../../engine/events.ts";
import { DEFAULT_MODEL_PATH } from "../../engine/model-file.ts";
import { chooseModel } from "../profile-choice.ts";
import type { AudioSource } from "../../engine/sources/audio-source.ts";
import { DEFAULT_FEATURES } from "../../engine/features/feature-config.ts";
import { FileSource } from "../../engine/sources/file-source.ts";
import type { FrontEndReader } from "../../engine/sources/front-end-reader.ts";
import { ReadAheadFileSource } from "../../engine/sources/read-ahead-file-source.ts";
import { type PcmFormat, RawPcmSource } from "../../engine/sources/stdin-source.ts";
import { MicrophoneSource } from "../../native/microphone-source.ts";
import { createNumberCommitter } from "../app/state/number-committer.ts";
import { numberFlag } from "./command.ts";
import { writeAllSync } from "./write-through.ts";
import { onInterrupt } from "./interrupts.ts";

/** The text line for an event in plain mode, or null for events that plain mode does not show. */
export function formatEventText(e: ListenEvent): string | null {
  const at = (t: number) => `[${t.toFixed(2).padStart(7)} s]`;
  switch (e.type) {
    case "committed":
      return `number: ${e.number}`;
    case "started":
      return `listening: ${e.device ?? e.name} at ${e.sampleRate} Hz, ${e.channels} ch (Ctrl+C to stop)`;
    case "prediction":
      return `${at(e.end)} ${e.digit}   p=${e.confidence.toFixed(2)}  ${e.latency.endToPredictionMs.toFixed(0)} ms after speech end`;
    case "rejected":
      return `${at(e.end)} ·   rejected (${e.reason}${e.confidence !== undefined ? `, p=${e.confidence.toFixed(2)} for ${e.digit ?? "?"}` : ""})`;
    case "dropped":
      return `${at(e.t)} warning: ${e.samples} samples dropped (processing fell behind; ${e.total} in all)`;
    case "repaired-samples":
      return `${at(e.t)} warning: ${e.samples} broken samples (NaN, infinite or far beyond full scale) repaired; ${e.total} in all`;
    case "silence-warning":
      return `${at(e.t)} warning: the input has been digital silence for ${e.seconds.toFixed(0)} s — is the microphone muted or the right device selected? (bun devices)`;
    case "device-error":
      return `${at(e.t)} device error: ${e.message}${e.hint ? `\n  fix: ${e.hint}` : ""}`;
    default:
      return null;
  }
}

export function formatSummary(s: EngineSummary): string {
  return [
    `stopped after ${s.seconds.toFixed(1)} s: ${s.predictions} digits, ${s.rejected} rejected of ${s.utterances} utterances, ${s.droppedSamples} samples dropped`,
    `digits: ${s.digits || "(none)"}`,
    ...(s.repairedSamples ? [`repaired: ${s.repairedSamples} broken input samples (NaN, infinite or beyond full scale)`] : []),
  ].join("\n");
}

export interface ListenSettings {
  source: AudioSource;
  engine: Omit<EngineOptions, "source" | "model">;
  modelPath: string;
  /** --profile: a profile's name, "none", or absent (the last enrolled). */
  profile?: string;
  json: boolean;
  /** Print level events (--json with a level interval); the engine may make them for the commit pause alone. */
  printLevels: boolean;
  /** Seconds of pause that commit a number (null: numbers are not formed). */
  commitAfter: number | null;
  /** Called with each committed number, after it is printed. */
  onCommitted?: (event: CommittedEvent) => void;
}

/** Level events made for the commit pause alone (not printed): its resolution. */
const COMMIT_TICK_MS = 100;

/** Builds the source and engine settings from parsed `bun listen` flags (with `--fast`, `reader`: the file's reader already started). */
export function listenSettings(values: Record<string, string | boolean | undefined>, reader: FrontEndReader | null = null): ListenSettings {
  const str = (k: string) => values[k] as string | undefined;
  const modes = [values.file !== undefined, Boolean(values.stdin), values.device !== undefined].filter(Boolean).length;
  if (modes > 1) throw new UserError("choose one source: --file, --stdin or --device", "see `bun listen --help`");
  if ((values.fast || values.speed) && values.file === undefined) throw new UserError("--fast and --speed go with --file");
  let source: AudioSource;
  if (values.file !== undefined) {
    const speed = numberFlag("speed", str("speed"), 1, 0.01, 1000);
    // as fast as it goes: reading and resampling on a second core
    source = values.fast ? new ReadAheadFileSource(str("file")!, reader) : new FileSource(str("file")!, { realtime: true, speed });
  } else if (values.stdin) {
    source = new RawPcmSource({
      format: str("format") as PcmFormat,
      sampleRate: numberFlag("rate", str("rate"), 16000, 1000, 384000),
      channels: numberFlag("channels", str("channels"), 1, 1, 32),
    });
  } else {
    const d = str("device");
    source = new MicrophoneSource({ device: d !== undefined && /^\d+$/.test(d) ? Number(d) : d });
  }
  const json = Boolean(values.json);
  const hangover = str("hangover");
  const reject = str("reject-below");
  const commit = str("commit-after");
  const commitAfter = commit === undefined ? null : numberFlag("commit-after", commit, 2, 0.2, 60);
  const levelMs = json ? numberFlag("level-interval", str("level-interval"), 100, 0, 60000) : 0;
  return {
    source,
    modelPath: str("model") ?? DEFAULT_MODEL_PATH,
    profile: str("profile"),
    json,
    printLevels: levelMs > 0,
    commitAfter,
    engine: {
      topK: numberFlag("top", str("top"), 3, 1, 10),
      // the commit pause is measured in the stream time level events carry
      levelIntervalMs: levelMs > 0 || commitAfter === null ? levelMs : COMMIT_TICK_MS,
      vad: hangover !== undefined ? { hangoverMs: numberFlag("hangover", hangover, 200, 10, 5000) } : undefined,
      rejectBelow: reject !== undefined ? numberFlag("reject-below", reject, 0.5, 0, 1) : undefined,
    },
  };
}

/**
 * Runs the engine headless, printing events as text or JSON lines until the source ends or
 * Ctrl+C; returns the exit code. Used by `bun listen` and by `bun start` when stdout is no TTY.
 * A `settings.engine.onEvent` listener sees every event too.
 */
export async function runListen(settings: ListenSettings): Promise<number> {
  // the source may start reading while the model loads (for the usual model's rate and blocks)
  settings.source.prefetch?.(DEFAULT_FEATURES.sampleRate, settings.engine.blockSize ?? DEFAULT_BLOCK_SIZE);
  const { model, note } = chooseModel(settings.modelPath, settings.profile, true);
  // on stderr: standard output stays the events alone
  if (note) console.error(note);
  // Blocking writes, never process.stdout (which Bun builds, with the stream modules, on first
  // use): a reader that goes away (`| head`) ends the run quietly, like any Unix filter.
  let closed = false;
  const out = (line: string) => {
    if (closed) return;
    try {
      writeAllSync(1, `${line}\n`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EPIPE") throw err;
      closed = true;
      void engine.stop();
    }
  };
  let failed = false;
  const print = (e: ListenEvent) => {
    if (settings.json) out(JSON.stringify(e));
    else {
      const line = formatEventText(e);
      if (line)
        (e.type === "device-error" || e.type === "dropped" || e.type === "silence-warning" || e.type === "repaired-samples" ? console.error : out)(line);
    }
  };
  const committer =
    settings.commitAfter === null
      ? null
      : createNumberCommitter(settings.commitAfter, (c) => {
          print(c);
          settings.onCommitted?.(c);
        });
  const engine = createEngine({
    ...settings.engine,
    model,
    source: settings.source,
    onEvent: (e) => {
      settings.engine.onEvent?.(e);
      if (e.type === "device-error") failed = true;
      // a number the pause completes is reported before the event that completed it
      committer?.onEvent(e);
      if (e.type !== "level" || settings.printLevels) print(e);
    },
  });
  const offInterrupt = onInterrupt(() => void engine.stop());
  try {
    const summary = await engine.start();
    if (!settings.json) {
      const pending = committer?.pending();
      if (pending) out(`not committed (still on the entry line): ${pending}`);
      out(formatSummary(summary));
    }
  } finally {
    offInterrupt();
  }
  return failed ? 1 : 0;
}
