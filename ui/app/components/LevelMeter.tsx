/**
 * The input level on a dBFS scale: the speech-band level the VAD judges (filled), the sample peak
 * (shaded) and the held peak, with the VAD's threshold and noise floor marked under the bar and the
 * VAD's own state beside it, so the label changes exactly when the VAD does.
 */
import { Box, Text } from "ink";
import { memo } from "react";
import type { VadState } from "../../../engine/events.ts";
import type { MeterState } from "../state/engine-view.ts";
import { formatDb } from "./format.ts";

/** Left end of the meter scale; anything quieter shows as an empty bar. */
export const METER_FLOOR_DB = -80;

function scaleFraction(db: number): number {
  if (!Number.isFinite(db) || db <= METER_FLOOR_DB) return 0;
  return (Math.min(0, db) - METER_FLOOR_DB) / -METER_FLOOR_DB;
}

/** How many cells of a `width`-cell bar a level fills (-40 dBFS fills half of it). */
export function filledCells(db: number, width: number): number {
  return Math.round(scaleFraction(db) * width);
}

/** The cell (0..width-1) that marks a level, or -1 below the scale. */
export function markerCell(db: number, width: number): number {
  if (!Number.isFinite(db) || db < METER_FLOOR_DB) return -1;
  return Math.min(width - 1, Math.floor(scaleFraction(db) * width));
}

export interface MeterCells {
  /** Cells filled up to the band level. */
  rms: number;
  /** Cells shaded up to the instantaneous peak (≥ rms). */
  peak: number;
  hold: number;
  floor: number;
  threshold: number;
}

export function meterCells(m: MeterState, width: number): MeterCells {
  const rms = filledCells(m.bandDb, width);
  return {
    rms,
    peak: Math.max(rms, filledCells(m.peakDb, width)),
    hold: markerCell(m.holdDb, width),
    // off the scale (digital silence has a floor of -120 dBFS): pinned to the left end, the legend says where
    floor: Math.max(0, markerCell(m.noiseFloorDb, width)),
    threshold: Math.max(0, markerCell(m.thresholdDb, width)),
  };
}

/** Where the scale is labelled, in dBFS. */
const TICKS_DB = [-80, -60, -40, -20, 0];

/**
 * The line under the bar: the threshold (▲) and floor (△) marks, and the dB labels of the scale
 * where they do not collide with a mark.
 */
export function scaleLine(width: number, floorCell: number, thresholdCell: number): { text: string; marks: number[] } {
  const line = " ".repeat(width).split("");
  const marks = [floorCell, thresholdCell].filter((c) => c >= 0 && c < width);
  for (const db of TICKS_DB) {
    const label = String(db);
    const at = db === 0 ? width - label.length : Math.min(width - label.length, Math.max(0, markerCell(db, width)));
    const cells = Array.from({ length: label.length }, (_, k) => at + k);
    const clear = cells.every((c) => line[c] === " " && !marks.some((m) => Math.abs(m - c) <= 1));
    if (clear) cells.forEach((c, k) => (line[c] = label[k]!));
  }
  return { text: line.join(""), marks };
}

const STATE_LABELS: Record<VadState, { text: string; color?: string }> = {
  quiet: { text: "○ quiet   " },
  onset: { text: "◔ onset   ", color: "yellow" },
  speech: { text: "● speech  ", color: "greenBright" },
  hangover: { text: "◑ ending  ", color: "green" },
  cooldown: { text: "◌ too long", color: "yellow" },
};

export interface LevelMeterProps {
  meter: MeterState | null;
  /** Columns the component may use. */
  width: number;
  paused?: boolean;
}

/** Right of the bar " ● speech    -23 dB", right of the scale " ▲ VAD -41 △ floor -120", and the bar's ends. */
const LEGEND_WIDTH = 26;

export const LevelMeter = memo(function LevelMeter({ meter, width, paused = false }: LevelMeterProps) {
  const barWidth = Math.max(10, width - LEGEND_WIDTH);
  if (!meter) {
    return (
      <Box flexDirection="column">
        <Text dimColor>{`▕${"·".repeat(barWidth)}▏ ${paused ? "paused" : "waiting for audio"}`}</Text>
        <Text dimColor>{` ${scaleLine(barWidth, -1, -1).text}`}</Text>
      </Box>
    );
  }
  const c = meterCells(meter, barWidth);
  const state = paused ? { text: "❚❚ paused  " } : STATE_LABELS[meter.vad];
  const lit = !paused && meter.speaking;
  const filled = "█".repeat(c.rms);
  const shaded = "▒".repeat(c.peak - c.rms);
  const rest = "·".repeat(barWidth - c.peak).split("");
  if (c.hold >= c.peak) rest[c.hold - c.peak] = "▌";
  const scale = scaleLine(barWidth, c.floor, c.threshold);
  // the scale labels dim, the marks yellow: split the line at the marks
  const pieces: { text: string; mark: boolean }[] = [];
  let from = 0;
  for (const at of [...scale.marks].sort((a, b) => a - b)) {
    if (at < from) continue;
    pieces.push({ text: scale.text.slice(from, at), mark: false }, { text: at === c.threshold ? "▲" : "△", mark: true });
    from = at + 1;
  }
  pieces.push({ text: scale.text.slice(from), mark: false });
  const legend = ` ▲ VAD ${formatDb(meter.thresholdDb)} △ floor ${formatDb(meter.noiseFloorDb)}`;
  return (
    <Box flexDirection="column">
      <Text>
        <Text dimColor>▕</Text>
        <Text color={lit ? "greenBright" : "gray"}>{filled}</Text>
        <Text color={lit ? "green" : "gray"}>{shaded}</Text>
        <Text dimColor>{rest.join("")}</Text>
        <Text dimColor>▏</Text>
        <Text color={state.color} bold={lit}>{` ${state.text}`}</Text>
        <Text dimColor>{`${formatDb(meter.bandDb).padStart(4)} dB`}</Text>
      </Text>
      <Text>
        <Text> </Text>
        {pieces.map((p, i) => (
          <Text key={i} color={p.mark ? "yellow" : undefined} dimColor={!p.mark}>
            {p.text}
          </Text>
        ))}
        <Text> </Text>
        <Text dimColor>{legend.slice(0, Math.max(0, width - barWidth - 2))}</Text>
      </Text>
    </Box>
  );
});
