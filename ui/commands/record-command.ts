/** `bun record`: records the microphone to a 16-bit mono WAV file (Ctrl+C leaves a valid one). */
import { EXIT, UserError } from "../../engine/errors.ts";
import { onInterrupt } from "../terminal/interrupts.ts";
import { numberFlag, parseCommand, runCommand, type CommandSpec } from "../terminal/command.ts";
import { SILENCE_WARNING_SECONDS, recordToFile } from "../../native/record-to-file.ts";

const DEFAULT_OUT = "samples/mic.wav";

const spec = {
  name: "bun record",
  summary: "Record the microphone to a 16-bit mono WAV file.",
  usage: ["bun record [-o FILE] [-t SECONDS] [--samplerate HZ] [-d NAME|INDEX]"],
  options: {
    out: { type: "string", short: "o" },
    duration: { type: "string", short: "t", default: "2.0" },
    samplerate: { type: "string", default: "16000" },
    device: { type: "string", short: "d" },
    force: { type: "boolean" },
  },
  metavar: { out: "FILE", duration: "S", samplerate: "HZ", device: "DEVICE" },
  help: {
    out: `WAV file to write (its folder is created; a file you name is replaced); default: ${DEFAULT_OUT}, never replaced without --force`,
    force: "replace the default output file if it exists",
    duration: "seconds to record; 0 records until Ctrl+C",
    samplerate: "capture rate in Hz",
    device: "input device index or part of its name (see `bun devices`); default: the system default",
  },
  aliases: { sample_rate: "samplerate", output: "out" },
  exitCodes: [[EXIT.outputFailed, "the WAV could not be written (it still holds, as a valid WAV, what was recorded until then)"]],
  examples: ["bun record --out samples/mic.wav --duration 2.0 --samplerate 16000", "bun record -t 0 -d pulse      # until Ctrl+C"],
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string; default?: string }>>;

const formatDb = (db: number) => (Number.isFinite(db) ? `${db.toFixed(1)} dBFS` : "-inf dBFS");

function levelBar(db: number, width = 20): string {
  const frac = Number.isFinite(db) ? Math.max(0, Math.min(1, (db + 60) / 60)) : 0;
  const filled = Math.round(frac * width);
  return "▮".repeat(filled) + "▯".repeat(width - filled);
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  const duration = numberFlag("duration", values.duration, 2, 0, 24 * 3600);
  const sampleRate = numberFlag("samplerate", values.samplerate, 16000, 1000, 384000);
  const out = values.out ?? DEFAULT_OUT;
  const tty = Boolean(process.stderr.isTTY) && process.env.CI !== "true";

  let interrupted: NodeJS.Signals | undefined;
  let offInterrupt = () => {};
  let lastDraw = 0;
  let result: Awaited<ReturnType<typeof recordToFile>>;
  try {
    result = await recordToFile({
      out,
      // a file the user named is theirs to replace; the default one only with --force
      replace: values.out !== undefined || Boolean(values.force),
      duration,
      sampleRate,
      device: values.device,
      shouldStop: () => interrupted !== undefined,
      onStart: (info) => {
        offInterrupt = onInterrupt((signal) => (interrupted = signal));
        const what = duration > 0 ? `${duration} s` : "until Ctrl+C";
        process.stderr.write(`recording ${what} from "${info.device.name}" (${info.device.hostApi}) at ${info.sampleRate} Hz to ${out} (Ctrl+C to stop)\n`);
      },
      onSilence: () => {
        if (tty) process.stderr.write("\r\x1b[K");
        process.stderr.write(`warning: the input has been digital silence for ${SILENCE_WARNING_SECONDS} s: is the microphone muted, or the wrong --device?\n`);
      },
      onLevel: (seconds, rmsDb) => {
        const now = performance.now();
        if (!tty || now - lastDraw < 100) return;
        lastDraw = now;
        const elapsed = `${seconds.toFixed(1)} s${duration > 0 ? ` / ${duration} s` : ""}`;
        process.stderr.write(`\r● ${elapsed}  ${levelBar(rmsDb)} ${formatDb(rmsDb)}\x1b[K`);
      },
    });
  } finally {
    offInterrupt();
    if (tty) process.stderr.write("\r\x1b[K");
  }

  const notes: string[] = [];
  if (result.inputOverflows > 0) notes.push(`${result.inputOverflows} input overflows`);
  if (result.droppedSamples > 0) notes.push(`${result.droppedSamples} samples dropped`);
  if (interrupted) notes.push(interrupted === "SIGINT" ? "stopped by Ctrl+C" : `stopped by ${interrupted}`);
  process.stderr.write(
    `${result.writeError ? "kept" : "saved"} ${out}: ${result.seconds.toFixed(2)} s at ${result.sampleRate} Hz mono, peak ${formatDb(result.peakDb)}` +
      (notes.length ? ` (${notes.join(", ")})` : "") +
      "\n",
  );
  if (result.writeError) {
    console.error(`error: ${result.writeError.describe()}`);
    return EXIT.outputFailed;
  }
  if (result.error) throw new UserError(`recording stopped early: ${result.error.message}`, result.error.hint);
  return 0;
}

if (import.meta.main) await runCommand(main);
