/** Per-stage latency of the recent predictions: last, median and 95th percentile, in ms. */
import { Box, Text } from "ink";
import { memo } from "react";
import type { LatencySummary } from "../state/latency-stats.ts";
import { formatMs } from "./format.ts";

export interface LatencyPanelProps {
  summary: LatencySummary;
  /** Show only the end of speech → digit row (small terminals). */
  compact?: boolean;
}

const LABEL = 22;
const COL = 8;

export const LatencyPanel = memo(function LatencyPanel({ summary, compact = false }: LatencyPanelProps) {
  const stages = compact ? summary.stages.filter((s) => s.key === "endToPredictionMs") : summary.stages;
  return (
    <Box flexDirection="column">
      <Text dimColor>
        {`${`latency ms (n=${summary.count})`.padEnd(LABEL)}${"last".padStart(COL)}${"p50".padStart(COL)}${"p95".padStart(COL)}`}
      </Text>
      {stages.map((s) => (
        <Text key={s.key} bold={s.key === "endToPredictionMs"}>
          {`${s.label.padEnd(LABEL)}${formatMs(s.last).padStart(COL)}${formatMs(s.p50).padStart(COL)}${formatMs(s.p95).padStart(COL)}`}
        </Text>
      ))}
    </Box>
  );
});

export const LATENCY_PANEL_WIDTH = LABEL + 3 * COL;
