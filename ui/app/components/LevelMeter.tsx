/** The input level: a dBFS bar (RMS filled, peak shaded, held peak marked) with the VAD's noise floor and threshold. */
import { Box, Text } from "ink";
import { memo } from "react";
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
  /** Cells filled up to the RMS level. */
  rms: number;
  /** Cells shaded up to the instantaneous peak (≥ rms). */
  peak: number;
  hold: number;
  floor: number;
  threshold: number;
}

export function meterCells(m: MeterState, width: number): MeterCells {
  const rms = filledCells(m.rmsDb, width);
  return {
    rms,
    peak: Math.max(rms, filledCells(m.peakDb, width)),
    hold: markerCell(m.holdDb, width),
    // off the scale (digital silence has a floor of -120 dBFS): pinned to the left end, the legend says where
    floor: Math.max(0, markerCell(m.noiseFloorDb, width)),
    threshold: Math.max(0, markerCell(m.thresholdDb, width)),
  };
}

export interface LevelMeterProps {
  meter: MeterState | null;
  /** Columns the component may use. */
  width: number;
  paused?: boolean;
}

export const LevelMeter = memo(function LevelMeter({ meter, width, paused = false }: LevelMeterProps) {
  // the right of each line holds "● speech  -23 dB" and "▲ VAD -41  △ floor -63"
  const legendWidth = 26;
  const barWidth = Math.max(10, width - legendWidth);
  if (!meter) {
    return (
      <Box flexDirection="column">
        <Text dimColor>{`▕${"·".repeat(barWidth)}▏ waiting for audio`}</Text>
        <Text> </Text>
      </Box>
    );
  }
  const c = meterCells(meter, barWidth);
  const lit = meter.speaking && !paused;
  const filled = "█".repeat(c.rms);
  const shaded = "▒".repeat(c.peak - c.rms);
  const rest = "·".repeat(barWidth - c.peak).split("");
  if (c.hold >= c.peak) rest[c.hold - c.peak] = "▌";
  const markers = " ".repeat(barWidth).split("");
  if (c.floor >= 0) markers[c.floor] = "△";
  if (c.threshold >= 0) markers[c.threshold] = "▲";
  return (
    <Box flexDirection="column">
      <Text>
        <Text dimColor>▕</Text>
        <Text color={lit ? "greenBright" : "gray"}>{filled}</Text>
        <Text color={lit ? "green" : "gray"}>{shaded}</Text>
        <Text dimColor>{rest.join("")}</Text>
        <Text dimColor>▏</Text>
        <Text color={lit ? "greenBright" : undefined} bold={lit}>{lit ? " ● speech" : " ○ quiet "}</Text>
        <Text dimColor>{` ${formatDb(meter.rmsDb).padStart(4)} dB`}</Text>
      </Text>
      <Text>
        <Text> </Text>
        <Text color="yellow">{markers.join("")}</Text>
        <Text dimColor>{` ▲ VAD ${formatDb(meter.thresholdDb)}  △ floor ${formatDb(meter.noiseFloorDb)}`}</Text>
      </Text>
    </Box>
  );
});
