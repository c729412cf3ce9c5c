import type { AudioSource, FrontEndBlocks, SourceError, SourceInfo } from "./audio-source.ts";
import { FileSource } from "./file-source.ts";
import { FrontEndReader } from "./front-end-reader.ts";

/**
 * A WAV file played as fast as possible, with the engine's front end (reading, mixing to mono,
 * sample repair, resampling) on a Worker (`FrontEndReader`): the engine's thread runs only the
 * VAD and the classifier, so the two halves run on two cores. The Worker uses the engine's own
 * modules and hands over, per engine block, what the engine would have computed itself, so the
 * events are those of a `FileSource`. The Worker may start before the engine (`prefetch`, or a
 * reader given to the constructor), e.g. while the model loads. Anything but a regular WAV file
 * (a pipe, standard input, RIFX, RF64) is played by a plain `FileSource`.
 */
export class ReadAheadFileSource implements AudioSource {
  private readonly plain: FileSource;

  constructor(
    readonly path: string,
    private reader: FrontEndReader | null = null,
  ) {
    this.plain = new FileSource(path, { realtime: false });
  }

  prefetch(outputRate: number, blockSize: number): void {
    this.reader ??= FrontEndReader.forFile(this.path, outputRate, blockSize);
  }

  async start(): Promise<SourceInfo> {
    // the checks and messages of a FileSource; its reader is let go if the Worker reads instead
    try {
      return await this.plain.start();
    } catch (err) {
      this.reader?.stop();
      this.reader = null;
      throw err;
    }
  }

  frontEnd(outputRate: number, blockSize: number): FrontEndBlocks | null {
    if (!this.plain.readsInBlocks) {
      this.reader?.stop();
      this.reader = null;
      return null;
    }
    const r = this.reader;
    if (!r || r.outputRate !== outputRate || r.blockSize !== blockSize) {
      r?.stop();
      this.reader = new FrontEndReader(this.path, outputRate, blockSize);
    }
    void this.plain.stop();
    return this.reader;
  }

  read(dst: Float32Array): number {
    return this.plain.read(dst);
  }

  wait(timeoutMs: number): Promise<void> {
    return this.plain.wait(timeoutMs);
  }

  backlog(): number {
    return this.plain.backlog();
  }

  droppedSamples(): number {
    return 0;
  }

  async stop(): Promise<void> {
    this.reader?.stop();
    await this.plain.stop();
  }

  onError(listener: (error: SourceError) => void): () => void {
    return this.plain.onError(listener);
  }
}
