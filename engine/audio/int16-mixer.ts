import { growMemory, instantiateKernels } from "../wasm/kernels.ts";

type MixInt16 = (src: number, frames: number, channels: number, out: number) => void;

/**
 * 16-bit PCM of one or two channels mixed to mono float32 by the `mixint16` kernel
 * (engine/wasm/kernels.wat) in a WebAssembly memory of its own: the bytes go into its byte area
 * (a reader can read them straight there: `byteArea`), the samples come out of its sample area.
 * Memory grows to the largest batch asked for, then stays.
 */
export class Int16Mixer {
  private readonly kernels = instantiateKernels();
  private readonly mix = this.kernels.exports.mixint16 as MixInt16;
  private bytes = new Uint8Array(0);
  private samples = new Float32Array(0);
  private samplesAt = 0;

  /** The byte area, at least `length` bytes (a new view when it had to grow). */
  byteArea(length: number): Uint8Array {
    if (this.bytes.length < length) this.resize(length);
    return this.bytes;
  }

  /**
   * Mixes `frames` frames of `channels` (1 or 2) from the byte area; returns the sample area,
   * whose first `frames` samples are the result (valid until the areas grow).
   */
  mixArea(frames: number, channels: number): Float32Array {
    this.byteArea(frames * channels * 2);
    this.mix(0, frames, channels, this.samplesAt);
    return this.samples;
  }

  /** Mixes `frames` frames of `channels` (1 or 2) of `bytes` into dst[at…at + frames). */
  mixInto(bytes: Uint8Array, frames: number, channels: number, dst: Float32Array, at = 0): void {
    this.byteArea(bytes.length).set(bytes);
    const samples = this.mixArea(frames, channels);
    for (let f = 0; f < frames; f++) dst[at + f] = samples[f]!;
  }

  private resize(byteLength: number): void {
    const bytes = (byteLength + 15) & ~15;
    const need = bytes + 2 * bytes; // a frame of 2 bytes gives 4
    const { memory } = this.kernels;
    growMemory(memory, need);
    this.bytes = new Uint8Array(memory.buffer, 0, bytes);
    this.samplesAt = bytes;
    this.samples = new Float32Array(memory.buffer, bytes, bytes >> 1);
  }
}
