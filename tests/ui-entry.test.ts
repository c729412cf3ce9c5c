import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineEvent } from "../engine/events.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";
import {
  RESULT_GRACE_S,
  entryActionForEvent,
  entryReducer,
  initialEntryState,
  secondsUntilCommit,
  type EntryAction,
  type EntryState,
} from "../ui/app/state/entry-reducer.ts";

const STREAMS = STREAMS_DIR;

interface Truth {
  digits: string;
  duration_s: number;
  segments: { digit: number; start_s: number; end_s: number }[];
}

/** The committed numbers' digits. */
const numbers = (s: EntryState) => s.history.map((n) => n.digits);

function run(actions: EntryAction[], state: EntryState = initialEntryState(2)): EntryState {
  return actions.reduce(entryReducer, state);
}

/**
 * The events an engine reports for a stream whose utterances are exactly the ground-truth segments:
 * speech-end and the prediction arrive `hangover` after the end of speech, level ticks every 10 ms.
 */
function eventsFromTruth(truth: Truth, hangover = 0.25): EngineEvent[] {
  const timed: { at: number; event: EngineEvent }[] = [];
  timed.push({ at: 0, event: { type: "started", source: "file", name: "stream.wav", sampleRate: 8000, channels: 1 } });
  for (let i = 0; i * 0.01 <= truth.duration_s; i++) {
    const t = i * 0.01;
    timed.push({
      at: t,
      event: { type: "level", t, rmsDb: -60, peakDb: -50, bandDb: -60, noiseFloorDb: -70, thresholdDb: -50, speaking: false, vad: "quiet" },
    });
  }
  for (const s of truth.segments) {
    const emitted = s.end_s + hangover;
    timed.push({ at: s.start_s, event: { type: "speech-start", t: s.start_s } });
    timed.push({ at: emitted, event: { type: "speech-end", t: emitted, start: s.start_s, end: s.end_s } });
    timed.push({
      at: emitted + 0.001,
      event: {
        type: "prediction",
        digit: s.digit,
        confidence: 0.9,
        top: [{ digit: s.digit, p: 0.9 }],
        start: s.start_s,
        end: s.end_s,
        latency: { ringWaitMs: 0, resampleMs: 0, vadMs: 0, featuresMs: 0, inferenceMs: 0, endToPredictionMs: hangover * 1000 },
      },
    });
  }
  const summary = { seconds: truth.duration_s, utterances: 0, predictions: 0, rejected: 0, droppedSamples: 0, repairedSamples: 0, digits: truth.digits };
  timed.push({ at: truth.duration_s + 1, event: { type: "stopped", t: truth.duration_s, reason: "end-of-stream", summary } });
  return timed.sort((a, b) => a.at - b.at).map((x) => x.event);
}

describe("hands-free entry over a real stream's timing", () => {
  for (const name of ["s01_8k_clean", "s11_48k_stereo_clean"]) {
    test(`${name}: a pause longer than --commit-after splits the digits into numbers`, () => {
      const truth = JSON.parse(readFileSync(join(STREAMS, `${name}.json`), "utf8")) as Truth;
      const commitAfter = 2;
      const segs = truth.segments;
      // expected split from the ground truth alone; no pause sits within a 10 ms tick of the limit
      const expected: string[] = [];
      let current = "";
      segs.forEach((s, i) => {
        current += String(s.digit);
        const gap = i + 1 < segs.length ? segs[i + 1]!.start_s - s.end_s : Infinity;
        expect(Math.abs(gap - commitAfter)).toBeGreaterThan(0.011);
        if (gap > commitAfter) {
          expected.push(current);
          current = "";
        }
      });
      expect(expected.length).toBeGreaterThan(1);

      let state = initialEntryState(commitAfter);
      const seen: string[] = [];
      for (const event of eventsFromTruth(truth)) {
        const action = entryActionForEvent(event);
        if (action) state = entryReducer(state, action);
        seen.push(state.digits);
      }
      expect(numbers(state)).toEqual(expected);
      expect(numbers(state).join("")).toBe(truth.digits);
      expect(state.digits).toBe("");
      // the digits were on the entry line as they were spoken, before the commit
      expect(seen).toContain(expected[0]!);
    });
  }
});

