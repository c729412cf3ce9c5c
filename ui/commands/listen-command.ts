// Few modules load before `main` runs: `--file X --fast` starts its reading Worker first.
import { EXIT } from "../../engine/errors.ts";
import { DEFAULT_FEATURES } from "../../engine/features/feature-config.ts";
import { DEFAULT_MODEL_PATH } from "../../engine/model-file.ts";
import { DEFAULT_BLOCK_SIZE } from "../../engine/sources/audio-source.ts";
import { FrontEndReader } from "../../engine/sources/front-end-reader.ts";
import { STREAMS_DIR_SHOWN } from "../../engine/streams-dir.ts";
import { DEFAULT_VAD_OPTIONS } from "../../engine/vad/options.ts";
import { PROFILE_HELP_LAST } from "../profile-flag.ts";
import { parseCommand, runCommand } from "../terminal/command.ts";

export const listenSpec = {
  name: "bun listen",
  summary: "Recognise digits continuously from the microphone, a WAV file or raw PCM on stdin (headless).",
  usage: [
    "bun listen [--device NAME|INDEX] [--json]",
    "bun listen --file X.wav [--fast] [--json] [--commit-after 2]",
    "arecord -f S16_LE -r 16000 -c 1 | bun listen --stdin --format s16le --rate 16000 --channels 1",
  ],
  options: {
    device: { type: "string", short: "d" },
    file: { type: "string", short: "f" },
    fast: { type: "boolean" },
    speed: { type: "string" },
    stdin: { type: "boolean" },
    format: { type: "string", default: "s16le" },
    rate: { type: "string", default: "16000" },
    channels: { type: "string", default: "1" },
    json: { type: "boolean" },
    "level-interval": { type: "string" },
    "commit-after": { type: "string" },
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
    profile: { type: "string" },
    hangover: { type: "string" },
    "reject-below": { type: "string" },
    top: { type: "string", default: "3" },
  },
  metavar: {
    device: "DEVICE",
    file: "FILE",
    speed: "X",
    format: "FORMAT",
    rate: "HZ",
    channels: "N",
    "level-interval": "MS",
    "commit-after": "S",
    model: "FILE",
    profile: "NAME",
    hangover: "MS",
    "reject-below": "P",
    top: "N",
  },
  help: {
    device: "input device: index or part of its name (see `bun devices`); default: the system default",
    file: "read a WAV file (- for standard input) instead of the microphone, at real-time pace",
    fast: "with --file: as fast as possible instead of real time",
    speed: "with --file: playback speed factor (2 = twice real time)",
    stdin: "read raw interleaved PCM from standard input",
    format: "with --stdin: s16le or f32le",
    rate: "with --stdin: sample rate in Hz",
    channels: "with --stdin: channel count (mixed to mono)",
    json: "one JSON object per event per line (type: started, level, speech-start, speech-end, prediction, rejected, committed, …; see docs/events.md)",
    "level-interval": "with --json: ms between level events, in whole 10 ms (0: none; default 100)",
    "commit-after": "seconds of pause that end a number: a `committed` event (--json) or a `number:` line",
    model: "model file",
    profile: PROFILE_HELP_LAST,
    hangover: `ms of silence that ends an utterance (the latency knob; default ${DEFAULT_VAD_OPTIONS.hangoverMs})`,
    "reject-below": "confidence below which an utterance is rejected (default: the model's)",
    top: "probabilities listed per prediction in --json",
  },
  aliases: { model_path: "model" },
  allowPositionals: false,
  exitCodes: [
    [1, "the input device failed while listening (a device-error event says why)"],
    [EXIT.interrupted, "a second Ctrl+C, later than the first, quit at once"],
  ],
  examples: [
    "bun listen",
    `bun listen --file ${STREAMS_DIR_SHOWN}/s01_8k_clean.wav --fast`,
    `bun listen --file ${STREAMS_DIR_SHOWN}/s01_8k_clean.wav --fast --json --commit-after 2 | jq -c 'select(.type=="committed")'`,
    "bun listen --json | jq -c 'select(.type==\"prediction\")'",
  ],
} as const;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(listenSpec, argv);
  // the file's reading and resampling start on a second core while the engine and model load
  const file = values.fast ? values.file : undefined;
  const reader = file !== undefined ? FrontEndReader.forFile(file, DEFAULT_FEATURES.sampleRate, DEFAULT_BLOCK_SIZE) : null;
  const { listenSettings, runListen } = await import("../terminal/headless-listen.ts");
  return runListen(listenSettings(values, reader));
}

if (import.meta.main) {
  await runCommand(main);
  // the microphone's worker and stdin keep the loop alive otherwise
  process.exit(process.exitCode ?? 0);
}
