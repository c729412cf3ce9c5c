/**
 * `bun record`: records the microphone to a 16-bit mono WAV file. The file is written as audio
 * arrives (header patched after every block), so Ctrl+C leaves a complete, valid WAV.
 */
import { UserError } from "../../engine/errors.ts";
import { numberFlag, parseCommand, runCommand, type CommandSpec } from "../terminal/command.ts";
import { createMicrophone } from "../../native/microphone.ts";
import { WavFileWriter } from "../../native/wav-file-writer.ts";

const spec = {
  name: "bun record",
  summary: "Record the microphone to a 16-bit mono WAV file.",
  usage: ["bun record [-o FILE] [-t SECONDS] [--samplerate HZ] [-d NAME|INDEX]"],
  options: {
    out: { type: "string", short: "o", default: "samples/mic.wav" },
    duration: { type: "string", short: "t", default: "2.0" },
    samplerate: { type: "string", default: "16000" },
    device: { type: "string", short: "d" },
  },
  metavar: { out: "FILE", duration: "S", samplerate: "HZ", device: "DEVICE" },
  help: {
    out: "WAV file to write (its folder is created)",
    duration: "seconds to record; 0 records until Ctrl+C",
    samplerate: "capture rate in Hz",
    device: "input device index or part of its name (see `bun devices`); default: the system default",
  },
  aliases: { sample_rate: "samplerate", output: "out" },
  examples: [
    "bun record --out samples/mic.wav --duration 2.0 --samplerate 16000",
    "bun record -t 0 -d pulse      # until Ctrl+C",
  ],
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; short?: string; default?: string }>>;

/** Seconds of exact zeros after which the input is probably muted or broken. */
const SILENCE_WARNING_SECONDS = 3;

const dbfs = (x: number) => (x > 0 ? 20 * Math.log10(x) : -Infinity);
const formatDb = (db: number) => (Number.isFinite(db) ? `${db.toFixed(1)} dBFS` : "-inf dBFS");

function levelBar(db: number, width = 20): string {
  const frac = Number.isFinite(db) ? Math.max(0, Math.min(1, (db + 60) / 60)) : 0;
  const filled = Math.round(frac * width);
  return "▮".repeat(filled) + "▯".repeat(width - filled);
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  const duration = numberFlag("duration", values.duration, 2, 0, 24 * 3600);
  const requestedRate = numberFlag("samplerate", values.samplerate, 16000, 1000, 384000);
  const out = values.out ?? "samples/mic.wav";
  const tty = Boolean(process.stderr.isTTY) && process.env.CI !== "true";

  const mic = createMicrophone({ device: values.device, sampleRate: requestedRate });
  const info = await mic.start();
  let writer: WavFileWriter;
  try {
    writer = new WavFileWriter(out, info.sampleRate);
  } catch (err) {
    await mic.stop();
    throw err;
  }

  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130); // a second Ctrl+C: give up at once
    interrupted = true;
  };
  process.on("SIGINT", onSigint);

  const rate = info.sampleRate;
  const target = duration > 0 ? Math.round(duration * rate) : Infinity;
  const what = duration > 0 ? `${duration} s` : "until Ctrl+C";
  process.stderr.write(
    `recording ${what} from "${info.device.name}" (${info.device.hostApi}) at ${rate} Hz to ${out} (Ctrl+C to stop)\n`,
  );

  const buffer = new Float32Array(Math.max(1024, Math.ceil(rate / 10)));
  let written = 0;
  let peak = 0;
  let zeroRun = 0;
  let warnedSilence = false;
  let lastDraw = 0;

  const consume = (limit: number): number => {
    const n = mic.ring.read(buffer, 0, Math.min(buffer.length, limit));
    if (n === 0) return 0;
    writer.append(buffer, n);
    written += n;
    let sumSq = 0;
    let blockPeak = 0;
    for (let i = 0; i < n; i++) {
      const v = buffer[i]!;
      sumSq += v * v;
      const a = v < 0 ? -v : v;
      if (a > blockPeak) blockPeak = a;
    }
    if (blockPeak > peak) peak = blockPeak;
    zeroRun = blockPeak === 0 ? zeroRun + n : 0;
    if (!warnedSilence && zeroRun >= SILENCE_WARNING_SECONDS * rate) {
      warnedSilence = true;
      if (tty) process.stderr.write("\r\x1b[K");
      process.stderr.write(
        `warning: the input has been digital silence for ${SILENCE_WARNING_SECONDS} s: is the microphone muted, or the wrong --device?\n`,
      );
    }
    const now = performance.now();
    if (tty && now - lastDraw >= 100) {
      lastDraw = now;
      const rms = formatDb(dbfs(Math.sqrt(sumSq / n)));
      const elapsed = `${(written / rate).toFixed(1)} s${duration > 0 ? ` / ${duration} s` : ""}`;
      process.stderr.write(`\r● ${elapsed}  ${levelBar(dbfs(Math.sqrt(sumSq / n)))} ${rms}\x1b[K`);
    }
    return n;
  };

  try {
    while (written < target && !interrupted && !mic.error) {
      await mic.ring.waitForData(50);
      while (written < target && consume(target - written) > 0);
      if (mic.ring.closed && mic.ring.available() === 0) break;
    }
    await mic.stop();
    // What was captured before the stop still counts (up to the requested duration).
    while (written < target && consume(target - written) > 0);
  } finally {
    writer.close();
    process.off("SIGINT", onSigint);
    if (tty) process.stderr.write("\r\x1b[K");
  }

  const notes: string[] = [];
  if (mic.inputOverflows > 0) notes.push(`${mic.inputOverflows} input overflows`);
  if (mic.ring.droppedSamples > 0) notes.push(`${mic.ring.droppedSamples} samples dropped`);
  if (interrupted) notes.push("stopped by Ctrl+C");
  process.stderr.write(
    `saved ${out}: ${(written / rate).toFixed(2)} s at ${rate} Hz mono, peak ${formatDb(dbfs(peak))}` +
      (notes.length ? ` (${notes.join(", ")})` : "") +
      "\n",
  );
  const failure = mic.error;
  if (failure) throw new UserError(`recording stopped early: ${failure.message}`, failure.hint);
  return 0;
}


if (import.meta.main) await runCommand(main);
