/**
 * PortAudio (v19) through bun:ffi: the library, the dozen functions the project uses, its error
 * codes, and stream opening. Only blocking reads are used: a JSCallback as the PortAudio stream
 * callback corrupts or hangs under Bun (see /work/shared/audio/README.md).
 */
import { CString, dlopen, FFIType, ptr, read, type Pointer } from "bun:ffi";
import { UserError } from "../engine/errors.ts";
import { AUDIO_ENV_VARS } from "./audio-env.ts";
import { quietNativeStderr, setNativeEnv, withStderrSilenced } from "./libc.ts";

export const paFloat32 = 0x1;
export const paInt16 = 0x8;

export const paNoError = 0;
export const paNotInitialized = -10000;
export const paUnanticipatedHostError = -9999;
export const paInvalidChannelCount = -9998;
export const paInvalidSampleRate = -9997;
export const paInvalidDevice = -9996;
export const paSampleFormatNotSupported = -9994;
export const paDeviceUnavailable = -9985;
export const paInputOverflowed = -9981;
export const paNoDevice = -1;

export { AUDIO_ENV_VARS };

const SYMBOLS = {
  Pa_Initialize: { args: [], returns: FFIType.i32 },
  Pa_Terminate: { args: [], returns: FFIType.i32 },
  Pa_GetVersionText: { args: [], returns: FFIType.ptr },
  Pa_GetErrorText: { args: [FFIType.i32], returns: FFIType.ptr },
  Pa_GetDeviceCount: { args: [], returns: FFIType.i32 },
  Pa_GetDefaultInputDevice: { args: [], returns: FFIType.i32 },
  Pa_GetDeviceInfo: { args: [FFIType.i32], returns: FFIType.ptr },
  Pa_GetHostApiInfo: { args: [FFIType.i32], returns: FFIType.ptr },
  // (PaStream**, const PaStreamParameters* in, const PaStreamParameters* out, double rate,
  //  unsigned long framesPerBuffer, unsigned long flags, PaStreamCallback*, void* userData)
  Pa_OpenStream: {
    args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.f64, FFIType.u64, FFIType.u64, FFIType.ptr, FFIType.ptr],
    returns: FFIType.i32,
  },
  Pa_StartStream: { args: [FFIType.ptr], returns: FFIType.i32 },
  Pa_ReadStream: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
  Pa_GetStreamReadAvailable: { args: [FFIType.ptr], returns: FFIType.i64_fast },
  Pa_StopStream: { args: [FFIType.ptr], returns: FFIType.i32 },
  Pa_CloseStream: { args: [FFIType.ptr], returns: FFIType.i32 },
} as const;

export type PortAudioSymbols = ReturnType<typeof dlopen<typeof SYMBOLS>>["symbols"];

export interface PortAudioLibrary {
  symbols: PortAudioSymbols;
  /** The name or path that dlopen accepted. */
  path: string;
}

/** Names tried in order; SPOKEN_DIGITS_PORTAUDIO=/path/to/lib overrides them all. */
export function portAudioCandidates(): string[] {
  const override = process.env.SPOKEN_DIGITS_PORTAUDIO;
  if (override) return [override];
  if (process.platform === "darwin") {
    return ["libportaudio.dylib", "libportaudio.2.dylib", "/opt/homebrew/lib/libportaudio.dylib", "/usr/local/lib/libportaudio.dylib"];
  }
  return ["libportaudio.so.2", "libportaudio.so"];
}

let library: PortAudioLibrary | undefined;

/** Loads PortAudio once per thread; throws a UserError with the install command when it is missing. */
export function loadPortAudio(): PortAudioLibrary {
  if (library) return library;
  const tried = portAudioCandidates();
  for (const path of tried) {
    try {
      library = { symbols: dlopen(path, SYMBOLS).symbols, path };
      quietNativeStderr();
      return library;
    } catch {
      // try the next name
    }
  }
  const hint =
    process.platform === "darwin"
      ? "install it with `brew install portaudio`"
      : "install it with `sudo apt-get install libportaudio2` (Fedora: `sudo dnf install portaudio`)";
  throw new UserError(`PortAudio library not found (tried ${tried.join(", ")})`, hint);
}

export function cString(p: Pointer | number | bigint | null): string {
  return p ? new CString(Number(p) as Pointer).toString() : "";
}

