/**
 * The Worker of `ReadAheadFileSource` (read-ahead-file-source.ts): reads a WAV file block by
 * block, mixes it to mono, repairs broken samples and resamples to the engine's rate, with the
 * engine's own reader, sample guard and resampler, and hands the results over in batches. The
 * engine's thread then runs only the VAD and the classifier, so a file is processed on two cores.
 */
import { WavFileReader } from "../audio/wav-reader.ts";
import { UserError, errorMessage } from "../errors.ts";
import { Resampler } from "../resampler.ts";
import { sanitizeSamples } from "../sample-guard.ts";
import { BLOCK_FIELDS, type FrontEndBatch, type FrontEndReply, type FrontEndRequest } from "./front-end-protocol.ts";

declare const self: Worker;

/**
 * Batches handed over and not yet given back: the read-ahead's bound, whatever the file's length
 * (about 5.6 MB, 3 minutes of audio at 48 kHz in batches of 64 blocks of 4096 samples).
 * Generous, so the Worker need not stop while the engine's thread is still loading the model.
 */
const MAX_BATCHES_OUT = 32;

const post = (m: FrontEndReply, transfer: Bun.Transferable[] = []) => self.postMessage(m, transfer);

let free: FrontEndBatch[] = [];
let made = 0;
let wake: (() => void) | undefined;
let stopped = false;

async function run(m: Extract<FrontEndRequest, { kind: "start" }>): Promise<void> {
  const reader = WavFileReader.open(m.path);
  if (!reader) throw new UserError(`${m.path}: RIFX and RF64 WAVs are not read ahead`);
  try {
    // the engine's resampler, as it makes it (engine.ts, makeResampler)
    const resampler = new Resampler(reader.sampleRate, { outputRate: m.outputRate, maxBlock: m.blockSize });
    const perBlock = resampler.maxOutputLength(m.blockSize);
    const block = new Float32Array(m.blockSize);
    const views: Float32Array[] = [];
    // integer samples (PCM, μ-law, A-law) decode to within ±1, which the sample guard never changes
    const repairs = reader.encoding === "float32" || reader.encoding === "float64";
    const inPlace = reader.decodesInPlace;
    let position = 0;
    while (!stopped && position < reader.frames) {
      let batch = free.pop();
      if (!batch && made < MAX_BATCHES_OUT) {
        made++;
        batch = { samples: new Float32Array(m.batchBlocks * perBlock), blocks: new Float64Array(m.batchBlocks * BLOCK_FIELDS), count: 0 };
      }
      if (!batch) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      let written = 0;
      let count = 0;
      while (count < m.batchBlocks && position < reader.frames) {
        const t0 = performance.now();
        const n = inPlace ? reader.decodeInPlace(position, m.blockSize) : reader.decodeInto(block, position);
        // n ≤ 0: the file shrank while it was read
        if (n <= 0) {
          position = reader.frames;
          break;
        }
        position += n;
        let out: number;
        let repaired = 0;
        if (inPlace) {
          // 16-bit samples, resampled where the reader mixed them (and within ±1: nothing to repair)
          out = resampler.processInto(reader.monoArea, batch.samples, written, reader.monoAt, reader.monoAt + n);
        } else {
          let input = views[n];
          if (!input) input = views[n] = block.subarray(0, n);
          if (repairs) repaired = sanitizeSamples(input);
          out = resampler.processInto(input, batch.samples, written);
        }
        const at = count * BLOCK_FIELDS;
        batch.blocks[at] = n;
        batch.blocks[at + 1] = repaired;
        batch.blocks[at + 2] = out;
        batch.blocks[at + 3] = performance.now() - t0;
        written += out;
        count++;
      }
      batch.count = count;
      if (count > 0) post({ kind: "batch", batch }, [batch.samples.buffer, batch.blocks.buffer]);
      else free.push(batch);
    }
  } finally {
    reader.close();
  }
  if (!stopped) post({ kind: "end" });
}

self.onmessage = (event: MessageEvent<FrontEndRequest>) => {
  const m = event.data;
  if (m.kind === "start") {
    run(m).catch((err) => post({ kind: "failed", message: errorMessage(err) }));
  } else if (m.kind === "return") {
    free.push(m.batch);
    wake?.();
    wake = undefined;
  } else {
    stopped = true;
    free = [];
    wake?.();
  }
};
