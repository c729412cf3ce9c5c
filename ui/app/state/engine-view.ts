/**
 * What the screen shows about the engine, derived from its events by a pure reducer: the level
 * meter (with peak hold), the latest result, recent latencies and the counters.
 */
import type { EngineEvent, EngineSummary, RejectReason, StageLatency, TopK, VadState } from "../../../engine/events.ts";

/** Seconds a peak stays on the meter before it starts to fall. */
export const PEAK_HOLD_S = 1.5;
/** How fast a held peak falls once its hold time is over, in dB per second. */
export const PEAK_DECAY_DB_PER_S = 20;
/** Seconds of stream time a rejection stays on screen before the last digit comes back. */
export const REJECTION_SHOWN_S = 2.5;
/** Predictions kept for the latency percentiles. */
export const LATENCY_WINDOW = 200;

export interface MeterState {
  t: number;
  rmsDb: number;
  peakDb: number;
  /** The held peak: the highest recent peak, falling slowly after PEAK_HOLD_S. */
  holdDb: number;
  holdSince: number;
  /** Speech-band level of the last frame: what the VAD compares with `thresholdDb`. */
  bandDb: number;
  noiseFloorDb: number;
  thresholdDb: number;
  speaking: boolean;
  vad: VadState;
}

export type LastResult =
  | { kind: "prediction"; digit: number; confidence: number; top: readonly TopK[]; start: number; end: number }
  | { kind: "rejected"; reason: RejectReason; digit?: number; confidence?: number; top?: readonly TopK[]; start: number; end: number };

export interface SourceInfo {
  source: string;
  sampleRate: number;
  channels: number;
  device?: string;
}

export type RunState = "starting" | "running" | "ended" | "stopped" | "error";

export interface EngineView {
  run: RunState;
  source: SourceInfo | null;
  /** Latest stream time seen, in seconds. */
  t: number;
  meter: MeterState | null;
  /** The latest result, digit or rejection. */
  last: LastResult | null;
  /** The latest digit, shown again once a rejection after it has had its moment. */
  lastDigit: Extract<LastResult, { kind: "prediction" }> | null;
  /** Latencies of the most recent predictions, oldest first (at most LATENCY_WINDOW). */
  latencies: readonly StageLatency[];
  utterances: number;
  predictions: number;
  /** Rejected utterances by reason (reasons not seen yet are absent). */
  rejected: Readonly<Partial<Record<RejectReason, number>>>;
  droppedSamples: number;
  /** The latest problem worth showing (device error, silent input), until the next run. */
  alert: { kind: "silence" | "device" | "samples"; message: string; hint?: string } | null;
  summary: EngineSummary | null;
}

export function initialEngineView(): EngineView {
  return {
    run: "starting",
    source: null,
    t: 0,
    meter: null,
    last: null,
    lastDigit: null,
    latencies: [],
    utterances: 0,
    predictions: 0,
    rejected: {},
    droppedSamples: 0,
    alert: null,
    summary: null,
  };
}

/** What the prediction panel shows at stream time `now`: a fresh rejection, else the last digit. */
export function shownResult(view: EngineView): LastResult | null {
  const last = view.last;
  if (last?.kind === "rejected" && view.t - last.end < REJECTION_SHOWN_S) return last;
  return view.lastDigit;
}

export function totalRejected(view: EngineView): number {
  let total = 0;
  for (const n of Object.values(view.rejected)) total += n ?? 0;
  return total;
}

function nextMeter(prev: MeterState | null, e: Extract<EngineEvent, { type: "level" }>): MeterState {
  let holdDb = e.peakDb;
  let holdSince = e.t;
  if (prev && e.peakDb < prev.holdDb) {
    const held = e.t - prev.holdSince;
    if (held <= PEAK_HOLD_S) {
      holdDb = prev.holdDb;
      holdSince = prev.holdSince;
    } else {
      const fallen = prev.holdDb - PEAK_DECAY_DB_PER_S * Math.max(0, e.t - prev.t);
      if (fallen > e.peakDb) {
        holdDb = fallen;
        holdSince = prev.holdSince;
      }
    }
  }
  return {
    t: e.t,
    rmsDb: e.rmsDb,
    peakDb: e.peakDb,
    holdDb,
    holdSince,
    bandDb: e.bandDb,
    noiseFloorDb: e.noiseFloorDb,
    thresholdDb: e.thresholdDb,
    speaking: e.speaking,
    vad: e.vad,
  };
}

