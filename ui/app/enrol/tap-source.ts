import type { AudioSource, SourceError, SourceInfo } from "../../../engine/sources/audio-source.ts";

/**
 * An audio source that keeps what the engine reads from another one, so that an utterance the
 * engine found (its stream times) can be cut out as a take at the source's own rate.
 */
export class TapSource implements AudioSource {
  private chunks: Float32Array[] = [];
  private total = 0;
  /** Samples dropped from the front (only the last `keepSeconds` are kept). */
  private offset = 0;
  private rate = 0;

  constructor(
    private readonly inner: AudioSource,
    private readonly keepSeconds = 30,
  ) {}

  async start(): Promise<SourceInfo> {
    const info = await this.inner.start();
    this.rate = info.sampleRate;
    return info;
  }

  get sampleRate(): number {
    return this.rate;
  }

  read(dst: Float32Array): number {
    const n = this.inner.read(dst);
    if (n > 0) {
      this.chunks.push(dst.slice(0, n));
      this.total += n;
      this.trim();
    }
    return n;
  }

  private trim(): void {
    const keep = Math.round(this.keepSeconds * this.rate);
    while (this.chunks.length > 1 && this.total - this.offset - this.chunks[0]!.length >= keep) this.offset += this.chunks.shift()!.length;
  }

  /** Stream time (s) of the next sample read. */
  get time(): number {
    return this.rate ? this.total / this.rate : 0;
  }

  /** The samples between stream times `from` and `to` (seconds), as far as they are still kept. */
  clip(from: number, to: number): Float32Array {
    const a = Math.max(this.offset, Math.round(from * this.rate));
    const b = Math.min(this.total, Math.round(to * this.rate));
    const out = new Float32Array(Math.max(0, b - a));
    let at = this.offset;
    for (const c of this.chunks) {
      const lo = Math.max(a, at);
      const hi = Math.min(b, at + c.length);
      if (hi > lo) out.set(c.subarray(lo - at, hi - at), lo - a);
      at += c.length;
      if (at >= b) break;
    }
    return out;
  }

  wait(timeoutMs: number): Promise<void> {
    return this.inner.wait(timeoutMs);
  }
  backlog(): number {
    return this.inner.backlog();
  }
  droppedSamples(): number {
    return this.inner.droppedSamples();
  }
  stop(): Promise<void> {
    return this.inner.stop();
  }
  onError(listener: (error: SourceError) => void): () => void {
    return this.inner.onError(listener);
  }
}
