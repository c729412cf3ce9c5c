import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { UserError } from "../errors.ts";
import { Int16Mixer } from "./int16-mixer.ts";
import { checkLayout } from "./wav.ts";

/** Bytes a block reader reads at once (the memory it holds whatever the file's length). */
const READ_AHEAD_BYTES = 1 << 20;

/**
 * WAV files read from disk block by block: the header is walked chunk by chunk with positioned
 * reads and each block of samples is read and mixed to mono when it is asked for, so memory does
 * not depend on the file's length (an hour at 48 kHz, a 3 GB file, /dev/zero). The same header
 * walk and frame decoding serve byte streams (a FIFO, a pipe) through `parseWavHeader` and
 * `decodeFramesMono`.
 */

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Chunks walked before the data chunk: a header of more is not a WAV anyone wrote. */
const MAX_CHUNKS = 10_000;

export interface WavLayout {
  /** "uint8", "int16", "int24", "int32", "float32", "float64", "mulaw", "alaw". */
  encoding: string;
  channels: number;
  sampleRate: number;
  /** Bytes of one sample of one channel, and of one frame. */
  sampleBytes: number;
  frameBytes: number;
  /** Where the samples start, and how many bytes of them (Infinity: until the end of a stream). */
  dataOffset: number;
  dataBytes: number;
}

/** Reads up to `length` bytes at `offset` (fewer at the end of the input). */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/** Thrown by a stream's `ReadAt` when it has not yet buffered the bytes asked for. */
export class NeedMoreBytes extends Error {}

function fail(name: string, problem: string, hint?: string): never {
  throw new UserError(`${name}: ${problem}`, hint);
}

const ascii = (b: Uint8Array, at = 0) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);

/** Chunk ids that writers put between "fmt " and "data". */
const KNOWN_CHUNKS = new Set([
  "data",
  "fmt ",
  "LIST",
  "fact",
  "cue ",
  "bext",
  "id3 ",
  "ID3 ",
  "JUNK",
  "junk",
  "PAD ",
  "smpl",
  "inst",
  "iXML",
  "PEAK",
  "note",
  "labl",
]);

const isKnownChunk = (b: Uint8Array) => b.length >= 4 && KNOWN_CHUNKS.has(ascii(b));

/**
 * Walks the RIFF header through `readAt` up to the data chunk. `totalBytes` is the input's length
 * (Infinity for a stream). Returns null for RIFX and RF64, which only the whole-file decoder reads;
 * throws a UserError naming `name` for anything that cannot be a WAV.
 */
export function parseWavHeader(readAt: ReadAt, totalBytes: number, name: string): WavLayout | null {
  const head = readAt(0, 12);
  if (head.length === 0) fail(name, "the file is empty", "record or export the audio again");
  if (head.length < 12) fail(name, `only ${head.length} bytes: too short to be a WAV file`);
  const tag = ascii(head);
  if ((tag !== "RIFF" && tag !== "RIFX" && tag !== "RF64") || ascii(head, 8) !== "WAVE") {
    fail(name, "not a WAV file (no RIFF/WAVE header)", "convert it first, e.g. `sox in.mp3 out.wav`");
  }
  if (tag !== "RIFF") return null;
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | null = null;
  let pos = 12;
  for (let chunks = 0; chunks < MAX_CHUNKS; chunks++) {
    const h = readAt(pos, 8);
    if (h.length < 8) break;
    const id = ascii(h);
    const size = new DataView(h.buffer, h.byteOffset, 8).getUint32(4, true);
    const body = pos + 8;
    if (id === "fmt ") {
      if (size < 16) fail(name, `the fmt chunk is ${size} bytes, too short`, "the file is corrupt; re-export it");
      const b = readAt(body, Math.min(size, 40));
      if (b.length < 16) fail(name, "the file ends inside its fmt chunk (truncated)", "re-export or re-record the file");
      const v = new DataView(b.buffer, b.byteOffset, b.length);
      let format = v.getUint16(0, true);
      if (format === WAVE_FORMAT_EXTENSIBLE && b.length >= 26) format = v.getUint16(24, true);
      fmt = { format, channels: v.getUint16(2, true), sampleRate: v.getUint32(4, true), bits: v.getUint16(14, true) };
    } else if (id === "data") {
      if (!fmt) fail(name, "the data chunk comes before any fmt chunk", "the file is corrupt; re-export it");
      const encoding = checkLayout(name, fmt.format, fmt.channels, fmt.sampleRate, fmt.bits);
      const sampleBytes = encoding === "mulaw" || encoding === "alaw" ? 1 : fmt.bits / 8;
      const available = totalBytes - body;
      let dataBytes = size;
      // 0 and 0xFFFFFFFF are what streaming writers leave before they know the size: take the rest.
      if (size === 0 || size === 0xffffffff) dataBytes = available;
      else if (size > available) {
        fail(name, `the data chunk claims ${size} bytes but only ${available} follow (truncated, or a lying header)`, "re-export or re-record the file");
      }
      return { encoding, channels: fmt.channels, sampleRate: fmt.sampleRate, sampleBytes, frameBytes: sampleBytes * fmt.channels, dataOffset: body, dataBytes };
    }
    if (size > totalBytes - body) break;
    pos = body + size;
    // An odd chunk is followed by a pad byte; some writers leave it out. When only the position
    // without it holds a known chunk, that is where the next chunk is.
    if (size & 1 && !isKnownChunk(readAt(pos + 1, 4)) && isKnownChunk(readAt(pos, 4))) continue;
    pos += size & 1;
  }
  if (!fmt) fail(name, "no fmt chunk (truncated or not a WAV)", "the file is corrupt; re-export it");
  fail(name, "no data chunk: the WAV has no samples", "record or export the audio again");
}