export function engineViewReducer(view: EngineView, e: EngineEvent): EngineView {
  switch (e.type) {
    case "started":
      // a new run (another device, the next file) starts its clock and its counters at zero
      return {
        ...initialEngineView(),
        run: "running",
        source: { source: e.source, sampleRate: e.sampleRate, channels: e.channels, device: e.device },
      };
    case "level":
      return { ...view, t: Math.max(view.t, e.t), meter: nextMeter(view.meter, e) };
    case "speech-start":
      // sound is back: a silence warning no longer holds
      return { ...view, t: Math.max(view.t, e.t), alert: view.alert?.kind === "silence" ? null : view.alert };
    case "speech-end":
      return { ...view, t: Math.max(view.t, e.t), utterances: view.utterances + 1 };
    case "prediction": {
      const latencies = view.latencies.length >= LATENCY_WINDOW ? view.latencies.slice(1 - LATENCY_WINDOW) : view.latencies.slice();
      latencies.push(e.latency);
      const last = { kind: "prediction", digit: e.digit, confidence: e.confidence, top: e.top, start: e.start, end: e.end } as const;
      return { ...view, predictions: view.predictions + 1, latencies, last, lastDigit: last };
    }
    case "rejected":
      return {
        ...view,
        rejected: { ...view.rejected, [e.reason]: (view.rejected[e.reason] ?? 0) + 1 },
        last: { kind: "rejected", reason: e.reason, digit: e.digit, confidence: e.confidence, top: e.top, start: e.start, end: e.end },
      };
    case "dropped":
      return { ...view, droppedSamples: e.total };
    case "silence-warning":
      return {
        ...view,
        alert: {
          kind: "silence",
          message: `silent input for ${e.seconds.toFixed(0)} s`,
          hint: "mic muted? d picks another device",
        },
      };
    case "repaired-samples":
      return {
        ...view,
        alert:
          view.alert?.kind === "device"
            ? view.alert
            : {
                kind: "samples",
                message: `${e.total} broken input samples (NaN, infinite or beyond full scale) repaired`,
                hint: "check the source's sample format",
              },
      };
    case "device-error":
      return { ...view, alert: { kind: "device", message: e.message, hint: e.hint } };
    case "stopped":
      return {
        ...view,
        t: Math.max(view.t, e.t),
        run: e.reason === "end-of-stream" ? "ended" : e.reason === "error" ? "error" : "stopped",
        summary: e.summary,
      };
  }
}

/**
 * True when two views would draw the same screen as far as a level event can change it: levels to
 * the dB, stream time to `timeStep` seconds, everything else the very same objects.
 */
export function looksTheSame(a: EngineView, b: EngineView, timeStep = 0.1): boolean {
  for (const key of Object.keys(a) as (keyof EngineView)[]) {
    if (key !== "meter" && key !== "t" && a[key] !== b[key]) return false;
  }
  if (Math.floor(a.t / timeStep) !== Math.floor(b.t / timeStep)) return false;
  const m = a.meter;
  const n = b.meter;
  if (m === null || n === null) return m === n;
  const db = (x: number) => Math.round(x);
  return (
    m.vad === n.vad &&
    db(m.bandDb) === db(n.bandDb) &&
    db(m.rmsDb) === db(n.rmsDb) &&
    db(m.peakDb) === db(n.peakDb) &&
    db(m.holdDb) === db(n.holdDb) &&
    db(m.noiseFloorDb) === db(n.noiseFloorDb) &&
    db(m.thresholdDb) === db(n.thresholdDb)
  );
}
