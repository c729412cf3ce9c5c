import type { AudioSource, SourceInfo } from "../engine/sources/audio-source.ts";

/**
 * A non-real-time source that plays `audio` (mono, at `sampleRate`) over and over until
 * `totalSamples` have been read: a long stream from a short one, at constant memory.
 * `onRead` sees the running sample count after every read.
 */
export class LoopSource implements AudioSource {
  private position = 0;

  constructor(
    private readonly audio: Float32Array,
    private readonly info: Omit<SourceInfo, "kind" | "realtime">,
    private readonly totalSamples: number,
    private readonly onRead: (samples: number) => void = () => {},
  ) {
    if (audio.length === 0) throw new RangeError("LoopSource needs some audio");
  }

  async start(): Promise<SourceInfo> {
    return { ...this.info, kind: "file", realtime: false };
  }

  read(dst: Float32Array): number {
    if (this.position >= this.totalSamples) return -1;
    const n = Math.min(dst.length, this.totalSamples - this.position);
    let done = 0;
    while (done < n) {
      const at = (this.position + done) % this.audio.length;
      const take = Math.min(n - done, this.audio.length - at);
      dst.set(this.audio.subarray(at, at + take), done);
      done += take;
    }
    this.position += n;
    this.onRead(this.position);
    return n;
  }

  async wait(): Promise<void> {}

  backlog(): number {
    return this.totalSamples - this.position;
  }

  droppedSamples(): number {
    return 0;
  }

  async stop(): Promise<void> {
    this.position = this.totalSamples;
  }

  onError(): () => void {
    return () => {};
  }
}
