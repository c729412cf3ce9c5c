/** Audio input devices as PortAudio sees them, and choosing one by index or name. */
import { read } from "bun:ffi";
import { UserError } from "../engine/errors.ts";
import { checkPa, cString, withPortAudio, type PortAudioLibrary } from "./portaudio.ts";

export interface InputDevice {
  /** PortAudio device index (valid until the next Pa_Initialize with a different configuration). */
  index: number;
  name: string;
  /** e.g. "ALSA", "Core Audio", "JACK Audio Connection Kit". */
  hostApi: string;
  maxInputChannels: number;
  defaultSampleRate: number;
  /** Seconds; PaStreamParameters.suggestedLatency for interactive use. */
  defaultLowInputLatency: number;
  /** Seconds; a safer latency for blocking reads. */
  defaultHighInputLatency: number;
  /** True for the system's default input. */
  isDefault: boolean;
}

export const NO_DEVICE_HINT =
  "connect a microphone and check that the audio server runs (`pactl info`); on a machine without sound hardware, " +
  'start the virtual microphone: eval "$(tests/support/virtual-mic/start-virtual-mic)"';

/**
 * Reads the input devices of an initialised PortAudio. PaDeviceInfo (x86-64/arm64): name@8 char*,
 * hostApi@16 i32, maxInputChannels@20 i32, defaultLowInputLatency@32 f64,
 * defaultHighInputLatency@48 f64, defaultSampleRate@64 f64. PaHostApiInfo: name@8 char*.
 */
export function readInputDevices(pa: PortAudioLibrary): InputDevice[] {
  const s = pa.symbols;
  const count = s.Pa_GetDeviceCount();
  checkPa(count, "Pa_GetDeviceCount");
  const defaultInput = s.Pa_GetDefaultInputDevice();
  const devices: InputDevice[] = [];
  for (let index = 0; index < count; index++) {
    const info = s.Pa_GetDeviceInfo(index);
    if (!info) continue;
    const maxInputChannels = read.i32(info, 20);
    if (maxInputChannels <= 0) continue;
    const host = s.Pa_GetHostApiInfo(read.i32(info, 16));
    devices.push({
      index,
      name: cString(read.ptr(info, 8)),
      hostApi: host ? cString(read.ptr(host, 8)) : "?",
      maxInputChannels,
      defaultLowInputLatency: read.f64(info, 32),
      defaultHighInputLatency: read.f64(info, 48),
      defaultSampleRate: read.f64(info, 64),
      isDefault: index === defaultInput,
    });
  }
  return devices;
}

/** Initialises PortAudio, lists the input devices, terminates. */
export function listInputDevices(env?: Record<string, string | undefined>): InputDevice[] {
  return withPortAudio(readInputDevices, env);
}

function describeDevices(devices: InputDevice[]): string {
  return devices.map((d) => `${d.index} "${d.name}"`).join(", ");
}

/**
 * Chooses a device: `undefined` → the default input (or the only one); a number or an all-digit
 * string → that PortAudio index; any other string → the device whose name equals it, or else the
 * only one whose name contains it (case-insensitive). Throws a UserError listing the devices.
 */
export function selectInputDevice(devices: InputDevice[], selector?: string | number): InputDevice {
  if (devices.length === 0) throw new UserError("no audio input device found", NO_DEVICE_HINT);
  const listing = `inputs: ${describeDevices(devices)}`;
  if (selector === undefined || selector === "") {
    const chosen = devices.find((d) => d.isDefault) ?? (devices.length === 1 ? devices[0] : undefined);
    if (chosen) return chosen;
    throw new UserError(`there is no default input device (${listing})`, "choose one with --device NAME|INDEX");
  }
  const text = String(selector).trim();
  if (/^\d+$/.test(text)) {
    const index = Number(text);
    const chosen = devices.find((d) => d.index === index);
    if (chosen) return chosen;
    throw new UserError(`no input device has index ${index} (${listing})`, "run `bun devices` and pass one of the listed indices");
  }
  const wanted = text.toLowerCase();
  const exact = devices.filter((d) => d.name.toLowerCase() === wanted);
  if (exact.length === 1) return exact[0]!;
  const matches = exact.length > 1 ? exact : devices.filter((d) => d.name.toLowerCase().includes(wanted));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new UserError(`no input device matches "${text}" (${listing})`, "pass part of a listed name, or its index");
  }
  throw new UserError(`"${text}" matches ${matches.length} input devices: ${describeDevices(matches)}`, "pass a longer part of the name, or the index");
}
