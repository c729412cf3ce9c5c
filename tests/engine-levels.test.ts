/**
 * Level events on a real stream read as fast as possible (blocks of 4096 samples, about 93 ms at
 * 44.1 kHz): one every interval whatever the block size, and each carrying the VAD's own state, in
 * step with the speech-start and speech-end events it reports.
 */
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createEngine } from "../engine/engine.ts";
import type { EngineEvent, EventOf } from "../engine/events.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { FileSource } from "../engine/sources/file-source.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";

const ROOT = join(import.meta.dir, "..");
const WAV = join(STREAMS_DIR, "s10_44k_f32_whitehum50_snr20.wav");

async function run(levelIntervalMs: number): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  const engine = createEngine({
    model: loadModelFile(join(ROOT, "models/default.json")),
    source: new FileSource(WAV, { realtime: false, speed: 1 }),
    levelIntervalMs,
    onEvent: (e) => events.push(e),
  });
  await engine.start();
  return events;
}

describe.skipIf(!existsSync(WAV))("level events", () => {
  test("come every interval of stream time, though a block holds several intervals", async () => {
    for (const ms of [20, 100]) {
      const levels = (await run(ms)).filter((e): e is EventOf<"level"> => e.type === "level");
      const steps = levels.slice(1).map((l, i) => l.t - levels[i]!.t);
      expect(levels.length).toBeGreaterThan(100);
      for (const s of steps) expect(s).toBeCloseTo(ms / 1000, 9);
    }
  }, 60_000);

  test("carry the VAD's state, in step with the speech-start and speech-end events", async () => {
    const events = await run(20);
    const levels = events.filter((e): e is EventOf<"level"> => e.type === "level");
    for (const l of levels) expect(l.speaking).toBe(l.vad === "speech" || l.vad === "hangover");
    // the level just before and just after each boundary event, in the order they were emitted
    const around = (i: number) => ({
      before: events.slice(0, i).findLast((e): e is EventOf<"level"> => e.type === "level"),
      after: events.slice(i).find((e): e is EventOf<"level"> => e.type === "level"),
    });
    let starts = 0;
    let ends = 0;
    events.forEach((e, i) => {
      if (e.type === "speech-start") {
        starts++;
        const { before, after } = around(i);
        expect(["quiet", "onset"]).toContain(before!.vad);
        expect(after!.vad).toBe("speech");
        // the onset stood above the threshold the VAD applies to the band level
        expect(after!.bandDb).toBeGreaterThan(before!.noiseFloorDb);
      } else if (e.type === "speech-end") {
        ends++;
        const { before, after } = around(i);
        // the hangover ran out: silent since the end of speech, then closed
        expect(before!.vad).toBe("hangover");
        expect(before!.t).toBeGreaterThan(e.end);
        if (after) expect(after.speaking).toBe(false);
      }
    });
    expect(starts).toBeGreaterThan(5);
    expect(ends).toBe(starts);
  }, 60_000);
});
