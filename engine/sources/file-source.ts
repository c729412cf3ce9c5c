import { existsSync, readFileSync, statSync } from "node:fs";
import { monoDecoder } from "../audio/wav.ts";
import { UserError } from "../errors.ts";
import { FloatRingBuffer } from "../ring-buffer.ts";
import { NeedMoreBytes, type ReadAt, WavFileReader, parseWavHeader } from "../audio/wav-reader.ts";
import type { AudioSource, SourceError, SourceInfo } from "./audio-source.ts";
import { RawPcmSource } from "./stdin-source.ts";

export interface FileSourceOptions {
  /** Play at the pace of a clock (like a microphone) instead of as fast as possible. */
  realtime: boolean;
  /** Playback speed for real-time mode (2 = twice real time). */
  speed?: number;
  /** Timer period of real-time playback in ms. */
  tickMs?: number;
}

/** The few formats read whole (RIFX, RF64) are refused beyond this size rather than exhaust memory. */
const MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024;
/** A WAV stream whose header does not end within this many bytes is not a WAV. */
const MAX_STREAM_HEADER_BYTES = 1 << 20;
/** Frames decoded per step of real-time playback. */
const PLAYBACK_BLOCK = 8192;

/** The block reader of a regular file, or of a RIFX / RF64 file decoded whole. */
interface BlockDecoder {
  sampleRate: number;
  channels: number;
  frames: number;
  decodeInto(dst: Float32Array, from: number): number;
  close(): void;
}

/**
 * Plays a WAV file (any format decodeWav reads), mixed to mono, into the engine. A regular file
 * is read from disk block by block as it is played, so memory does not depend on its length;
 * a FIFO or a pipe is read as a stream (like stdin), so waiting for its writer never
 * blocks the event loop and Ctrl+C or SIGTERM still work. The path `-` reads the WAV from
 * standard input the same way.
 */
export class FileSource implements AudioSource {
  private decoder: BlockDecoder | undefined;
  private stream: RawPcmSource | undefined;
  private frames = 0;
  private position = 0;
  private info: SourceInfo | undefined;
  private ring: FloatRingBuffer | undefined;
  private scratch: Float32Array | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private startedAt = 0;
  private written = 0;
  private stopped = false;
  private cancelHeader: (() => void) | undefined;
  private blockReader = false;

  constructor(
    readonly path: string,
    private readonly options: FileSourceOptions,
  ) {}

  async start(): Promise<SourceInfo> {
    const path = this.path;
    if (path === "-") return this.startStream(Bun.stdin.stream(), "stdin");
    if (!existsSync(path)) {
      if (/^\/(dev|proc\/self)\/fd\/\d+$/.test(path)) {
        throw new UserError(
          `${path}: no such file (\`bun run\` does not pass on the descriptors of a process substitution like <(…))`,
          "pipe the audio in instead: `… | bun listen --stdin`, or save it to a file first",
        );
      }
      throw new UserError(`${path}: no such file`);
    }
    const st = statSync(path);
    if (st.isDirectory()) throw new UserError(`${path}: is a folder, not a WAV file`);
    // a pipe or FIFO waits for its writer: read it asynchronously (devices like /dev/zero read
    // like files, and cannot be polled)
    if (st.isFIFO() || st.isSocket()) return this.startStream(Bun.file(path).stream(), path);
    const reader = WavFileReader.open(path);
    this.blockReader = reader !== null;
    const decoder: BlockDecoder = reader ?? wholeFile(path, st.size);
    this.decoder = decoder;
    this.frames = decoder.frames;
    this.info = { kind: "file", name: path, sampleRate: decoder.sampleRate, channels: decoder.channels, realtime: this.options.realtime };
    if (this.options.realtime) {
      const speed = this.options.speed ?? 1;
      if (!(speed > 0)) throw new UserError(`speed must be positive, got ${speed}`);
      this.ring = FloatRingBuffer.create(decoder.sampleRate * 4);
      this.scratch = new Float32Array(PLAYBACK_BLOCK);
      this.startedAt = performance.now();
      this.timer = setInterval(() => this.produce(speed), this.options.tickMs ?? 10);
    }
    return this.info;
  }

  /** After `start`: the file is a regular WAV file read from disk block by block (not a stream, nor decoded whole). */
  get readsInBlocks(): boolean {
    return this.blockReader;
  }

