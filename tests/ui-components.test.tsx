import { describe, expect, test } from "bun:test";
import { Box, Text } from "ink";
import { render } from "ink-testing-library";
import { useState } from "react";
import type { EngineEvent, StageLatency } from "../engine/events.ts";
import { EntryLine } from "../ui/app/components/EntryLine.tsx";
import { History } from "../ui/app/components/History.tsx";
import { LatencyPanel } from "../ui/app/components/LatencyPanel.tsx";
import { LevelMeter } from "../ui/app/components/LevelMeter.tsx";
import { Prediction } from "../ui/app/components/Prediction.tsx";
import { Screen, type ScreenProps } from "../ui/app/components/Screen.tsx";
import { confidenceTier, digitCells, FAIR_AT, lastCellsThatFit, SURE_AT } from "../ui/app/components/confidence.ts";
import { HELP_KEYS } from "../ui/app/components/HelpOverlay.tsx";
import { footerItems, footerText, type KeyContext } from "../ui/app/components/KeyHelp.tsx";
import { FIXED_ROWS, planLayout } from "../ui/app/layout.ts";
import { createEventHub, type EventHub } from "../ui/app/hooks/event-hub.ts";
import { useDigitEntry } from "../ui/app/hooks/use-digit-entry.ts";
import { useKeyBindings } from "../ui/app/hooks/use-key-bindings.ts";
import {
  PEAK_HOLD_S,
  REJECTION_SHOWN_S,
  engineViewReducer,
  initialEngineView,
  looksTheSame,
  shownResult,
  type EngineView,
} from "../ui/app/state/engine-view.ts";
import { initialEntryState } from "../ui/app/state/entry-reducer.ts";
import { summariseLatency } from "../ui/app/state/latency-stats.ts";

const level = (t: number, rmsDb: number, peakDb: number, speaking = false): EngineEvent => ({
  type: "level",
  t,
  rmsDb,
  peakDb,
  bandDb: rmsDb,
  noiseFloorDb: -60,
  thresholdDb: -45,
  speaking,
  vad: speaking ? "speech" : "quiet",
});

const latency = (endToPredictionMs: number, inferenceMs = 0.05): StageLatency => ({
  ringWaitMs: 0.5,
  resampleMs: 0.02,
  vadMs: 0.01,
  featuresMs: 0.3,
  inferenceMs,
  endToPredictionMs,
});

const prediction = (digit: number, end: number, lat = latency(260)): EngineEvent => ({
  type: "prediction",
  digit,
  confidence: 0.9,
  top: [
    { digit, p: 0.9 },
    { digit: (digit + 1) % 10, p: 0.07 },
    { digit: (digit + 2) % 10, p: 0.03 },
  ],
  start: end - 0.4,
  end,
  latency: lat,
});

const started: EngineEvent = { type: "started", source: "file", name: "s09_44k_f32_clean.wav", sampleRate: 44100, channels: 1 };

function fold(events: EngineEvent[], view: EngineView = initialEngineView()): EngineView {
  return events.reduce(engineViewReducer, view);
}

