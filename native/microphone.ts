/**
 * The microphone source: a capture Worker (capture-worker.ts) reads the device with blocking
 * Pa_ReadStream and fills a shared FloatRingBuffer of mono samples; the main thread reads the
 * ring. Usage:
 *
 *   const mic = createMicrophone({ device: "default" });
 *   const info = await mic.start();            // resolves once the stream is running
 *   mic.onError((e) => ...);                    // device failures while running
 *   const n = mic.ring.read(buffer);            // consume samples at info.sampleRate
 *   await mic.stop();                           // stream stopped, Pa_Terminate called
 */
import { UserError } from "../engine/errors.ts";
import { FloatRingBuffer } from "../engine/ring-buffer.ts";
import { CONTROL_OVERFLOWS, CONTROL_READS, CONTROL_SLOTS, CONTROL_STOP, type CaptureMessage, type CaptureRequest } from "./capture-protocol.ts";
import type { InputDevice } from "./devices.ts";
import { AUDIO_ENV_VARS } from "./audio-env.ts";

export interface MicrophoneOptions {
  /** Device index or case-insensitive name substring; default: the system's default input. */
  device?: string | number;
  /** Capture rate in Hz; default: the device's own default rate (resample downstream). */
  sampleRate?: number;
  /** Channels to open on the device, mixed to mono in the capture thread; default mono (stereo if the device refuses mono). */
  channels?: number;
  /** Ring capacity in seconds of audio (default 4): how long the consumer may stall before samples are dropped. */
  bufferSeconds?: number;
  /** Audio per Pa_ReadStream call in ms (default 10): the granularity samples reach the ring with. */
  blockMs?: number;
  /** Host buffering: the device's default "high" input latency (default, fewer overflows) or "low". */
  latency?: "low" | "high";
  /** Audio environment (PULSE_SERVER, ALSA_CONFIG_PATH...) for PortAudio; default process.env. */
  env?: Record<string, string | undefined>;
  /** ms to wait for the capture thread to stop before terminating it (default 3000). */
  stopTimeoutMs?: number;
}

export interface MicrophoneInfo {
  device: InputDevice;
  /** Rate of the samples in the ring. */
  sampleRate: number;
  /** Channels opened on the device; the ring always holds their mono mix. */
  channels: number;
  framesPerRead: number;
  /** Seconds of host buffering that were asked for. */
  latency: number;
}

/** A failure of the running capture, shaped like the engine's `device-error` event. */
export interface MicrophoneError {
  message: string;
  hint?: string;
  /** PaError code, when PortAudio gave one (e.g. -9999 when the audio server dies). */
  code?: number;
}

export interface Microphone {
  /** Opens and starts the device; resolves once samples are flowing. Rejects with a UserError. */
  start(): Promise<MicrophoneInfo>;
  /** Stops the capture (idempotent). The ring stays readable and is marked closed. */
  stop(): Promise<void>;
  /** Resolves with the same value as start(), once the stream has started. */
  readonly ready: Promise<MicrophoneInfo>;
  readonly info: MicrophoneInfo | undefined;
  /** The shared ring of mono float samples (throws before start() has resolved). */
  readonly ring: FloatRingBuffer;
  readonly sampleRate: number;
  readonly deviceName: string;
  readonly running: boolean;
  /** Reads that PortAudio flagged paInputOverflowed (the host buffer overflowed: audio lost before the ring). */
  readonly inputOverflows: number;
  /** Pa_ReadStream calls so far (changes while the capture thread is alive). */
  readonly reads: number;
  /** The failure that ended the capture, if any. */
  readonly error: MicrophoneError | undefined;
  /** Calls `listener` when the running capture fails; returns an unsubscribe function. */
  onError(listener: (error: MicrophoneError) => void): () => void;
}

export function createMicrophone(options: MicrophoneOptions = {}): Microphone {
  return new WorkerMicrophone(options);
}

/** Starts a microphone and waits until it runs: `await openMicrophone(opts)` = createMicrophone + start. */
export async function openMicrophone(options: MicrophoneOptions = {}): Promise<Microphone> {
  const mic = createMicrophone(options);
  await mic.start();
  return mic;
}

type State = "idle" | "starting" | "running" | "stopping" | "stopped";

