/**
 * Writes a 16-bit PCM WAV file as audio arrives: the header goes first and its two size fields
 * are patched after every append, so the file on disk is a valid WAV at any moment (Ctrl+C, a
 * crash, or a killed process lose at most the last unwritten block).
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../engine/errors.ts";
import { writeWavHeader } from "../engine/audio/wav.ts";

const HEADER_BYTES = 44;
/** RIFF sizes are 32-bit: the data chunk must stay below 4 GiB minus the header. */
const MAX_DATA_BYTES = 0xffffffff - 36;

export class WavFileWriter {
  private readonly header = new Uint8Array(HEADER_BYTES);
  private readonly headerView = new DataView(this.header.buffer);
  private pcm = new Int16Array(0);
  private dataBytes = 0;
  private fd: number | null;

  /** Creates (or truncates) `path`, making its folder if needed, and writes an empty WAV. */
  constructor(
    readonly path: string,
    readonly sampleRate: number,
    readonly channels = 1,
  ) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, "w");
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new UserError(`cannot write ${path}: ${reason}`, "choose another --out path, or check the folder's permissions");
    }
    this.patchHeader();
  }

  /** Samples written so far (all channels). */
  get samples(): number {
    return this.dataBytes / 2;
  }

  /** Remaining room before the 4 GiB RIFF limit, in samples. */
  get room(): number {
    return Math.floor((MAX_DATA_BYTES - this.dataBytes) / 2);
  }

  /** Appends `samples[0, count)` (floats in [-1, 1], clipped) and updates the header. */
  append(samples: Float32Array, count = samples.length): void {
    if (this.fd === null) throw new Error("WavFileWriter: append after close");
    const n = Math.min(count, this.room);
    if (n <= 0) return;
    if (this.pcm.length < n) this.pcm = new Int16Array(Math.max(n, this.pcm.length * 2));
    const pcm = this.pcm;
    for (let i = 0; i < n; i++) {
      const v = samples[i]!;
      pcm[i] = v >= 1 ? 32767 : v <= -1 ? -32768 : Math.round(v < 0 ? v * 32768 : v * 32767);
    }
    writeSync(this.fd, pcm, 0, n * 2, HEADER_BYTES + this.dataBytes);
    this.dataBytes += n * 2;
    this.patchHeader();
  }

  /** Finalises the header and closes the file. Idempotent. */
  close(): void {
    if (this.fd === null) return;
    this.patchHeader();
    closeSync(this.fd);
    this.fd = null;
  }

  private patchHeader(): void {
    writeWavHeader(this.headerView, this.sampleRate, this.channels, this.dataBytes);
    writeSync(this.fd!, this.header, 0, HEADER_BYTES, 0);
  }
}
