/**
 * Records the microphone to a 16-bit mono WAV file, written as audio arrives (the header is
 * patched after every block), so a stop at any moment leaves a complete, valid file. What the user
 * sees (start line, level meter, warnings, summary) is the caller's, through callbacks.
 */
import { OutputError } from "../engine/errors.ts";
import type { MicrophoneInfo } from "./microphone.ts";
import { createMicrophone } from "./microphone.ts";
import { WavFileWriter, checkWavTarget } from "./wav-file-writer.ts";

/** Seconds of exact zeros after which the input is probably muted or broken. */
export const SILENCE_WARNING_SECONDS = 3;

export interface RecordOptions {
  out: string;
  /** Replace a file already at `out` (else it is refused before the device is opened). */
  replace?: boolean;
  /** Seconds to record; 0 records until `shouldStop` says so or the device ends. */
  duration: number;
  sampleRate: number;
  device?: string;
  /** The microphone is open and the file created. */
  onStart?: (info: MicrophoneInfo) => void;
  /** Each block read: seconds written so far and the block's RMS level in dBFS. */
  onLevel?: (seconds: number, rmsDb: number) => void;
  /** Once, when the input has been digital silence for SILENCE_WARNING_SECONDS. */
  onSilence?: () => void;
  /** Polled between blocks (every 50 ms at most): true ends the recording. */
  shouldStop?: () => boolean;
}

export interface RecordResult {
  sampleRate: number;
  seconds: number;
  /** Peak absolute sample value in dBFS. */
  peakDb: number;
  inputOverflows: number;
  droppedSamples: number;
  /** Why the device stopped early, if it did. */
  error?: { message: string; hint?: string };
  /** Why the file could not take more (a full disk): it holds, as a valid WAV, the first `seconds`. */
  writeError?: OutputError;
}

export const dbfs = (x: number) => (x > 0 ? 20 * Math.log10(x) : -Infinity);

export async function recordToFile(options: RecordOptions): Promise<RecordResult> {
  // the output first: nothing is recorded into a file that cannot be written
  checkWavTarget(options.out, options.replace ?? false);
  const mic = createMicrophone({ device: options.device, sampleRate: options.sampleRate });
  const info = await mic.start();
  let writer: WavFileWriter;
  try {
    writer = new WavFileWriter(options.out, info.sampleRate, 1, options.replace ?? false);
  } catch (err) {
    await mic.stop();
    throw err;
  }
  const rate = info.sampleRate;
  options.onStart?.(info);
  const target = options.duration > 0 ? Math.round(options.duration * rate) : Infinity;
  const stop = options.shouldStop ?? (() => false);

  const buffer = new Float32Array(Math.max(1024, Math.ceil(rate / 10)));
  let written = 0;
  let peak = 0;
  let zeroRun = 0;
  let warnedSilence = false;
  let writeError: OutputError | undefined;

  const consume = (limit: number): number => {
    if (writeError) return 0;
    const n = mic.ring.read(buffer, 0, Math.min(buffer.length, limit));
    if (n === 0) return 0;
    try {
      writer.append(buffer, n);
    } catch (err) {
      // a full or failing disk: stop recording, keep what the file holds
      if (!(err instanceof OutputError)) throw err;
      writeError = err;
      return 0;
    }
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
      options.onSilence?.();
    }
    options.onLevel?.(written / rate, dbfs(Math.sqrt(sumSq / n)));
    return n;
  };

  try {
    while (written < target && !stop() && !mic.error && !writeError) {
      await mic.ring.waitForData(50);
      while (written < target && consume(target - written) > 0);
      if (mic.ring.closed && mic.ring.available() === 0) break;
    }
    await mic.stop();
    // What was captured before the stop still counts (up to the requested duration).
    while (written < target && consume(target - written) > 0);
  } finally {
    writer.close();
  }
  return {
    sampleRate: rate,
    seconds: written / rate,
    peakDb: dbfs(peak),
    inputOverflows: mic.inputOverflows,
    droppedSamples: mic.ring.droppedSamples,
    error: mic.error ? { message: mic.error.message, hint: mic.error.hint } : undefined,
    writeError,
  };
}
