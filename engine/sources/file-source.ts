import { readFileSync, existsSync } from "node:fs";
import { type MonoDecoder, monoDecoder } from "../audio/wav.ts";
import { UserError } from "../errors.ts";
import { FloatRingBuffer } from "../ring-buffer.ts";
import type { AudioSource, SourceError, SourceInfo } from "./audio-source.ts";

export interface FileSourceOptions {
  /** Play at the pace of a clock (like a microphone) instead of as fast as possible. */
  realtime: boolean;
  /** Playback speed for real-time mode (2 = twice real time). */
  speed?: number;
  /** Timer period of real-time playback in ms. */
  tickMs?: number;
}

/**
 * Plays a WAV file (any format decodeWav reads), mixed to mono, into the engine. As fast as
 * possible, each block is decoded when it is read (no decoded copy of the whole file); in real
 * time the file is decoded up front and a timer feeds a ring buffer. The path `-` reads the WAV
 * from standard input (read whole before playing: a WAV header may give no length until the end).
 */
export class FileSource implements AudioSource {
  private decoder: MonoDecoder | undefined;
  private mono: Float32Array = new Float32Array(0);
  private frames = 0;
  private position = 0;
  private info: SourceInfo | undefined;
  private ring: FloatRingBuffer | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private startedAt = 0;
  private written = 0;

  constructor(
    readonly path: string,
    private readonly options: FileSourceOptions,
  ) {}

  async start(): Promise<SourceInfo> {
    const stdin = this.path === "-";
    if (!stdin && !existsSync(this.path)) throw new UserError(`${this.path}: no such file`);
    const name = stdin ? "stdin" : this.path;
    const audio = monoDecoder(stdin ? new Uint8Array(await Bun.stdin.arrayBuffer()) : readFileSync(this.path), name);
    this.decoder = audio;
    this.frames = audio.frames;
    this.info = { kind: "file", name, sampleRate: audio.sampleRate, channels: audio.channels, realtime: this.options.realtime };
    if (this.options.realtime) {
      this.mono = new Float32Array(audio.frames);
      audio.decodeInto(this.mono, 0);
      const speed = this.options.speed ?? 1;
      if (!(speed > 0)) throw new UserError(`speed must be positive, got ${speed}`);
      this.ring = FloatRingBuffer.create(audio.sampleRate * 4);
      this.startedAt = performance.now();
      const tick = () => this.produce(speed);
      this.timer = setInterval(tick, this.options.tickMs ?? 10);
    }
    return this.info;
  }

  /** Timer producer: writes what the clock says has been "captured" since the start. */
  private produce(speed: number): void {
    const ring = this.ring!;
    const due = Math.min(this.mono.length, Math.floor(((performance.now() - this.startedAt) / 1000) * this.info!.sampleRate * speed));
    if (due > this.written) {
      ring.write(this.mono, this.written, due);
      this.written = due;
    }
    if (this.written >= this.mono.length) {
      clearInterval(this.timer);
      this.timer = undefined;
      ring.close();
    }
  }

  read(dst: Float32Array): number {
    if (this.ring) {
      const n = this.ring.read(dst);
      return n === 0 && this.ring.closed && this.ring.available() === 0 ? -1 : n;
    }
    if (!this.decoder || this.position >= this.frames) return -1;
    const n = this.decoder.decodeInto(dst, this.position);
    this.position += n;
    return n;
  }

  async wait(timeoutMs: number): Promise<void> {
    if (this.ring) await this.ring.waitForData(timeoutMs);
  }

  backlog(): number {
    return this.ring ? this.ring.available() : this.frames - this.position;
  }

  droppedSamples(): number {
    return this.ring?.droppedSamples ?? 0;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.ring?.close();
    this.position = this.frames;
  }

  onError(_listener: (error: SourceError) => void): () => void {
    return () => {};
  }
}
