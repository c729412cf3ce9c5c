import type { WaveFile } from "wavefile";
import { UserError } from "../errors.ts";
import { parseWavHeader } from "./wav-reader.ts";

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

interface RiffLayout {
  format: number;
  channels: number;
  sampleRate: number;
  bits: number;
  dataOffset: number;
  dataBytes: number;
}

/** Integer PCM (8-bit unsigned, 16/24/32-bit signed) and float 32/64, little-endian, to floats. */
function decodePcm(bytes: Uint8Array, l: RiffLayout): Float32Array {
  const bytesPerSample = l.bits / 8;
  const count = Math.floor(l.dataBytes / (bytesPerSample * l.channels)) * l.channels;
  const out = new Float32Array(count);
  const off = l.dataOffset;
  const aligned = (bytes.byteOffset + off) % bytesPerSample === 0;
  if (l.format === WAVE_FORMAT_FLOAT && l.bits === 32 && aligned) {
    out.set(new Float32Array(bytes.buffer, bytes.byteOffset + off, count));
    return out;
  }
  if (l.format === WAVE_FORMAT_PCM && l.bits === 16 && aligned) {
    const src = new Int16Array(bytes.buffer, bytes.byteOffset + off, count);
    // × 2^-15 is exact, and a multiplication is several times cheaper than a division
    const scale = 1 / 32768;
    for (let i = 0; i < count; i++) out[i] = src[i]! * scale;
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + off, count * bytesPerSample);
  if (l.format === WAVE_FORMAT_FLOAT) {
    for (let i = 0; i < count; i++) out[i] = l.bits === 32 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
    return out;
  }
  switch (l.bits) {
    case 8:
      for (let i = 0; i < count; i++) out[i] = (view.getUint8(i) - 128) / 128;
      break;
    case 16:
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true) / 32768;
      break;
    case 24:
      for (let i = 0, p = 0; i < count; i++, p += 3) {
        const v = view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16);
        out[i] = v / 8388608;
      }
      break;
    case 32:
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true) / 2147483648;
      break;
  }
  return out;
}

/** Checks a WAV's format fields; returns the encoding's name ("int16", "float32", "mulaw", …). */
export function checkLayout(name: string, format: number, channels: number, sampleRate: number, bits: number): string {
  if (!(channels >= 1 && channels <= 64)) fail(name, `invalid channel count ${channels}`);
  if (!(sampleRate >= 1000 && sampleRate <= 768000)) fail(name, `unsupported sample rate ${sampleRate} Hz`);
  if (format === WAVE_FORMAT_MULAW) return "mulaw";
  if (format === WAVE_FORMAT_ALAW) return "alaw";
  if (format === WAVE_FORMAT_PCM) {
    if (![8, 16, 24, 32].includes(bits)) fail(name, `unsupported PCM bit depth ${bits}`, "convert to 16-bit PCM, e.g. `sox in.wav -b 16 out.wav`");
    return bits === 8 ? "uint8" : `int${bits}`;
  }
  if (format === WAVE_FORMAT_FLOAT) {
    if (bits !== 32 && bits !== 64) fail(name, `unsupported float bit depth ${bits}`);
    return `float${bits}`;
  }
  fail(name, `unsupported codec (WAV format tag ${format})`, "convert to PCM, e.g. `sox in.wav -e signed-integer -b 16 out.wav`");
}

function checkFinite(name: string, samples: Float32Array): void {
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (v - v !== 0) fail(name, "the WAV holds non-finite float samples (NaN or infinity)");
  }
}

/**
 * Decodes a whole WAV file (integer PCM 8/16/24/32-bit, float 32/64-bit, µ-law, A-law; any
 * channel count and rate). Every malformed input becomes a UserError naming the file.
 * Little-endian PCM and float are read directly from the bytes (the hot path of batch
 * prediction); µ-law, A-law, RIFX and RF64 go through wavefile.
 */
