/**
 * Per-stage latency of the recent predictions: last, median and 95th percentile, in ms. Folded, one
 * line: the end of speech → digit figures only (the one a user feels); `l` unfolds every stage.
 */
import { Box, Text } from "ink";
import { memo } from "react";
import type { LatencySummary } from "../state/latency-stats.ts";
import { fit, formatMs } from "./format.ts";

export interface LatencyPanelProps {
  summary: LatencySummary;
  folded?: boolean;
  width: number;
}

const LABEL = 22;
const COL = 8;

export const LatencyPanel = memo(function LatencyPanel({ summary, folded = false, width }: LatencyPanelProps) {
  if (folded) {
    const e2e = summary.stages.find((s) => s.key === "endToPredictionMs")!;
    const text =
      summary.count === 0
        ? "speech end → digit: ms after the first digit"
        : `speech end → digit: ${formatMs(e2e.last)} ms, p50 ${formatMs(e2e.p50)}, p95 ${formatMs(e2e.p95)} (n=${summary.count})`;
    return <Text dimColor>{fit(text, width)}</Text>;
  }
  return (
    <Box flexDirection="column">
      <Text dimColor>{`${`latency ms (n=${summary.count})`.padEnd(LABEL)}${"last".padStart(COL)}${"p50".padStart(COL)}${"p95".padStart(COL)}`}</Text>
      {summary.stages.map((s) => (
        <Text key={s.key} bold={s.key === "endToPredictionMs"}>
          {`${s.label.padEnd(LABEL)}${formatMs(s.last).padStart(COL)}${formatMs(s.p50).padStart(COL)}${formatMs(s.p95).padStart(COL)}`}
        </Text>
      ))}
    </Box>
  );
});

export const LATENCY_PANEL_WIDTH = LABEL + 3 * COL;
/** Rows of the unfolded table: a header and one row per stage. */
export const LATENCY_TABLE_ROWS = 7;