/** Lets React and Ink process what was written to stdin or emitted. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe("LevelMeter", () => {
  // width 66 leaves a 40-cell bar: the -80..0 dBFS scale at 2 dB per cell
  const width = 66;

  test("fills to the band level, shades to the peak, marks the VAD threshold and floor on a dB scale", () => {
    const view = fold([level(0, -40, -20)]);
    const { lastFrame } = render(<LevelMeter meter={view.meter} width={width} />);
    const [bar, scale] = lastFrame()!.split("\n");
    expect(bar!.match(/█/g)!.length).toBe(20);
    expect(bar!.match(/▒/g)!.length).toBe(10);
    expect(bar).toContain("○ quiet");
    expect(bar).toContain("-40 dB");
    // ▲ threshold -45 dBFS → cell 17, △ floor -60 → cell 10 (one column of padding before the bar)
    expect(scale!.indexOf("▲")).toBe(1 + 17);
    expect(scale!.indexOf("△")).toBe(1 + 10);
    // the scale's labels sit under their levels, except where a mark is: -60 gives way to △
    expect(scale!.indexOf("-80")).toBe(1);
    expect(scale!.indexOf("-20")).toBe(1 + 30);
    expect(scale!.slice(38, 41)).toBe("  0");
    expect(scale!.slice(0, 41)).not.toContain("-60");
    expect(scale).toContain("VAD -45");
    expect(scale).toContain("floor -60");
  });

  test("says the VAD's own state: onset, speech, the hangover, too long", () => {
    const { lastFrame, rerender } = render(<LevelMeter meter={null} width={width} />);
    for (const [vad, label] of [
      ["quiet", "○ quiet"],
      ["onset", "◔ onset"],
      ["speech", "● speech"],
      ["hangover", "◑ ending"],
      ["cooldown", "◌ too long"],
    ] as const) {
      const view = fold([{ ...level(0, -30, -20, vad === "speech" || vad === "hangover"), vad } as EngineEvent]);
      rerender(<LevelMeter meter={view.meter} width={width} />);
      expect(lastFrame()!.split("\n")[0]).toContain(label);
    }
    rerender(<LevelMeter meter={fold([level(0, -30, -20, true)]).meter} width={width} paused />);
    expect(lastFrame()).toContain("❚❚ paused");
  });

  test("holds a peak for PEAK_HOLD_S, then lets it fall", () => {
    const loud = fold([level(0, -20, -10, true)]);
    const held = fold([level(0.5, -60, -50, false), level(PEAK_HOLD_S, -60, -50, false)], loud);
    expect(held.meter!.holdDb).toBe(-10);
    const { lastFrame } = render(<LevelMeter meter={held.meter} width={width} />);
    // held peak -10 dBFS → cell 35 of the bar (after the "▕")
    expect(lastFrame()!.split("\n")[0]!.indexOf("▌")).toBe(1 + 35);
    let fallen = held;
    for (let t = PEAK_HOLD_S + 0.1; t < 4; t += 0.1) fallen = fold([level(t, -60, -50)], fallen);
    expect(fallen.meter!.holdDb).toBe(-50);
  });

  for (const w of [60, 96, 196]) {
    test(`fits ${w} columns`, () => {
      const { lastFrame } = render(<LevelMeter meter={fold([level(0, -3, 0, true)]).meter} width={w} />);
      for (const line of lastFrame()!.split("\n")) expect(line.length).toBeLessThanOrEqual(w);
    });
  }
});

describe("engine view", () => {
  test("level events too small to see cause no redraw; a new result, a visible level or a VAD change does", () => {
    const a = fold([level(0.5, -40.2, -20.1)]);
    expect(looksTheSame(a, fold([level(0.52, -40.3, -20.2)], a))).toBe(true);
    expect(looksTheSame(a, fold([level(0.52, -38, -20.2)], a))).toBe(false);
    expect(looksTheSame(a, fold([{ ...level(0.52, -40.3, -20.2), vad: "onset" } as EngineEvent], a))).toBe(false);
    expect(looksTheSame(a, fold([level(0.61, -40.3, -20.2)], a))).toBe(false);
    expect(looksTheSame(a, fold([level(0.61, -40.3, -20.2)], a), 1)).toBe(true);
    expect(looksTheSame(a, fold([prediction(3, 0.5)], a))).toBe(false);
  });

  test("a new run (another device) starts the counters again with the clock", () => {
    const used = fold([
      started,
      level(5, -30, -20),
      prediction(3, 4),
      { type: "rejected", reason: "not-speech", start: 4.5, end: 4.6 },
      { type: "dropped", t: 5, samples: 10, total: 10 },
    ]);
    expect(used.predictions).toBe(1);
    const again = fold([{ ...started, device: "pulse" } as EngineEvent], used);
    expect(again).toMatchObject({ t: 0, utterances: 0, predictions: 0, rejected: {}, droppedSamples: 0, latencies: [], last: null });
    expect(again.source?.device).toBe("pulse");
  });

  test("a rejection shows for REJECTION_SHOWN_S of stream time, then the last digit again", () => {
    const rejected = fold([prediction(4, 1), { type: "rejected", reason: "not-a-digit", start: 1.5, end: 2, confidence: 0.4, top: [] }]);
    expect(shownResult(rejected)?.kind).toBe("rejected");
    expect(shownResult(fold([level(2 + REJECTION_SHOWN_S - 0.1, -60, -50)], rejected))?.kind).toBe("rejected");
    expect(shownResult(fold([level(2 + REJECTION_SHOWN_S, -60, -50)], rejected))).toMatchObject({ kind: "prediction", digit: 4 });
  });
});

describe("confidence", () => {
  test("three tiers, and plain marks after the digits when colour is off", () => {
    expect([0.95, SURE_AT, 0.7, FAIR_AT, 0.59, null].map(confidenceTier)).toEqual(["sure", "sure", "fair", "fair", "unsure", "typed"]);
    const cells = digitCells("0435", [0.95, 0.7, 0.4, null], true);
    expect(cells.map((c) => c.text).join("")).toBe("04~3?5");
    expect(
      digitCells("0435", [0.95, 0.7, 0.4, null], false)
        .map((c) => c.text)
        .join(""),
    ).toBe("0435");
  });

  test("a number too long for its room keeps its newest digits behind an ellipsis", () => {
    const cells = digitCells("0123456789", Array(10).fill(0.7), true);
    const { cells: kept, cut } = lastCellsThatFit(cells, 9);
    expect(cut).toBe(true);
    expect(kept.map((c) => c.text).join("")).toBe("6~7~8~9~");
    expect(lastCellsThatFit(cells, 20).cut).toBe(false);
  });
});

describe("LatencyPanel", () => {
  // 20 predictions with end-of-speech → digit 200..390 ms in shuffled order, the last one 250 ms
  const ms = [300, 210, 390, 280, 200, 340, 220, 310, 380, 230, 360, 240, 330, 260, 370, 270, 350, 290, 320, 250];
  const view = fold(ms.map((m, i) => prediction(i % 10, i + 1, latency(m, 0.01 * (i + 1)))));

  test("unfolded: last, p50 and p95 of each stage over the prediction events", () => {
    const { lastFrame } = render(<LatencyPanel summary={summariseLatency(view.latencies)} width={60} />);
    const lines = lastFrame()!.split("\n");
    expect(lines[0]).toContain("n=20");
    const e2e = lines
      .find((l) => l.startsWith("end of speech → digit"))!
      .split(/\s+/)
      .slice(-3);
    // nearest rank: p50 is the 10th smallest (290), p95 the 19th (380)
    expect(e2e).toEqual(["250", "290", "380"]);
    const inference = lines
      .find((l) => l.startsWith("inference"))!
      .split(/\s+/)
      .slice(-3);
    expect(inference).toEqual(["0.200", "0.100", "0.190"]);
  });

  test("folded: one line with the end of speech → digit figures", () => {
    const { lastFrame } = render(<LatencyPanel summary={summariseLatency(view.latencies)} width={60} folded />);
    expect(lastFrame()).toBe("speech end → digit: 250 ms, p50 290, p95 380 (n=20)");
  });
});

describe("Prediction", () => {
  test("the digit in block glyphs, how sure in words, and the top-3 as bars", () => {
    const view = fold([prediction(4, 1)]);
    const { lastFrame } = render(<Prediction last={view.last} width={60} />);
    const frame = lastFrame()!;
    expect(frame).toContain("█   █"); // the 4's open top
    expect(frame).toContain("sure 90%");
    expect(frame).toMatch(/4 █+░* 0\.90/);
    expect(frame).toMatch(/5 █*░+ 0\.07/);
  });

  test("with no colour the tier carries its mark", () => {
    const unsure = fold([{ ...prediction(2, 1), confidence: 0.45 } as EngineEvent]);
    const { lastFrame } = render(<Prediction last={unsure.last} width={60} plain />);
    expect(lastFrame()).toContain("? unsure 45%");
  });

  test("a rejection shows ? and why, with the model's guess when it was only unsure", () => {
    const rejected = fold([{ type: "rejected", reason: "low-confidence", start: 1, end: 1.4, digit: 7, confidence: 0.31, top: [{ digit: 7, p: 0.31 }] }]);
    const { lastFrame } = render(<Prediction last={rejected.last} width={60} />);
    expect(lastFrame()).toContain("rejected: low confidence (7? 31%)");
    expect(lastFrame()).toContain("█████"); // the ?'s top
    expect(rejected.rejected["low-confidence"]).toBe(1);
  });

  test("scales the digit: 5·scale rows and columns", () => {
    const { lastFrame } = render(<Prediction last={fold([prediction(8, 1)]).last} width={120} scale={3} />);
    const lines = lastFrame()!.split("\n");
    expect(lines.length).toBe(15);
    expect(lines[0]!.startsWith("█".repeat(15))).toBe(true);
  });
});

function EntryHarness({ hub }: { hub: EventHub }) {
  const [committed, setCommitted] = useState<string[]>([]);
  const { entry, dispatch } = useDigitEntry({
    subscribe: hub.subscribe,
    commitAfter: 2,
    onCommit: (n) => setCommitted((c) => [...c, n]),
    onUndo: (n) => setCommitted((c) => [...c, `undo ${n}`]),
  });
  useKeyBindings("main", {
    "type-digit": (input) => {
      for (const d of input) dispatch({ type: "type", digit: Number(d), t: 20 });
    },
    backspace: () => dispatch({ type: "backspace" }),
    commit: () => dispatch({ type: "commit" }),
    clear: () => dispatch({ type: "clear" }),
    undo: () => dispatch({ type: "undo" }),
  });
  return (
    <Box flexDirection="column">
      <EntryLine digits={entry.digits} confidence={entry.confidence} commitIn={null} paused={false} held={entry.held} width={60} plain />
      <History history={entry.history} rows={3} width={60} plain />
      <Text>{`committed: ${committed.join(",")}`}</Text>
    </Box>
  );
}

describe("digit entry keys", () => {
  test("spoken digits append; Backspace, c and Enter edit and commit; a long pause commits", async () => {
    const hub = createEventHub();
    const { lastFrame, stdin } = render(<EntryHarness hub={hub} />);
    await settle();
    for (const [i, d] of [5, 5, 1, 2].entries()) hub.emit(prediction(d, i + 1));
    await settle();
    expect(lastFrame()).toContain("number ▸ 5512");

    stdin.write("\x7f"); // Backspace as terminals send it
    await settle();
    expect(lastFrame()).toContain("number ▸ 551▁");

    stdin.write("\r"); // Enter
    await settle();
    expect(lastFrame()).toContain("1. 551");
    expect(lastFrame()).toContain("committed: 551");

    hub.emit(prediction(9, 10));
    await settle();
    stdin.write("c");
    await settle();
    expect(lastFrame()).toContain("number ▸ ▁");

    hub.emit(prediction(7, 11));
    hub.emit(level(12.9, -70, -60));
    await settle();
    expect(lastFrame()).toContain("number ▸ 7▁");
    hub.emit(level(13.0, -70, -60)); // 2 s of stream time after the end of speech
    await settle();
    expect(lastFrame()).toContain("2. 7");
    expect(lastFrame()).toContain("committed: 551,7");
  });

  test("digit keys type, u takes the last number back, confidence marks follow the digits", async () => {
    const hub = createEventHub();
    const { lastFrame, stdin } = render(<EntryHarness hub={hub} />);
    await settle();
    hub.emit({ ...prediction(3, 1), confidence: 0.7 } as EngineEvent);
    await settle();
    stdin.write("4");
    await settle();
    stdin.write("2");
    await settle();
    expect(lastFrame()).toContain("number ▸ 3~42▁");
    // keys that arrive together (typed fast, pasted) each count
    stdin.write("07");
    await settle();
    expect(lastFrame()).toContain("number ▸ 3~4207▁");
    stdin.write("\x7f");
    await settle();
    stdin.write("\x7f");
    await settle();
    expect(lastFrame()).toContain("number ▸ 3~42▁");
    stdin.write("\r");
    await settle();
    expect(lastFrame()).toContain("1. 3~42");
    stdin.write("u");
    await settle();
    expect(lastFrame()).toContain("number ▸ 3~42▁");
    expect(lastFrame()).toContain("undone: ⏎ commits, c clears");
    expect(lastFrame()).toContain("committed: 342,undo 342");
    expect(lastFrame()).not.toContain("1. 3");
  });
});

describe("footer", () => {
  const base = { editing: false, canUndo: false, demo: false, latencyFolded: true };
  const text = (c: Partial<KeyContext> & { mode: KeyContext["mode"] }, width = 200) => footerText(footerItems({ ...base, ...c }), width);

  test("shows the keys of the current state", () => {
    expect(text({ mode: "listening" })).toContain("space pause");
    expect(text({ mode: "paused" })).toStartWith("space resume");
    expect(text({ mode: "paused" })).not.toContain("space pause");
    expect(text({ mode: "listening", editing: true })).toContain("⏎ commit · ⌫ delete · c clear");
    expect(text({ mode: "listening", canUndo: true })).toContain("u undo");
    expect(text({ mode: "listening", editing: true, canUndo: true })).not.toContain("u undo");
    expect(text({ mode: "listening", latencyFolded: false })).toContain("l fold latency");
    expect(text({ mode: "failed", demo: true })).toStartWith("p play demo · d device");
    expect(text({ mode: "picker" })).toBe("↑/↓ choose · ⏎ listen on it · esc back · q quit");
    expect(text({ mode: "help" })).toBe("any key close help");
  });

  test("drops the least useful keys to fit, never help and quit", () => {
    const narrow = text({ mode: "listening", editing: true }, 40);
    expect(narrow.length).toBeLessThanOrEqual(40);
    expect(narrow).toStartWith("⏎ commit");
    expect(narrow).toEndWith("? help · q quit");
  });
});

describe("layout", () => {
  test("the big digit grows with the terminal; the history keeps a fair share", () => {
    const at = (c: number, r: number) => planLayout(c, r);
    expect(at(60, 20)).toMatchObject({ framed: false, digitScale: 1, latency: "folded" });
    expect(at(100, 32)).toMatchObject({ framed: true, digitScale: 2 });
    expect(at(200, 50).digitScale).toBeGreaterThanOrEqual(3);
    for (const [c, r] of [
      [60, 20],
      [100, 32],
      [200, 50],
    ] as const) {
      const l = at(c, r);
      expect(l.historyRows).toBeGreaterThanOrEqual(Math.floor((r - FIXED_ROWS) / 5));
      expect(planLayout(c, r, { latencyExpanded: true }).latency).toMatch(/^table/);
    }
  });
});

describe("Screen", () => {
  const view = fold([started, level(0.5, -30, -12, true), prediction(7, 0.8), { type: "dropped", t: 0.9, samples: 160, total: 160 }]);
  const committed = (digits: string, p = 0.95) => ({ digits, confidence: [...digits].map(() => p) });
  const entry = { ...initialEntryState(2), digits: "0435", confidence: [0.95, 0.7, 0.4, null], history: [committed("5551234"), committed("12", 0.5)] };
  const sizes = [
    [60, 20],
    [80, 24],
    [100, 32],
    [200, 50],
  ] as const;

  /** Renders and checks the frame fits the terminal. */
  function frameOf(props: Partial<ScreenProps> & { columns: number; rows: number }): string {
    const { lastFrame } = render(<Screen view={view} entry={entry} paused={false} {...props} />);
    const frame = lastFrame()!;
    const lines = frame.split("\n");
    expect(lines.length).toBeLessThanOrEqual(props.rows);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(props.columns);
    return frame;
  }

  for (const [columns, rows] of sizes) {
    test(`listening at ${columns}×${rows}: every panel, the latency on one line`, () => {
      const frame = frameOf({ columns, rows });
      for (const part of ["▕", "● speech", "-80", "sure 90%", "number ▸ 0435", "5551234", "speech end → digit: 260 ms", "dropped 160", "? help", "q quit"]) {
        expect(frame).toContain(part);
      }
      expect(frame).not.toContain("ring wait");
    });

    test(`unfolded latency, help, device picker, paused at ${columns}×${rows}`, () => {
      expect(frameOf({ columns, rows, latencyExpanded: true })).toContain("ring wait");
      const help = frameOf({ columns, rows, helpOpen: true });
      for (const [key] of HELP_KEYS) expect(help).toContain(key);
      expect(help).toContain("any key close help");
      const picker = frameOf({
        columns,
        rows,
        picker: {
          devices: [
            {
              index: 3,
              name: "pulse",
              hostApi: "ALSA",
              maxInputChannels: 32,
              defaultSampleRate: 44100,
              defaultLowInputLatency: 0.01,
              defaultHighInputLatency: 0.04,
              isDefault: true,
            },
          ],
          selected: 0,
        },
      });
      expect(picker).toContain("▸ 3  pulse");
      expect(picker).toContain("esc back");
      const paused = frameOf({ columns, rows, paused: true });
      expect(paused).toContain("❚❚ paused");
      expect(paused).toContain("space resume");
    });
  }

  test("a warning takes its fixed slot: nothing below it moves", () => {
    const warned = fold([{ type: "silence-warning", t: 6, seconds: 5 }], view);
    const plainLines = frameOf({ columns: 60, rows: 20 }).split("\n");
    const warnedLines = render(<Screen columns={60} rows={20} view={warned} entry={entry} paused={false} />)
      .lastFrame()!
      .split("\n");
    expect(warnedLines[2]).toBe("⚠ silent input for 5 s: mic muted? d picks another device");
    expect(plainLines[2]!.trim()).toBe("");
    expect(warnedLines.slice(3)).toEqual(plainLines.slice(3));
  });

  test("NO_COLOR: confidence as marks on the entry line, in the history and under the big digit", () => {
    const unsure = fold([{ ...prediction(3, 1), confidence: 0.65 } as EngineEvent], view);
    const frame = render(<Screen columns={100} rows={32} view={unsure} entry={entry} paused={false} plain />).lastFrame()!;
    expect(frame).toContain("number ▸ 04~3?5");
    expect(frame).toContain("1?2?");
    expect(frame).toContain("~ fair 65%");
  });

  test("an undone number waits on the line and says how to go on", () => {
    const held = { ...initialEntryState(2), digits: "12", confidence: [0.9, 0.9], held: true };
    expect(frameOf({ columns: 60, rows: 20, entry: held })).toContain("undone: ⏎ commits, c clears");
  });

  test("before the first audio, after the end of the stream, and while a rejection is fresh", () => {
    const waiting = frameOf({ columns: 60, rows: 20, view: initialEngineView(), entry: initialEntryState() });
    expect(waiting).toContain("… starting");
    expect(waiting).toContain("waiting for audio");
    expect(waiting).toContain("say a digit");
    expect(waiting).toContain("history: (a pause or Enter commits the number)");
    const summary = { seconds: 1, utterances: 1, predictions: 1, rejected: 0, droppedSamples: 160, repairedSamples: 0, digits: "7" };
    expect(frameOf({ columns: 60, rows: 20, view: fold([{ type: "stopped", t: 1, reason: "end-of-stream", summary }], view) })).toContain("■ end of stream");
    const rejected = fold([{ type: "rejected", reason: "not-speech", start: 1, end: 1.2, confidence: 0.5, top: [{ digit: 1, p: 0.5 }] }], view);
    const frame = frameOf({ columns: 60, rows: 20, view: rejected });
    expect(frame).toContain("rejected: not speech");
    expect(frame).toContain("rejected 1 (not speech 1)");
  });

  test("a banner with the fix when the source cannot start", () => {
    const frame = frameOf({
      columns: 60,
      rows: 20,
      view: initialEngineView(),
      entry: initialEntryState(),
      banner: { message: "no audio input device found", hint: "apt-get install libportaudio2", action: "press p to play a demo" },
      demo: true,
    });
    expect(frame).toContain("no audio input device found");
    expect(frame).toContain("fix: apt-get install libportaudio2");
    expect(frame).toContain("press p to play a demo");
    expect(frame).toContain("p play demo");
  });
});