export function decodeWav(bytes: Uint8Array, name = "input"): DecodedAudio {
  const layout = readLayout(bytes, name);
  if (layout) {
    const samples = decodePcm(bytes, layout);
    if (samples.length === 0) fail(name, "the WAV has no complete sample frames", "record or export the audio again");
    if (layout.encoding.startsWith("float")) checkFinite(name, samples);
    return { sampleRate: layout.sampleRate, channels: layout.channels, samples, encoding: layout.encoding };
  }
  return decodeWithWavefile(bytes, name);
}

/**
 * Checks the header; returns the layout of a little-endian PCM or float WAV that `decodePcm`
 * reads, or null for what goes through wavefile (µ-law, A-law, RIFX, RF64).
 */
function readLayout(bytes: Uint8Array, name: string): (RiffLayout & { encoding: string }) | null {
  if (bytes.length === 0) fail(name, "the file is empty", "record or export the audio again");
  if (bytes.length < 12) fail(name, `only ${bytes.length} bytes: too short to be a WAV file`);
  const tag = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  const wave = String.fromCharCode(bytes[8]!, bytes[9]!, bytes[10]!, bytes[11]!);
  if ((tag !== "RIFF" && tag !== "RIFX" && tag !== "RF64") || wave !== "WAVE") {
    fail(name, "not a WAV file (no RIFF/WAVE header)", "convert it first, e.g. `sox in.mp3 out.wav`");
  }
  // the same chunk walk as files read from disk (a chunk without its pad byte is found too)
  const readAt = (offset: number, length: number) => bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length));
  const l = parseWavHeader(readAt, bytes.length, name);
  if (!l || l.encoding === "mulaw" || l.encoding === "alaw") return null;
  const format = l.encoding.startsWith("float") ? WAVE_FORMAT_FLOAT : WAVE_FORMAT_PCM;
  return {
    format,
    channels: l.channels,
    sampleRate: l.sampleRate,
    bits: l.sampleBytes * 8,
    dataOffset: l.dataOffset,
    dataBytes: l.dataBytes,
    encoding: l.encoding,
  };
}

/** A WAV's samples mixed to mono, decoded on demand, block by block. */
export interface MonoDecoder {
  sampleRate: number;
  /** Channels of the file (they are mixed to one). */
  channels: number;
  encoding: string;
  /** Frames (mono samples) in the file. */
  frames: number;
  /** Decodes frames [from, from + dst.length) into `dst`, fewer at the end; returns how many. */
  decodeInto(dst: Float32Array, from: number): number;
}

/**
 * A decoder that mixes to mono as it decodes, with exactly the samples of `decodeWav` then
 * `mixToMono`. 16-bit PCM and 32-bit float (the formats of the test streams, any channel count)
 * are read straight from `bytes` when asked, so a stream is never held decoded in full: no large
 * allocation, each block decoded just before it is used. Other formats are decoded up front.
 * Errors (bad header, truncation, non-finite floats) are thrown here, not by `decodeInto`.
 */
export function monoDecoder(bytes: Uint8Array, name = "input"): MonoDecoder {
  const l = readLayout(bytes, name);
  const bytesPerSample = l ? l.bits / 8 : 0;
  const off = l ? bytes.byteOffset + l.dataOffset : 0;
  if (!l || off % bytesPerSample !== 0 || (l.encoding !== "int16" && l.encoding !== "float32")) {
    const a = decodeWav(bytes, name);
    const mono = mixToMono(a.samples, a.channels);
    return { ...a, frames: mono.length, decodeInto: (dst, from) => copyFrom(mono, dst, from) };
  }
  const ch = l.channels;
  const frames = Math.floor(l.dataBytes / (bytesPerSample * ch));
  if (frames === 0) fail(name, "the WAV has no complete sample frames", "record or export the audio again");
  const info = { sampleRate: l.sampleRate, channels: ch, encoding: l.encoding, frames };
  if (l.encoding === "int16") {
    const src = new Int16Array(bytes.buffer, off, frames * ch);
    return { ...info, decodeInto: (dst, from) => mixInt16(src, ch, from, Math.min(dst.length, frames - from), dst) };
  }
  const src = new Float32Array(bytes.buffer, off, frames * ch);
  checkFinite(name, src);
  return { ...info, decodeInto: (dst, from) => mixFloat32(src, ch, from, Math.min(dst.length, frames - from), dst) };
}

