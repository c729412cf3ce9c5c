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
import { Screen } from "../ui/app/components/Screen.tsx";
import { createEventHub, type EventHub } from "../ui/app/hooks/event-hub.ts";
import { useDigitEntry } from "../ui/app/hooks/use-digit-entry.ts";
import { useKeyBindings } from "../ui/app/hooks/use-key-bindings.ts";
import { PEAK_HOLD_S, engineViewReducer, initialEngineView, looksTheSame, type EngineView } from "../ui/app/state/engine-view.ts";
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

function fold(events: EngineEvent[], view: EngineView = initialEngineView()): EngineView {
  return events.reduce(engineViewReducer, view);
}

/** Lets React and Ink process what was written to stdin or emitted. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe("LevelMeter", () => {
  // width 66 leaves a 40-cell bar: the -80..0 dBFS scale at 2 dB per cell
  const width = 66;

  test("fills to the RMS, shades to the peak, marks the held peak, the VAD threshold and the noise floor", () => {
    const view = fold([level(0, -40, -20)]);
    const { lastFrame } = render(<LevelMeter meter={view.meter} width={width} />);
    const [bar, markers] = lastFrame()!.split("\n");
    expect(bar!.match(/█/g)!.length).toBe(20);
    expect(bar!.match(/▒/g)!.length).toBe(10);
    expect(bar).toContain("○ quiet");
    expect(bar).toContain("-40 dB");
    // ▲ threshold -45 dBFS → cell 17, △ floor -60 → cell 10 (one column of padding before the bar)
    expect(markers!.indexOf("▲")).toBe(1 + 17);
    expect(markers!.indexOf("△")).toBe(1 + 10);
    expect(markers).toContain("VAD -45");
    expect(markers).toContain("floor -60");
  });

  test("holds a peak for PEAK_HOLD_S, then lets it fall; lit while an utterance is open", () => {
    const loud = fold([level(0, -20, -10, true)]);
    const held = fold([level(0.5, -60, -50, false), level(PEAK_HOLD_S, -60, -50, false)], loud);
    expect(held.meter!.holdDb).toBe(-10);
    const { lastFrame, rerender } = render(<LevelMeter meter={held.meter} width={width} />);
    // held peak -10 dBFS → cell 35 of the bar (after the "▕")
    expect(lastFrame()!.split("\n")[0]!.indexOf("▌")).toBe(1 + 35);

    let fallen = held;
    for (let t = PEAK_HOLD_S + 0.1; t < 4; t += 0.1) fallen = fold([level(t, -60, -50)], fallen);
    expect(fallen.meter!.holdDb).toBe(-50);

    rerender(<LevelMeter meter={loud.meter} width={width} />);
    expect(lastFrame()).toContain("● speech");
  });
});

describe("engine view", () => {
  test("level events too small to see cause no redraw; a new result or a visible level does", () => {
    const a = fold([level(0.5, -40.2, -20.1)]);
    expect(looksTheSame(a, fold([level(0.52, -40.3, -20.2)], a))).toBe(true);
    expect(looksTheSame(a, fold([level(0.52, -38, -20.2)], a))).toBe(false);
    expect(looksTheSame(a, fold([level(0.61, -40.3, -20.2)], a))).toBe(false);
    expect(looksTheSame(a, fold([level(0.61, -40.3, -20.2)], a), 1)).toBe(true);
    expect(looksTheSame(a, fold([prediction(3, 0.5)], a))).toBe(false);
  });
});

describe("LatencyPanel", () => {
  test("shows last, p50 and p95 of each stage over the prediction events", () => {
    // 20 predictions with end-of-speech → digit 200..390 ms in shuffled order, the last one 250 ms
    const ms = [300, 210, 390, 280, 200, 340, 220, 310, 380, 230, 360, 240, 330, 260, 370, 270, 350, 290, 320, 250];
    const view = fold(ms.map((m, i) => prediction(i % 10, i + 1, latency(m, 0.01 * (i + 1)))));
    const { lastFrame } = render(<LatencyPanel summary={summariseLatency(view.latencies)} />);
    const lines = lastFrame()!.split("\n");
    expect(lines[0]).toContain("n=20");
    const e2e = lines.find((l) => l.startsWith("end of speech → digit"))!.split(/\s+/).slice(-3);
    // nearest rank: p50 is the 10th smallest (290), p95 the 19th (380)
    expect(e2e).toEqual(["250", "290", "380"]);
    const inference = lines.find((l) => l.startsWith("inference"))!.split(/\s+/).slice(-3);
    expect(inference).toEqual(["0.200", "0.100", "0.190"]);
  });
});

describe("Prediction", () => {
  test("the digit in block glyphs and the top-3 as bars; a rejection shows its reason", () => {
    const view = fold([prediction(4, 1)]);
    const { lastFrame, rerender } = render(<Prediction last={view.last} width={60} />);
    const frame = lastFrame()!;
    expect(frame).toContain("█   █"); // the 4's open top
    expect(frame).toContain("90% sure");
    expect(frame).toMatch(/4 █+░* 0\.90/);
    expect(frame).toMatch(/5 █*░+ 0\.07/);
    const rejected = fold([{ type: "rejected", reason: "too-short", start: 1, end: 1.05 }], view);
    rerender(<Prediction last={rejected.last} width={60} />);
    expect(lastFrame()).toContain("rejected: too short");
    expect(rejected.rejected["too-short"]).toBe(1);
  });
});

function EntryHarness({ hub }: { hub: EventHub }) {
  const [committed, setCommitted] = useState<string[]>([]);
  const { entry, dispatch } = useDigitEntry({ subscribe: hub.subscribe, commitAfter: 2, onCommit: (n) => setCommitted((c) => [...c, n]) });
  useKeyBindings(false, {
    backspace: () => dispatch({ type: "backspace" }),
    commit: () => dispatch({ type: "commit" }),
    clear: () => dispatch({ type: "clear" }),
  });
  return (
    <Box flexDirection="column">
      <EntryLine digits={entry.digits} commitIn={null} paused={false} width={60} />
      <History history={entry.history} rows={3} width={60} />
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
});

describe("Screen", () => {
  const view = fold([
    { type: "started", source: "file", name: "s09_44k_f32_clean.wav", sampleRate: 44100, channels: 1 },
    level(0.5, -30, -12, true),
    prediction(7, 0.8),
    { type: "dropped", t: 0.9, samples: 160, total: 160 },
  ]);
  const entry = { ...initialEntryState(2), digits: "0435", history: ["5551234", "12"] };

  for (const [columns, rows] of [
    [60, 20],
    [80, 24],
    [92, 26],
    [100, 30],
  ] as const) {
    test(`fits ${columns}×${rows} with every panel`, () => {
      const { lastFrame } = render(<Screen columns={columns} rows={rows} view={view} entry={entry} paused={false} />);
      const lines = lastFrame()!.split("\n");
      expect(lines.length).toBeLessThanOrEqual(rows);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
      const frame = lastFrame()!;
      for (const part of ["▕", "● speech", "90% sure", "number ▸ 0435", "5551234", "end of speech → digit", "dropped 160", "quit"]) {
        expect(frame).toContain(part);
      }
    });
  }

  test("a banner with the fix when the source cannot start", () => {
    const { lastFrame } = render(
      <Screen
        columns={60}
        rows={20}
        view={initialEngineView()}
        entry={initialEntryState()}
        paused={false}
        banner={{ message: "no audio input device found", hint: "apt-get install libportaudio2", action: "press p to play a demo" }}
      />,
    );
    const frame = lastFrame()!;
    expect(frame).toContain("no audio input device found");
    expect(frame).toContain("fix: apt-get install libportaudio2");
    expect(frame).toContain("press p to play a demo");
    expect(frame.split("\n").length).toBeLessThanOrEqual(20);
  });
});