let g711: { mulaw: Float32Array; alaw: Float32Array } | undefined;

/** The 256 values of each G.711 code, exactly as the whole-file decoder (wavefile) gives them. */
function g711Tables(): { mulaw: Float32Array; alaw: Float32Array } {
  if (g711) return g711;
  const { WaveFile } = require("wavefile") as typeof import("wavefile");
  const table = (depth: "8m" | "8a") => {
    const wav = new WaveFile();
    wav.fromScratch(
      1,
      8000,
      depth,
      Uint8Array.from({ length: 256 }, (_, i) => i),
    );
    if (depth === "8m") wav.fromMuLaw("16");
    else wav.fromALaw("16");
    const s = wav.getSamples(true, Float64Array) as unknown as Float64Array;
    return Float32Array.from(s, (x) => x / 32768);
  };
  g711 = { mulaw: table("8m"), alaw: table("8a") };
  return g711;
}

/** The mixer of 16-bit PCM (made on first use; one per process, used by one reader at a time). */
let mixer: Int16Mixer | undefined;
/** The reader whose read-ahead the mixer holds. */
let mixerOwner: WavFileReader | undefined;

function sharedMixer(): Int16Mixer {
  mixer ??= new Int16Mixer();
  return mixer;
}

/** 16-bit PCM of one or two channels: what the `mixint16` kernel decodes. */
const mixable = (layout: WavLayout) => layout.encoding === "int16" && layout.channels <= 2;

/**
 * Decodes `frames` frames of `layout` from `bytes` (starting at its first byte) into `dst` from
 * `at`, mixed to mono: each sample rounded to float32, the channels summed in order and × 1 /
 * channels, as decodeWav then mixToMono do, so the samples are the same.
 */
