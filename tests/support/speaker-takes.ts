/** Real FSDD clips of one speaker written as enrolment takes ({digit}_{k}.wav), as a user's folder would hold them. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Clip, type Split, loadSplit } from "../../data/fsdd.ts";
import { encodeWav16 } from "../../engine/audio/wav.ts";

const ROOT = join(import.meta.dir, "../..");
export const DATA_DIR = join(ROOT, "data/fsdd_parquet");

const cache = new Map<Split, Promise<Clip[]>>();
export function splitClips(split: Split): Promise<Clip[]> {
  let p = cache.get(split);
  if (!p) cache.set(split, (p = loadSplit(split, DATA_DIR)));
  return p;
}

/** Writes `perDigit` clips of each digit of `speaker` (in file order) into `dir`; returns the clips written. */
export async function writeSpeakerTakes(dir: string, speaker: string, perDigit: number, split: Split = "test"): Promise<Clip[]> {
  mkdirSync(dir, { recursive: true });
  const clips = (await splitClips(split)).filter((c) => c.speaker === speaker);
  const written: Clip[] = [];
  for (let d = 0; d < 10; d++) {
    clips
      .filter((c) => c.label === d)
      .slice(0, perDigit)
      .forEach((c, k) => {
        writeFileSync(join(dir, `${d}_${k + 1}.wav`), encodeWav16(c.samples, c.sampleRate));
        written.push(c);
      });
  }
  return written;
}