describe("entryReducer", () => {
  const digit = (d: number, end: number, confidence = 0.9): EntryAction => ({ type: "digit", digit: d, end, confidence });

  test("keys edit the entry line: backspace, clear, commit", () => {
    let s = run([digit(5, 1), digit(5, 2), digit(1, 3)]);
    expect(s.digits).toBe("551");
    s = run([{ type: "backspace" }], s);
    expect(s.digits).toBe("55");
    s = run([{ type: "commit" }], s);
    expect(numbers(s)).toEqual(["55"]);
    expect(s.digits).toBe("");
    s = run([digit(7, 4), { type: "clear" }, { type: "commit" }, { type: "backspace" }], s);
    expect(s.digits).toBe("");
    expect(numbers(s)).toEqual(["55"]);
  });

  test("commits only when stream time passes the pause: no ticks (a paused engine), no commit", () => {
    let s = run([{ type: "speech-start", t: 0.5 }, { type: "speech-end", t: 1 }, digit(4, 1)]);
    expect(numbers(s)).toEqual([]);
    s = run([{ type: "tick", t: 2.9 }], s);
    expect(s.digits).toBe("4");
    expect(secondsUntilCommit(s, 2.9)).toBeCloseTo(0.1, 6);
    s = run([{ type: "tick", t: 3.0 }], s);
    expect(numbers(s)).toEqual(["4"]);
    expect(secondsUntilCommit(s, 3.0)).toBeNull();
  });

  test("speech that starts within the pause keeps the number open", () => {
    let s = run([{ type: "speech-end", t: 1 }, digit(1, 1), { type: "speech-start", t: 2.5 }, { type: "tick", t: 3.5 }]);
    expect(s.digits).toBe("1");
    expect(secondsUntilCommit(s, 3.5)).toBeNull();
    s = run([{ type: "speech-end", t: 3.8 }, digit(2, 3.8), { type: "tick", t: 5.7 }], s);
    expect(s.digits).toBe("12");
    s = run([{ type: "tick", t: 5.8 }], s);
    expect(numbers(s)).toEqual(["12"]);
  });

  test("a pending result delays the commit by the grace period; a rejection releases it", () => {
    const pending = run([{ type: "speech-end", t: 1 }, digit(3, 1), { type: "speech-end", t: 2 }]);
    expect(run([{ type: "tick", t: 4.1 }], pending).digits).toBe("3");
    expect(numbers(run([{ type: "tick", t: 4 + RESULT_GRACE_S }], pending))).toEqual(["3"]);
    expect(
      numbers(
        run(
          [
            { type: "rejected", end: 2 },
            { type: "tick", t: 4 },
          ],
          pending,
        ),
      ),
    ).toEqual(["3"]);
  });

  test("a new run keeps the entry line but forgets the old stream's times; end of stream commits", () => {
    let s = run([{ type: "speech-end", t: 10 }, digit(8, 10), { type: "stream-reset" }, { type: "tick", t: 30 }]);
    expect(s.digits).toBe("8");
    s = run([{ type: "speech-end", t: 1 }, digit(9, 1), { type: "end-of-stream" }], s);
    expect(numbers(s)).toEqual(["89"]);
    expect(s.digits).toBe("");
  });

  test("after a pause in listening the countdown starts again from the first tick", () => {
    let s = run([{ type: "speech-end", t: 1 }, digit(6, 1), { type: "resume" }, { type: "tick", t: 40 }]);
    expect(s.digits).toBe("6");
    expect(secondsUntilCommit(s, 41)).toBeCloseTo(1, 6);
    s = run([{ type: "tick", t: 42 }], s);
    expect(numbers(s)).toEqual(["6"]);
  });

  test("actions that change nothing return the same state (no redraw)", () => {
    const s = run([digit(1, 1)]);
    expect(entryReducer(s, { type: "tick", t: 1.5 })).toBe(s);
    expect(entryReducer(s, { type: "rejected", end: 1 })).toBe(s);
    const empty = initialEntryState();
    expect(entryReducer(empty, { type: "backspace" })).toBe(empty);
    expect(entryReducer(empty, { type: "commit" })).toBe(empty);
  });

  test("typed digits join spoken ones, with no confidence; the pause counts from the key", () => {
    let s = run([{ type: "speech-end", t: 1 }, digit(4, 1, 0.95), { type: "type", digit: 2, t: 2.5 }]);
    expect(s.digits).toBe("42");
    expect(s.confidence).toEqual([0.95, null]);
    expect(secondsUntilCommit(s, 3)).toBeCloseTo(1.5, 6);
    s = run([{ type: "tick", t: 4.4 }], s);
    expect(s.digits).toBe("42");
    s = run([{ type: "tick", t: 4.5 }], s);
    expect(s.history).toEqual([{ digits: "42", confidence: [0.95, null] }]);
  });

  test("undo takes the last number back onto an empty line, where it waits for the user", () => {
    let s = run([digit(5, 1, 0.5), digit(1, 1.5, 0.99), { type: "commit" }, digit(7, 3), { type: "commit" }]);
    expect(numbers(s)).toEqual(["51", "7"]);
    s = run([{ type: "undo" }], s);
    expect(s.digits).toBe("7");
    expect(numbers(s)).toEqual(["51"]);
    expect(s.held).toBe(true);
    // no automatic commit of an undone number, however long the pause
    s = run([{ type: "tick", t: 60 }], s);
    expect(s.digits).toBe("7");
    expect(secondsUntilCommit(s, 60)).toBeNull();
    // a second undo would merge two numbers: it waits for an empty line
    expect(entryReducer(s, { type: "undo" })).toBe(s);
    s = run([{ type: "clear" }, { type: "undo" }], s);
    expect(s.digits).toBe("51");
    expect(s.confidence).toEqual([0.5, 0.99]);
    expect(numbers(s)).toEqual([]);
    // a new digit makes it an ordinary line again, committed by the pause
    s = run([{ type: "speech-end", t: 61 }, digit(3, 61), { type: "tick", t: 63 }], s);
    expect(numbers(s)).toEqual(["513"]);
    expect(entryReducer(initialEntryState(), { type: "undo" })).toEqual(initialEntryState());
  });

  test("backspace drops the last digit's confidence with it", () => {
    const s = run([digit(1, 1, 0.3), digit(2, 2, 0.8), { type: "backspace" }]);
    expect(s.confidence).toEqual([0.3]);
  });
});