  /** A FIFO, pipe or device: its header parsed as it arrives, then its samples pumped like stdin. */
  private async startStream(stream: ReadableStream<Uint8Array>, name: string): Promise<SourceInfo> {
    const reader = stream.getReader();
    this.cancelHeader = () => void reader.cancel();
    let buffered = new Uint8Array(0);
    let ended = false;
    const readAt: ReadAt = (offset, length) => {
      if (offset + length > buffered.length && !ended) throw new NeedMoreBytes();
      return buffered.subarray(Math.min(offset, buffered.length), Math.min(offset + length, buffered.length));
    };
    for (;;) {
      if (this.stopped) throw new UserError(`${name}: stopped before the WAV header arrived`);
      try {
        const layout = parseWavHeader(readAt, ended ? buffered.length : Infinity, name);
        if (!layout) throw new UserError(`${name}: RIFX and RF64 WAVs are read from regular files only`, "save the stream to a file first");
        const rest = buffered.subarray(layout.dataOffset);
        const input = new ReadableStream<Uint8Array>({
          start: (c) => {
            if (rest.length) c.enqueue(rest);
          },
          pull: async (c) => {
            const { value, done } = await reader.read();
            if (done) c.close();
            else c.enqueue(value);
          },
          cancel: () => reader.cancel(),
        });
        this.cancelHeader = undefined;
        this.stream = new RawPcmSource(layout, input, { kind: "file", name: name, limitBytes: layout.dataBytes });
        this.info = await this.stream.start();
        return this.info;
      } catch (err) {
        if (!(err instanceof NeedMoreBytes)) {
          void reader.cancel();
          throw err;
        }
      }
      if (buffered.length > MAX_STREAM_HEADER_BYTES) throw new UserError(`${name}: no WAV data chunk in the first ${MAX_STREAM_HEADER_BYTES} bytes`);
      const { value, done } = await reader.read();
      if (done) ended = true;
      else {
        const joined = new Uint8Array(buffered.length + value.length);
        joined.set(buffered);
        joined.set(value, buffered.length);
        buffered = joined;
      }
    }
  }

  /** Timer producer: decodes and writes what the clock says has been "captured" since the start. */
  private produce(speed: number): void {
    const ring = this.ring!;
    const due = Math.min(this.frames, Math.floor(((performance.now() - this.startedAt) / 1000) * this.info!.sampleRate * speed));
    const scratch = this.scratch!;
    while (this.written < due && ring.freeSpace() > 0) {
      const want = Math.min(due - this.written, scratch.length, ring.freeSpace());
      const n = this.decoder!.decodeInto(want === scratch.length ? scratch : scratch.subarray(0, want), this.written);
      if (n <= 0) {
        this.written = this.frames;
        break;
      }
      ring.write(scratch, 0, n);
      this.written += n;
    }
    if (this.written >= this.frames) {
      clearInterval(this.timer);
      this.timer = undefined;
      ring.close();
      this.decoder!.close();
    }
  }

  read(dst: Float32Array): number {
    if (this.stream) return this.stream.read(dst);
    if (this.ring) {
      const n = this.ring.read(dst);
      return n === 0 && this.ring.closed && this.ring.available() === 0 ? -1 : n;
    }
    if (!this.decoder || this.position >= this.frames) return -1;
    const n = this.decoder.decodeInto(dst, this.position);
    // n ≤ 0: the file shrank while it was read
    this.position = n > 0 ? this.position + n : this.frames;
    // many files are played one after another (bun eval): let go of each as soon as it is read
    if (this.position >= this.frames) this.decoder.close();
    return n > 0 ? n : -1;
  }

  async wait(timeoutMs: number): Promise<void> {
    if (this.stream) await this.stream.wait(timeoutMs);
    else if (this.ring) await this.ring.waitForData(timeoutMs);
  }

  backlog(): number {
    if (this.stream) return this.stream.backlog();
    return this.ring ? this.ring.available() : this.frames - this.position;
  }

  droppedSamples(): number {
    return this.stream?.droppedSamples() ?? this.ring?.droppedSamples ?? 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelHeader?.();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.ring?.close();
    this.position = this.frames;
    await this.stream?.stop();
    this.decoder?.close();
  }

  onError(listener: (error: SourceError) => void): () => void {
    return this.stream ? this.stream.onError(listener) : () => {};
  }
}

/** RIFX and RF64, which only the whole-file decoder reads, within a size that memory can take. */
function wholeFile(path: string, size: number): BlockDecoder {
  if (size > MAX_WHOLE_FILE_BYTES) {
    throw new UserError(
      `${path}: RIFX and RF64 WAVs are read whole, and this one is larger than ${MAX_WHOLE_FILE_BYTES >> 20} MB`,
      "convert it to a plain WAV, e.g. `sox in.wav -e signed-integer -b 16 out.wav`",
    );
  }
  const d = monoDecoder(readFileSync(path), path);
  return { ...d, close: () => {} };
}