class WorkerMicrophone implements Microphone {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  private worker: Worker | null = null;
  private state: State = "idle";
  private started: MicrophoneInfo | undefined;
  private sharedRing: FloatRingBuffer | undefined;
  private failure: MicrophoneError | undefined;
  private readonly listeners = new Set<(error: MicrophoneError) => void>();
  private resolveReady!: (info: MicrophoneInfo) => void;
  private rejectReady!: (err: Error) => void;
  private resolveExit!: () => void;
  private readonly exited = new Promise<void>((resolve) => (this.resolveExit = resolve));
  readonly ready: Promise<MicrophoneInfo>;

  constructor(private readonly options: MicrophoneOptions) {
    this.ready = new Promise<MicrophoneInfo>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => {}); // start() reports the failure; don't make it an unhandled rejection too
  }

  get info() {
    return this.started;
  }
  get ring(): FloatRingBuffer {
    if (!this.sharedRing) throw new Error("Microphone.ring: start() has not resolved yet");
    return this.sharedRing;
  }
  get sampleRate() {
    return this.started?.sampleRate ?? 0;
  }
  get deviceName() {
    return this.started?.device.name ?? "";
  }
  get running() {
    return this.state === "running";
  }
  get inputOverflows() {
    return Atomics.load(this.control, CONTROL_OVERFLOWS);
  }
  get reads() {
    return Atomics.load(this.control, CONTROL_READS);
  }
  get error() {
    return this.failure;
  }

  onError(listener: (error: MicrophoneError) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): Promise<MicrophoneInfo> {
    if (this.state !== "idle") return this.ready;
    this.state = "starting";
    const o = this.options;
    if (o.sampleRate !== undefined && !(o.sampleRate >= 1000 && o.sampleRate <= 384000)) {
      this.fail(new UserError(`sample rate must be between 1000 and 384000 Hz, got ${o.sampleRate}`));
      return this.ready;
    }
    if (o.channels !== undefined && !(Number.isInteger(o.channels) && o.channels >= 1)) {
      this.fail(new UserError(`channels must be a positive integer, got ${o.channels}`));
      return this.ready;
    }
    const env: Record<string, string | undefined> = {};
    for (const name of AUDIO_ENV_VARS) env[name] = (o.env ?? process.env)[name];
    const request: CaptureRequest = {
      type: "start",
      control: this.control.buffer as SharedArrayBuffer,
      device: o.device,
      sampleRate: o.sampleRate,
      channels: o.channels,
      blockMs: o.blockMs ?? 10,
      bufferSeconds: o.bufferSeconds ?? 4,
      latency: o.latency ?? "high",
      env,
    };
    const worker = new Worker(new URL("./capture-worker.ts", import.meta.url).href);
    this.worker = worker;
    worker.onmessage = (event: MessageEvent<CaptureMessage>) => this.handle(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.handle({ type: "error", phase: this.state === "starting" ? "open" : "capture", message: `capture thread crashed: ${event.message}` });
      this.handle({ type: "stopped" });
    };
    worker.postMessage(request);
    return this.ready;
  }

  private handle(message: CaptureMessage): void {
    switch (message.type) {
      case "started": {
        const { ring, type: _, ...info } = message;
        this.sharedRing = new FloatRingBuffer(ring);
        this.started = info;
        if (this.state === "starting") this.state = "running";
        this.resolveReady(info);
        return;
      }
      case "error": {
        const error: MicrophoneError = { message: message.message, hint: message.hint, code: message.code };
        if (message.phase === "open" || this.state === "starting") {
          this.fail(new UserError(message.message, message.hint));
          return;
        }
        this.failure ??= error;
        for (const listener of this.listeners) listener(error);
        return;
      }
      case "stopped":
        this.finish();
        return;
    }
  }

  private fail(err: UserError): void {
    this.failure = { message: err.message, hint: err.hint };
    this.rejectReady(err);
    this.finish();
  }

  /**
   * The only place the ring is closed: after the worker's messages have been handled (it posts
   * "error" before "stopped"), so a consumer never sees the end of the stream before the failure.
   */
  private finish(): void {
    if (this.state !== "stopped") this.state = "stopped";
    this.sharedRing?.close();
    this.worker?.terminate();
    this.worker = null;
    this.resolveExit();
  }

  async stop(): Promise<void> {
    if (this.state === "idle") {
      this.state = "stopped";
      this.resolveExit();
      return;
    }
    if (this.state === "stopped") return this.exited;
    this.state = "stopping";
    Atomics.store(this.control, CONTROL_STOP, 1);
    const timeoutMs = this.options.stopTimeoutMs ?? 3000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)));
    const late = await Promise.race([this.exited.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) {
      // The capture thread is stuck in a native call: kill it rather than hang the process.
      this.finish();
    }
  }
}
