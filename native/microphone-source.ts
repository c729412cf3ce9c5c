import { createMicrophone, type Microphone, type MicrophoneOptions } from "./microphone.ts";
import type { AudioSource, SourceError, SourceInfo } from "../engine/sources/audio-source.ts";

/** The PortAudio microphone (native/), read from the capture thread's shared ring. */
export class MicrophoneSource implements AudioSource {
  private readonly mic: Microphone;

  constructor(options: MicrophoneOptions = {}) {
    this.mic = createMicrophone(options);
  }

  async start(): Promise<SourceInfo> {
    const info = await this.mic.start();
    return { kind: "microphone", name: info.device.name, sampleRate: info.sampleRate, channels: info.channels, realtime: true };
  }

  read(dst: Float32Array): number {
    const ring = this.mic.ring;
    const n = ring.read(dst);
    return n === 0 && ring.closed && ring.available() === 0 ? -1 : n;
  }

  async wait(timeoutMs: number): Promise<void> {
    await this.mic.ring.waitForData(timeoutMs);
  }

  backlog(): number {
    return this.mic.ring.available();
  }

  droppedSamples(): number {
    // ring overruns are counted in samples; device overflows only per read, so they are reported apart
    return this.mic.ring.droppedSamples;
  }

  get inputOverflows(): number {
    return this.mic.inputOverflows;
  }

  stop(): Promise<void> {
    return this.mic.stop();
  }

  onError(listener: (error: SourceError) => void): () => void {
    return this.mic.onError(listener);
  }
}