function copyFrom(mono: Float32Array, dst: Float32Array, from: number): number {
  const n = Math.max(0, Math.min(dst.length, mono.length - from));
  dst.set(mono.subarray(from, from + n));
  return n;
}

/*
 * The mixing loops do what decodePcm then mixToMono do, in the same order (a sum from 0 over the
 * channels, then × 1/channels; int16 scaled by the exact 2^-15 first), so the samples are the same.
 */

function mixInt16(src: Int16Array, ch: number, from: number, n: number, dst: Float32Array): number {
  if (n <= 0) return 0;
  const scale = 1 / 32768;
  if (ch === 1) {
    for (let f = 0; f < n; f++) dst[f] = src[from + f]! * scale;
    return n;
  }
  const g = 1 / ch;
  if (ch === 2) {
    for (let f = 0, i = 2 * from; f < n; f++, i += 2) {
      let s = 0;
      s += src[i]! * scale;
      s += src[i + 1]! * scale;
      dst[f] = s * g;
    }
    return n;
  }
  for (let f = 0, i = from * ch; f < n; f++) {
    let s = 0;
    for (let c = 0; c < ch; c++) s += src[i++]! * scale;
    dst[f] = s * g;
  }
  return n;
}

function mixFloat32(src: Float32Array, ch: number, from: number, n: number, dst: Float32Array): number {
  if (n <= 0) return 0;
  if (ch === 1) {
    dst.set(src.subarray(from, from + n));
    return n;
  }
  const g = 1 / ch;
  for (let f = 0, i = from * ch; f < n; f++) {
    let s = 0;
    for (let c = 0; c < ch; c++) s += src[i++]!;
    dst[f] = s * g;
  }
  return n;
}

/**
 * `decodeWav` then `mixToMono`, with the same samples bit for bit; `channels` stays the file's
 * count. 16-bit PCM and 32-bit float are mixed while decoding, without the interleaved copy.
 */
export function decodeWavMono(bytes: Uint8Array, name = "input"): DecodedAudio {
  const d = monoDecoder(bytes, name);
  const samples = new Float32Array(d.frames);
  d.decodeInto(samples, 0);
  return { sampleRate: d.sampleRate, channels: d.channels, samples, encoding: d.encoding };
}

function decodeWithWavefile(bytes: Uint8Array, name: string): DecodedAudio {
  let wav: WaveFile;
  try {
    // Loaded on first use: the common formats never need it, and it costs every command's start-up.
    const { WaveFile } = require("wavefile") as typeof import("wavefile");
    wav = new WaveFile(bytes);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    fail(name, `unreadable WAV (${reason.replace(/\.$/, "")})`, "the file may be truncated or corrupt; re-export it");
  }
  const fmt = wav.fmt as FmtChunk;
  let format = fmt.audioFormat;
  if (format === WAVE_FORMAT_EXTENSIBLE) {
    const sub = (wav.fmt as { subformat?: number[] }).subformat;
    format = sub && sub.length > 0 ? sub[0]! & 0xffff : WAVE_FORMAT_PCM;
  }
  const { numChannels: channels, sampleRate, bitsPerSample: bits } = fmt;
  const encoding = checkLayout(name, format, channels, sampleRate, bits);
  if (encoding === "mulaw" || encoding === "alaw") {
    try {
      if (encoding === "mulaw") wav.fromMuLaw("16");
      else wav.fromALaw("16");
    } catch {
      fail(name, `could not decode ${encoding} audio`);
    }
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
    checkFinite(name, samples);
  } else if (outBits === 8) {
    for (let i = 0; i < samples.length; i++) samples[i] = (raw[i]! - 128) / 128;
  } else {
    const scale = 1 / 2 ** (outBits - 1);
    for (let i = 0; i < samples.length; i++) samples[i] = raw[i]! * scale;
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
