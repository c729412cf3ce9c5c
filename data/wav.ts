import { WaveFile } from "wavefile";
import { UserError } from "../engine/errors.ts";

/** Decoded audio: samples in [-1, 1], interleaved when channels > 1. */
export interface DecodedAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved frames, `length = frames * channels`. */
  samples: Float32Array;
  /** Human-readable encoding, e.g. "int16", "float32", "mulaw". */
  encoding: string;
}

interface FmtChunk {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_FLOAT = 3;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function fail(name: string, problem: string, hint?: string): never {
  throw new UserError(`${name}: ${problem}`, hint);
}

/**
 * Decodes a whole WAV file (integer PCM 8/16/24/32-bit, float 32/64-bit, µ-law, A-law; any
 * channel count and rate). Every malformed input becomes a UserError naming the file.
 */
export function decodeWav(bytes: Uint8Array, name = "input"): DecodedAudio {
  if (bytes.length === 0) fail(name, "the file is empty", "record or export the audio again");
  if (bytes.length < 12) fail(name, `only ${bytes.length} bytes: too short to be a WAV file`);
  const tag = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  const wave = String.fromCharCode(bytes[8]!, bytes[9]!, bytes[10]!, bytes[11]!);
  if ((tag !== "RIFF" && tag !== "RIFX" && tag !== "RF64") || wave !== "WAVE") {
    fail(name, "not a WAV file (no RIFF/WAVE header)", "convert it first, e.g. `sox in.mp3 out.wav`");
  }
  let wav: WaveFile;
  try {
    wav = new WaveFile(bytes);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    fail(name, `unreadable WAV (${reason.replace(/\.$/, "")})`, "the file may be truncated or corrupt; re-export it");
  }
  const fmt = wav.fmt as FmtChunk;
  let format = fmt.audioFormat;
  if (format === WAVE_FORMAT_EXTENSIBLE) {
    // The sub-format GUID's first two bytes carry the real format code.
    const sub = (wav.fmt as { subformat?: number[] }).subformat;
    format = sub && sub.length > 0 ? sub[0]! & 0xffff : WAVE_FORMAT_PCM;
  }
  const channels = fmt.numChannels;
  const sampleRate = fmt.sampleRate;
  const bits = fmt.bitsPerSample;
  if (!(channels >= 1 && channels <= 64)) fail(name, `invalid channel count ${channels}`);
  if (!(sampleRate >= 1000 && sampleRate <= 768000)) fail(name, `unsupported sample rate ${sampleRate} Hz`);

  let encoding: string;
  if (format === WAVE_FORMAT_MULAW || format === WAVE_FORMAT_ALAW) {
    encoding = format === WAVE_FORMAT_MULAW ? "mulaw" : "alaw";
    try {
      if (format === WAVE_FORMAT_MULAW) wav.fromMuLaw("16");
      else wav.fromALaw("16");
    } catch {
      fail(name, `could not decode ${encoding} audio`);
    }
  } else if (format === WAVE_FORMAT_PCM) {
    if (![8, 16, 24, 32].includes(bits)) fail(name, `unsupported PCM bit depth ${bits}`, "convert to 16-bit PCM, e.g. `sox in.wav -b 16 out.wav`");
    encoding = bits === 8 ? "uint8" : `int${bits}`;
  } else if (format === WAVE_FORMAT_FLOAT) {
    if (bits !== 32 && bits !== 64) fail(name, `unsupported float bit depth ${bits}`);
    encoding = `float${bits}`;
  } else {
    fail(name, `unsupported codec (WAV format tag ${format})`, "convert to PCM, e.g. `sox in.wav -e signed-integer -b 16 out.wav`");
  }

  const dataBytes = (wav.data as { samples: Uint8Array }).samples;
  if (!dataBytes || dataBytes.length === 0) fail(name, "the WAV has no samples", "record or export the audio again");
  let raw: Float64Array;
  try {
    raw = wav.getSamples(true, Float64Array) as unknown as Float64Array;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    fail(name, `could not read samples (${reason})`);
  }
  const frames = Math.floor(raw.length / channels);
  if (frames === 0) fail(name, "the WAV has no complete sample frames");
  const samples = new Float32Array(frames * channels);
  const outBits = encoding === "mulaw" || encoding === "alaw" ? 16 : bits;
  if (encoding.startsWith("float")) {
    for (let i = 0; i < samples.length; i++) samples[i] = raw[i]!;
  } else if (outBits === 8) {
    for (let i = 0; i < samples.length; i++) samples[i] = (raw[i]! - 128) / 128;
  } else {
    const scale = 1 / 2 ** (outBits - 1);
    for (let i = 0; i < samples.length; i++) samples[i] = raw[i]! * scale;
  }
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i]!)) fail(name, "the WAV holds non-finite float samples (NaN or infinity)");
  }
  return { sampleRate, channels, samples, encoding };
}

/** Averages interleaved channels into one mono signal. Returns the input itself when mono. */
export function mixToMono(samples: Float32Array, channels: number): Float32Array {
  if (channels === 1) return samples;
  const frames = Math.floor(samples.length / channels);
  const out = new Float32Array(frames);
  const g = 1 / channels;
  for (let f = 0, i = 0; f < frames; f++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += samples[i++]!;
    out[f] = s * g;
  }
  return out;
}

/** Encodes mono or interleaved float samples as a 16-bit PCM WAV file. */
export function encodeWav16(samples: Float32Array, sampleRate: number, channels = 1): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(out.buffer);
  writeWavHeader(view, sampleRate, channels, samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]!));
    view.setInt16(44 + i * 2, Math.round(v < 0 ? v * 32768 : v * 32767), true);
  }
  return out;
}

/** Writes the 44-byte canonical header of a 16-bit PCM WAV into `view` (offset 0). */
export function writeWavHeader(view: DataView, sampleRate: number, channels: number, dataBytes: number): void {
  const ascii = (off: number, s: string) => {
    for (let i = 0; i < s.length; i++) view.setUint8(off + i, s.charCodeAt(i));
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, WAVE_FORMAT_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
}
