import { type KernelMemory, instantiateKernels } from "./kernels.ts";

export type { KernelMemory };

/** Memories handed back, kept for the next owner (at most this many). */
const MAX_FREE = 8;
const free: KernelMemory[] = [];

/**
 * A memory of at least `bytes` bytes, zeroed, with the kernels instantiated on it: one handed
 * back earlier when there is one (making a memory can cost milliseconds when the JavaScript heap
 * is large: the engine may collect garbage to make room), else a new one.
 */
export function acquireKernelMemory(bytes: number): KernelMemory {
  const i = free.findIndex((m) => m.memory.buffer.byteLength >= bytes);
  if (i >= 0) {
    const m = free.splice(i, 1)[0]!;
    new Uint8Array(m.memory.buffer).fill(0);
    return m;
  }
  return instantiateKernels(bytes);
}

/** Hands a memory back; its owner must not touch it again. */
export function releaseKernelMemory(m: KernelMemory): void {
  if (free.length < MAX_FREE && !free.includes(m)) free.push(m);
}