export function decodeFramesMono(bytes: Uint8Array, frames: number, layout: WavLayout, dst: Float32Array, at = 0): void {
  const ch = layout.channels;
  if (mixable(layout)) {
    mixerOwner = undefined;
    sharedMixer().mixInto(bytes.subarray(0, frames * layout.frameBytes), frames, ch, dst, at);
    return;
  }
  const g = 1 / ch;
  const aligned = bytes.byteOffset % layout.sampleBytes === 0;
  // the formats of nearly every file, read through typed arrays (several times faster)
  if (aligned && (layout.encoding === "int16" || layout.encoding === "float32")) {
    const int16 = layout.encoding === "int16";
    const src = int16 ? new Int16Array(bytes.buffer, bytes.byteOffset, frames * ch) : new Float32Array(bytes.buffer, bytes.byteOffset, frames * ch);
    const scale = int16 ? 1 / 32768 : 1;
    if (ch === 1) {
      for (let f = 0; f < frames; f++) dst[at + f] = src[f]! * scale;
      return;
    }
    for (let f = 0, i = 0; f < frames; f++) {
      let s = 0;
      for (let c = 0; c < ch; c++) s += src[i++]! * scale;
      dst[at + f] = s * g;
    }
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sample = sampleReader(layout, view);
  for (let f = 0, i = 0; f < frames; f++) {
    if (ch === 1) {
      dst[at + f] = sample(i++);
      continue;
    }
    let s = 0;
    for (let c = 0; c < ch; c++) s += sample(i++);
    dst[at + f] = s * g;
  }
}

function sampleReader(layout: WavLayout, view: DataView): (i: number) => number {
  switch (layout.encoding) {
    case "uint8":
      return (i) => (view.getUint8(i) - 128) / 128;
    case "int16":
      return (i) => view.getInt16(i * 2, true) * (1 / 32768);
    case "int24":
      return (i) => (view.getUint8(i * 3) | (view.getUint8(i * 3 + 1) << 8) | (view.getInt8(i * 3 + 2) << 16)) / 8388608;
    case "int32":
      return (i) => Math.fround(view.getInt32(i * 4, true) / 2147483648);
    case "float32":
      return (i) => view.getFloat32(i * 4, true);
    case "float64":
      return (i) => Math.fround(view.getFloat64(i * 8, true));
    case "mulaw": {
      const t = g711Tables().mulaw;
      return (i) => t[view.getUint8(i)]!;
    }
    case "alaw": {
      const t = g711Tables().alaw;
      return (i) => t[view.getUint8(i)]!;
    }
    default:
      throw new Error(`no sample reader for ${layout.encoding}`);
  }
}

/** A WAV file open for reading in blocks. `close` when done. */
export class WavFileReader {
  readonly layout: WavLayout;
  /** Frames (mono samples) in the file. */
  readonly frames: number;
  /** Read-ahead: the bytes of frames [bufferFrom, bufferFrom + bufferFrames). */
  private bytes: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  private bufferFrom = 0;
  private bufferFrames = 0;
  /** 16-bit files of one or two channels: the read-ahead goes into the mixer and is mixed to mono at once. */
  private readonly mixable: boolean;
  private mono: Float32Array<ArrayBufferLike> = new Float32Array(0);
  /** Where `decodeInPlace` left its frames in `mono`. */
  monoAt = 0;
  private closed = false;

  private constructor(
    private readonly fd: number,
    readonly path: string,
    layout: WavLayout,
  ) {
    this.layout = layout;
    this.frames = Math.floor(layout.dataBytes / layout.frameBytes);
    this.mixable = mixable(layout);
  }

  get sampleRate(): number {
    return this.layout.sampleRate;
  }

  get channels(): number {
    return this.layout.channels;
  }

  get encoding(): string {
    return this.layout.encoding;
  }

  /**
   * Opens a regular WAV file and reads its header. Returns null for RIFX and RF64 files (the
   * caller decodes those whole); throws a UserError for anything that is not a readable WAV.
   */
  static open(path: string): WavFileReader | null {
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(
        `${path}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot open (${code ?? (err as Error).message})`}`,
      );
    }
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) fail(path, "is a folder, not a WAV file");
      // a device (/dev/zero) has no size: read it like a file that never ends
      const total = st.isFile() ? st.size : Infinity;
      const readAt: ReadAt = (offset, length) => {
        const b = new Uint8Array(Math.max(0, Math.min(length, total - offset)));
        const n = b.length ? readSync(fd, b, 0, b.length, offset) : 0;
        return b.subarray(0, n);
      };
      const layout = parseWavHeader(readAt, total, path);
      if (!layout) {
        closeSync(fd);
        return null;
      }
      const reader = new WavFileReader(fd, path, layout);
      if (reader.frames === 0) fail(path, "the WAV has no complete sample frames", "record or export the audio again");
      return reader;
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Decodes frames [from, from + dst.length) mixed to mono into `dst`, fewer at the end; returns how many. */
  decodeInto(dst: Float32Array, from: number): number {
    const frames = this.load(from, dst.length);
    if (frames === 0) return 0;
    const at = from - this.bufferFrom;
    if (this.mixable) {
      const mono = this.mono;
      for (let f = 0; f < frames; f++) dst[f] = mono[at + f]!;
    } else decodeFramesMono(at === 0 ? this.bytes : this.bytes.subarray(at * this.layout.frameBytes), frames, this.layout, dst);
    return frames;
  }

  /** 16-bit PCM of one or two channels, which `decodeInPlace` serves. */
  get decodesInPlace(): boolean {
    return this.mixable;
  }

  /**
   * `decodeInto` without its copy, for a reader that `decodesInPlace`: frames [from, from + n),
   * fewer at the end, are left mixed in `monoArea` from index `monoAt` (valid until the next
   * call); returns how many.
   */
  decodeInPlace(from: number, n: number): number {
    if (!this.mixable) throw new Error("decodeInPlace: only 16-bit files of one or two channels");
    const frames = this.load(from, n);
    this.monoAt = from - this.bufferFrom;
    return frames;
  }

  get monoArea(): Float32Array {
    return this.mono;
  }

  /** Makes frames [from, from + n) (fewer at the end) the read-ahead's, mixed when mixable; returns how many it holds. */
  private load(from: number, want: number): number {
    const n = Math.max(0, Math.min(want, this.frames - from));
    if (n === 0 || this.closed) return 0;
    const fb = this.layout.frameBytes;
    // another reader (or a stream) has used the shared mixer since: read again
    const lost = this.mixable && mixerOwner !== this;
    if (lost || from < this.bufferFrom || from + n > this.bufferFrom + this.bufferFrames) {
      // One read of READ_AHEAD_BYTES serves the next blocks: a read per engine block (16 KB of
      // 48 kHz stereo) cost more in calls than in copying.
      const count = Math.min(this.frames - from, Math.max(n, Math.floor(READ_AHEAD_BYTES / fb)));
      if (this.mixable) this.bytes = sharedMixer().byteArea(count * fb);
      else if (this.bytes.length < count * fb) this.bytes = new Uint8Array(count * fb);
      const got = readSync(this.fd, this.bytes, 0, count * fb, this.layout.dataOffset + from * fb);
      this.bufferFrom = from;
      this.bufferFrames = Math.floor(got / fb);
      if (this.mixable) {
        this.mono = sharedMixer().mixArea(this.bufferFrames, this.layout.channels);
        mixerOwner = this;
      }
    }
    return Math.max(0, Math.min(n, this.bufferFrames - (from - this.bufferFrom)));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (mixerOwner === this) mixerOwner = undefined;
    closeSync(this.fd);
  }
}
