/** Messages between the main thread (microphone.ts) and the capture Worker (capture-worker.ts). */
import type { InputDevice } from "./devices.ts";

/** Int32 slots of the control SharedArrayBuffer the main thread creates. */
export const CONTROL_STOP = 0; // main stores 1 to end the capture loop
export const CONTROL_OVERFLOWS = 1; // worker counts paInputOverflowed reads
export const CONTROL_READS = 2; // worker counts Pa_ReadStream calls (a liveness counter)
export const CONTROL_SLOTS = 4;

export interface CaptureRequest {
  type: "start";
  control: SharedArrayBuffer;
  device?: string | number;
  /** Requested rate; undefined → the device's default rate. */
  sampleRate?: number;
  /** Channels to open (mixed to mono); undefined → mono, or stereo if the device refuses mono. */
  channels?: number;
  /** Frames per Pa_ReadStream call, in ms of audio. */
  blockMs: number;
  /** Ring capacity, in seconds of audio. */
  bufferSeconds: number;
  latency: "low" | "high";
  /** The main thread's audio environment (PULSE_SERVER, ALSA_CONFIG_PATH...), applied before Pa_Initialize. */
  env: Record<string, string | undefined>;
}

export interface CaptureStarted {
  type: "started";
  ring: SharedArrayBuffer;
  device: InputDevice;
  sampleRate: number;
  /** Channels opened on the device (mixed to mono before the ring). */
  channels: number;
  framesPerRead: number;
  /** Seconds of host buffering asked for. */
  latency: number;
}

export interface CaptureFailed {
  type: "error";
  /** "open": the stream never started; "capture": it failed while running. */
  phase: "open" | "capture";
  message: string;
  hint?: string;
  /** The PaError, when PortAudio reported one. */
  code?: number;
}

export interface CaptureStopped {
  type: "stopped";
}

export type CaptureMessage = CaptureStarted | CaptureFailed | CaptureStopped;
