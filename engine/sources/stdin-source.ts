import { UserError } from "../errors.ts";
import { FloatRingBuffer } from "../ring-buffer.ts";
import type { AudioSource, SourceError, SourceInfo } from "./audio-source.ts";

export type PcmFormat = "s16le" | "f32le";

export interface RawPcmOptions {
  format: PcmFormat;
  sampleRate: number;
  channels: number;
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

  constructor(
    private readonly options: RawPcmOptions,
    private readonly input: ReadableStream<Uint8Array> = Bun.stdin.stream(),
  ) {
    if (options.format !== "s16le" && options.format !== "f32le") throw new UserError(`--format ${options.format} is not s16le or f32le`);
    if (!(Number.isInteger(options.sampleRate) && options.sampleRate >= 1000 && options.sampleRate <= 384000)) {
      throw new UserError(`--rate must be an integer between 1000 and 384000, got ${options.sampleRate}`);
    }
    if (!(Number.isInteger(options.channels) && options.channels >= 1 && options.channels <= 32)) {
      throw new UserError(`--channels must be an integer between 1 and 32, got ${options.channels}`);
    }
    this.ring = FloatRingBuffer.create(options.sampleRate * 4);
  }

  async start(): Promise<SourceInfo> {
    void this.pump();
    return { kind: "stdin", name: "stdin", sampleRate: this.options.sampleRate, channels: this.options.channels, realtime: false };
  }

  private async pump(): Promise<void> {
    const bytesPerSample = this.options.format === "s16le" ? 2 : 4;
    const frameBytes = bytesPerSample * this.options.channels;
    const reader = this.input.getReader();
    try {
      while (!this.stopped) {
        const { value, done } = await reader.read();
        if (done) break;
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
        this.decode(bytes, frames);
        let offset = 0;
        while (offset < frames && !this.stopped) {
          offset += this.ring.write(this.mono, offset, Math.min(frames, offset + this.ring.freeSpace()));
          if (offset < frames) await Bun.sleep(2);
        }
      }
    } catch (err) {
      for (const l of this.listeners) l({ message: `reading stdin failed: ${(err as Error).message}` });
    } finally {
      reader.releaseLock();
      this.ring.close();
    }
  }

  private decode(bytes: Uint8Array, frames: number): void {
    const ch = this.options.channels;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const s16 = this.options.format === "s16le";
    const g = 1 / ch;
    for (let f = 0, off = 0; f < frames; f++) {
      let sum = 0;
      for (let c = 0; c < ch; c++) {
        sum += s16 ? view.getInt16(off, true) / 32768 : view.getFloat32(off, true);
        off += s16 ? 2 : 4;
      }
      this.mono[f] = sum * g;
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
