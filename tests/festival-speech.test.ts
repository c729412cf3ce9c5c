import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FESTIVAL_TRAIN_VOICES, VALIDATION_VOICES, WIDE_TRAIN_VOICES } from "../data/synth/room-voices.ts";
import { cachedSpeak, prefetchSpeech } from "../data/synth/tts-cache.ts";
import { speak, speakMany } from "../data/synth/tts.ts";

const haveFestival = Boolean(Bun.which("festival"));
const work = mkdtempSync(join(tmpdir(), "festival-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("the validation voices are no training voice", () => {
  const trained = new Set(WIDE_TRAIN_VOICES.map((v) => v.voice.split("+")[1]));
  expect(VALIDATION_VOICES.length).toBe(16);
  expect(VALIDATION_VOICES.filter((v) => trained.has(v.voice.split("+")[1]))).toEqual([]);
});

describe.skipIf(!haveFestival)("festival voices", () => {
  test("one festival process says many clips with their own settings, as one process per clip would, and the cache keeps them", () => {
    const [kal, , , ked, , , slt] = FESTIVAL_TRAIN_VOICES;
    const items = [
      { voice: { ...kal!, stretch: 1.2 }, text: "oh" },
      { voice: ked!, text: 'say "seven"' },
      { voice: slt!, text: "the kettle" },
      { voice: { ...kal!, f0: 150 }, text: "oh" },
    ];
    const batch = speakMany(items, 8000);
    for (const x of batch) expect(x.length).toBeGreaterThan(2000);
    // alone (a process of its own), the first and the HTS voice's clip are the same samples
    for (const i of [0, 2]) expect(Array.from(batch[i]!)).toEqual(Array.from(speak(items[i]!.voice, items[i]!.text, 8000)));
    // pitch and stretch change the diphone voice
    expect(Array.from(batch[0]!)).not.toEqual(Array.from(batch[3]!));
    prefetchSpeech(items, 8000, work);
    expect(readdirSync(work).length).toBe(items.length);
    expect(Array.from(cachedSpeak(items[1]!.voice, items[1]!.text, 8000, work))).toEqual(Array.from(batch[1]!));
  }, 180_000);
});
