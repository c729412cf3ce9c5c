/**
 * Writes a 16-bit PCM WAV file as audio arrives: the header goes first and its two size fields
 * are patched after every append, so the file on disk is a valid WAV at any moment (Ctrl+C, a
 * crash, or a killed process lose at most the last unwritten block).
 */
import { closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { OutputError } from "../engine/errors.ts";
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

  /**
   * Creates `path` (replacing a file there only when `replace`), making its folder if needed, and
   * writes an empty WAV. A symlink at the path is never followed.
   */
  constructor(
    readonly path: string,
    readonly sampleRate: number,
    readonly channels = 1,
    replace = false,
  ) {
    checkWavTarget(path, replace);
    try {
      this.fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | (replace ? 0 : constants.O_EXCL), 0o644);
      this.patchHeader();
    } catch (err) {
      throw new OutputError(`cannot write ${path} (${errnoOf(err)})`, "choose another --out path, or check the folder's permissions");
    }
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
    const bytes = new Uint8Array(pcm.buffer, 0, n * 2);
    let done = 0;
    try {
      // a nearly full disk takes part of a block (a short write) before it refuses the rest
      while (done < bytes.length) {
        const w = writeSync(this.fd, bytes, done, bytes.length - done, HEADER_BYTES + this.dataBytes + done);
        if (w <= 0) throw Object.assign(new Error("short write"), { code: "ENOSPC" });
        done += w;
      }
      this.dataBytes += done;
      this.patchHeader();
    } catch (err) {
      // count only whole samples of what reached the file
      this.dataBytes += done - (done % (2 * this.channels));
      // the header still describes only what was written in full: the file stays a valid WAV
      try {
        this.patchHeader();
      } catch {
        // a disk that takes no write at all keeps the header of the last good append
      }
      const seconds = this.dataBytes / 2 / this.channels / this.sampleRate;
      throw new OutputError(
        `could not write ${this.path} (${errnoOf(err)}): the first ${seconds.toFixed(2)} s are saved in it`,
        "free some space or choose another --out",
      );
    }
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

const errnoOf = (err: unknown) => (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message ?? String(err);

/**
 * Checks where a WAV will go before anything is recorded: its folder can be made, the path is
 * not a folder or a symlink, and a file there is replaced only when `replace`. An OutputError
 * (exit 3) says what is wrong.
 */
export function checkWavTarget(path: string, replace: boolean): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw new OutputError(`cannot create the folder of ${path} (${errnoOf(err)})`, "choose another --out path");
  }
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (st.isDirectory()) throw new OutputError(`${path} is a folder`, "give --out a file name");
  if (st.isSymbolicLink()) throw new OutputError(`${path} is a symlink (not followed)`, "remove it or choose another --out path");
  if (!replace && existsSync(path)) throw new OutputError(`${path} already exists`, "name it with --out to replace it, add --force, or choose another path");
}