/** PortAudio's own text for an error code, e.g. -9996 → "Invalid device". */
export function paErrorText(code: number): string {
  try {
    const text = cString(loadPortAudio().symbols.Pa_GetErrorText(code));
    if (text) return text;
  } catch {
    // library unavailable: fall through
  }
  return `PortAudio error ${code}`;
}

const HINTS: Record<number, string> = {
  [paUnanticipatedHostError]:
    "the audio device or server went away (unplugged, or PulseAudio stopped): reconnect it and start again; `bun devices` lists what is available",
  [paInvalidDevice]: "run `bun devices` to see the input devices, then pass one with --device NAME|INDEX",
  [paInvalidChannelCount]: "the device does not support that channel count; pick another with --device (see `bun devices`)",
  [paInvalidSampleRate]: "the device cannot capture at that rate; use its default rate (shown by `bun devices`)",
  [paSampleFormatNotSupported]: "the device does not deliver 32-bit float samples; pick another with --device (see `bun devices`)",
  [paDeviceUnavailable]: "the device is busy or gone: close other programs using it, or pick another with --device (see `bun devices`)",
};

/** A PortAudio call that failed; `code` is the PaError. */
export class PortAudioError extends UserError {
  constructor(
    readonly code: number,
    what: string,
  ) {
    super(`${what} failed: ${paErrorText(code)} (PaError ${code})`, HINTS[code]);
    this.name = "PortAudioError";
  }
}

export function checkPa(code: number, what: string): void {
  if (code < 0) throw new PortAudioError(code, what);
}

/** Copies the audio environment variables of `env` into the C environment PortAudio reads. */
export function applyAudioEnv(env: Record<string, string | undefined> = process.env): void {
  const vars: Record<string, string | undefined> = {};
  for (const name of AUDIO_ENV_VARS) vars[name] = env[name];
  setNativeEnv(vars);
}

/**
 * Pa_Initialize with the environment of `env` (default: process.env) and with ALSA/JACK's
 * probing noise kept off stderr. Pair every call with `terminatePortAudio()`.
 */
export function initializePortAudio(env: Record<string, string | undefined> = process.env): PortAudioLibrary {
  const pa = loadPortAudio();
  applyAudioEnv(env);
  checkPa(
    withStderrSilenced(() => pa.symbols.Pa_Initialize()),
    "Pa_Initialize",
  );
  return pa;
}

export function terminatePortAudio(): void {
  library?.symbols.Pa_Terminate();
}

/** Runs `fn` between Pa_Initialize and Pa_Terminate. */
export function withPortAudio<T>(fn: (pa: PortAudioLibrary) => T, env?: Record<string, string | undefined>): T {
  const pa = initializePortAudio(env);
  try {
    return fn(pa);
  } finally {
    terminatePortAudio();
  }
}

export function portAudioVersion(pa: PortAudioLibrary): string {
  return cString(pa.symbols.Pa_GetVersionText());
}

export interface InputStreamRequest {
  device: number;
  channels: number;
  sampleRate: number;
  /** Seconds of buffering asked of the host API (PaStreamParameters.suggestedLatency). */
  suggestedLatency: number;
  framesPerBuffer: number;
}

/**
 * Opens (does not start) a blocking paFloat32 input stream; returns the PaStream pointer.
 * PaStreamParameters on x86-64 / arm64: device@0 i32, channelCount@4 i32, sampleFormat@8 u64,
 * suggestedLatency@16 f64, hostApiSpecificStreamInfo@24 pointer (32 bytes).
 */
export function openInputStream(pa: PortAudioLibrary, request: InputStreamRequest): Pointer {
  const params = new ArrayBuffer(32);
  const view = new DataView(params);
  view.setInt32(0, request.device, true);
  view.setInt32(4, request.channels, true);
  view.setBigUint64(8, BigInt(paFloat32), true);
  view.setFloat64(16, request.suggestedLatency, true);
  view.setBigUint64(24, 0n, true);
  const streamOut = new BigUint64Array(1);
  const code = withStderrSilenced(() =>
    pa.symbols.Pa_OpenStream(ptr(streamOut), ptr(params), null, request.sampleRate, request.framesPerBuffer, 0, null, null),
  );
  checkPa(code, `opening the input stream (${request.sampleRate} Hz, ${request.channels} ch)`);
  const stream = read.ptr(ptr(streamOut), 0) as Pointer;
  if (!stream) throw new PortAudioError(paNotInitialized, "Pa_OpenStream");
  return stream;
}
