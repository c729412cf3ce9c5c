import { UserError } from "../errors.ts";
import { FloatRingBuffer } from "../ring-buffer.ts";
import { type WavLayout, decodeFramesMono } from "../audio/wav-reader.ts";
import type { AudioSource, SourceError, SourceInfo } from "./audio-source.ts";

export type PcmFormat = "s16le" | "f32le";

export interface RawPcmOptions {
  format: PcmFormat;
  sampleRate: number;
  channels: number;
}

/** What a stream that is not stdin (a WAV read from a FIFO or pipe) says about itself. */
export interface StreamOrigin {
  kind: SourceInfo["kind"];
  name: string;
  /** Bytes of samples to read before the stream counts as ended (a WAV's data chunk). */
  limitBytes?: number;
}

function rawLayout(o: RawPcmOptions): WavLayout {
  const sampleBytes = o.format === "s16le" ? 2 : 4;
  return {
    encoding: o.format === "s16le" ? "int16" : "float32",
    channels: o.channels,
    sampleRate: o.sampleRate,
    sampleBytes,
    frameBytes: sampleBytes * o.channels,
    dataOffset: 0,
    dataBytes: Infinity,
  };
}

/**
 * Raw interleaved PCM from a byte stream (stdin by default), e.g.
 * `arecord -f S16_LE -r 16000 | bun listen --stdin --rate 16000`. A pipe that delivers faster
 * than the engine reads is slowed down (backpressure), never dropped.
 */
export class RawPcmSource implements AudioSource {
  private readonly ring: FloatRingBuffer;
  private readonly listeners = new Set<(e: SourceError) => void>();
  private stopped = false;
  private carry = new Uint8Array(0);
  private mono = new Float32Array(4096);
  private readonly layout: WavLayout;

  constructor(
    options: RawPcmOptions | WavLayout,
    private readonly input: ReadableStream<Uint8Array> = Bun.stdin.stream(),
    private readonly origin: StreamOrigin = { kind: "stdin", name: "stdin" },
  ) {
    if ("encoding" in options) {
      this.layout = options;
      this.ring = FloatRingBuffer.create(options.sampleRate * 4);
      return;
    }
    if (options.format !== "s16le" && options.format !== "f32le") throw new UserError(`--format ${options.format} is not s16le or f32le`);
    if (!(Number.isInteger(options.sampleRate) && options.sampleRate >= 1000 && options.sampleRate <= 384000)) {
      throw new UserError(`--rate must be an integer between 1000 and 384000, got ${options.sampleRate}`);
    }
    if (!(Number.isInteger(options.channels) && options.channels >= 1 && options.channels <= 32)) {
      throw new UserError(`--channels must be an integer between 1 and 32, got ${options.channels}`);
    }
    this.ring = FloatRingBuffer.create(options.sampleRate * 4);
    this.layout = rawLayout(options);
  }

  async start(): Promise<SourceInfo> {
    void this.pump();
    return { kind: this.origin.kind, name: this.origin.name, sampleRate: this.layout.sampleRate, channels: this.layout.channels, realtime: false };
  }

  private async pump(): Promise<void> {
    const frameBytes = this.layout.frameBytes;
    let left = this.origin.limitBytes ?? Infinity;
    const reader = this.input.getReader();
    try {
      while (!this.stopped && left > 0) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        // what follows a WAV's data chunk (a LIST chunk) is not audio
        const value = chunk.length > left ? chunk.subarray(0, left) : chunk;
        left -= value.length;
        let bytes = value;
        if (this.carry.length) {
          const joined = new Uint8Array(this.carry.length + value.length);
          joined.set(this.carry);
          joined.set(value, this.carry.length);
          bytes = joined;
        }
        const frames = Math.floor(bytes.length / frameBytes);
        this.carry = bytes.slice(frames * frameBytes);
        if (frames === 0) continue;
        if (this.mono.length < frames) this.mono = new Float32Array(frames * 2);
        decodeFramesMono(bytes, frames, this.layout, this.mono);
        let offset = 0;
        while (offset < frames && !this.stopped) {
          offset += this.ring.write(this.mono, offset, Math.min(frames, offset + this.ring.freeSpace()));
          if (offset < frames) await Bun.sleep(2);
        }
      }
    } catch (err) {
      for (const l of this.listeners) l({ message: `reading ${this.origin.name} failed: ${(err as Error).message}` });
    } finally {
      reader.releaseLock();
      this.ring.close();
    }
  }

  read(dst: Float32Array): number {
    const n = this.ring.read(dst);
    return n === 0 && this.ring.closed && this.ring.available() === 0 ? -1 : n;
  }

  async wait(timeoutMs: number): Promise<void> {
    await this.ring.waitForData(timeoutMs);
  }

  backlog(): number {
    return this.ring.available();
  }

  droppedSamples(): number {
    return this.ring.droppedSamples;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ring.close();
  }

  onError(listener: (error: SourceError) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
