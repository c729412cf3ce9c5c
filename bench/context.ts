import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type Clip, loadSplit } from "../data/fsdd.ts";
import { UserError } from "../engine/errors.ts";
import { decodeWavMono, writeWavHeader } from "../engine/audio/wav.ts";
import { type ModelFile, loadModelFile } from "../engine/model-file.ts";
import { STREAMS_DIR_SHOWN } from "../engine/shared-streams.ts";
import { splitWavs } from "./fixtures.ts";

/** How many repetitions each kind of measurement gets; `--quick` shrinks them all. */
export interface Repeats {
  /** mitata's minimum CPU time per micro benchmark, ns. */
  microCpuNs: number;
  /** Passes over the 300 test clips in-process (after one warm-up pass). */
  batchPasses: number;
  /** Whole-process runs of a command (after one warm-up run). */
  processRuns: number;
  /** Passes over all test streams (after one warm-up pass). */
  streamPasses: number;
  /** Whole-process runs over the large folder and the long recording (after one warm-up run). */
  largeRuns: number;
  /** `bun train` runs (0: skipped). */
  trainRuns: number;
  /** Length of the long stream for the engine's memory, minutes. */
  memoryMinutes: number;
}

export const FULL: Repeats = { microCpuNs: 642e6, batchPasses: 20, processRuns: 15, largeRuns: 3, streamPasses: 5, trainRuns: 3, memoryMinutes: 10 };
export const QUICK: Repeats = { microCpuNs: 40e6, batchPasses: 3, processRuns: 3, largeRuns: 1, streamPasses: 1, trainRuns: 0, memoryMinutes: 10 };

/** Everything a section needs to know, passed from `bun bench` to each section's process. */
export interface BenchSettings {
  quick: boolean;
  /** Absolute paths. */
  modelPath: string;
  streamsDir: string;
  dataDir: string;
  /** A temp folder shared by all sections of one run (exported WAVs live there). */
  tmp: string;
}

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), "spoken-digits-bench-"));
}

/** What a section works with: paths, the model, test data loaded once, the shared temp folder. */
export class BenchContext {
  readonly root = resolve(import.meta.dir, "..");
  readonly repeats: Repeats;
  readonly quick: boolean;
  readonly modelPath: string;
  readonly streamsDir: string;
  readonly dataDir: string;
  readonly tmp: string;
  readonly model: ModelFile;
  private clips: Clip[] | undefined;

  constructor(settings: BenchSettings) {
    this.quick = settings.quick;
    this.repeats = settings.quick ? QUICK : FULL;
    this.modelPath = settings.modelPath;
    this.streamsDir = settings.streamsDir;
    this.dataDir = settings.dataDir;
    this.tmp = settings.tmp;
    this.model = loadModelFile(settings.modelPath);
  }

  /** The 300 clips of the FSDD test split, decoded. */
  async testClips(): Promise<Clip[]> {
    this.clips ??= await loadSplit("test", this.dataDir);
    return this.clips;
  }

  /** A folder holding the test split as 300 WAV files (artifacts/bench/test, made once). */
  testWavDir(): Promise<string> {
    return splitWavs(this.root, "test", this.dataDir);
  }

  /**
   * A 16-bit 48 kHz WAV of `minutes` minutes (a test stream played over and over; stereo writes the
   * same signal to both channels), written block by block into the bench's temporary folder, for
   * the memory of commands on long files.
   */
  longWav(minutes: number, channels: 1 | 2 = 1): string {
    const path = join(this.tmp, `long-${minutes}min-48k-${channels}ch.wav`);
    if (existsSync(path)) return path;
    const src = decodeWavMono(readFileSync(join(this.streamsDir, "s11_48k_stereo_clean.wav")), "s11");
    const pcm = new Int16Array(src.samples.length * channels);
    for (let i = 0; i < src.samples.length; i++) {
      const v = Math.round(Math.max(-1, Math.min(1, src.samples[i]!)) * 32767);
      for (let c = 0; c < channels; c++) pcm[i * channels + c] = v;
    }
    const frames = Math.round(minutes * 60 * 48000);
    const header = new Uint8Array(44);
    writeWavHeader(new DataView(header.buffer), 48000, channels, frames * 2 * channels);
    const fd = openSync(`${path}.partial`, "w");
    try {
      writeSync(fd, header);
      for (let done = 0; done < frames; done += src.samples.length) {
        writeSync(fd, pcm, 0, Math.min(src.samples.length, frames - done) * 2 * channels);
      }
    } finally {
      closeSync(fd);
    }
    renameSync(`${path}.partial`, path);
    return path;
  }

  /** The test streams (`NAME.wav` with `NAME.json` beside it), sorted by name. */
  streams(): string[] {
    if (!existsSync(this.streamsDir))
      throw new UserError(`${this.streamsDir}: no test streams`, `pass --streams DIR (the shared streams live in ${STREAMS_DIR_SHOWN})`);
    return readdirSync(this.streamsDir)
      .filter((f) => f.endsWith(".wav") && existsSync(join(this.streamsDir, f.replace(/\.wav$/, ".json"))))
      .sort()
      .map((f) => join(this.streamsDir, f));
  }
}
