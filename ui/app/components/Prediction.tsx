/**
 * The latest result: the digit in block glyphs coloured by confidence, the top-3 probabilities as
 * bars; a rejection shows "?" and why, for a moment, before the last digit comes back.
 */
import { Box, Text } from "ink";
import { memo } from "react";
import type { LastResult } from "../state/engine-view.ts";
import { bigDigitRows, GLYPH_ROWS, GLYPH_WIDTH } from "./big-digits.ts";
import { confidenceTier, TIER_COLORS, TIER_MARKS } from "./confidence.ts";
import { fit, REASON_LABELS } from "./format.ts";

export interface PredictionProps {
  last: LastResult | null;
  width: number;
  /** Glyph scale: the digit is 5·scale columns wide and 5·scale rows high. */
  scale?: number;
  plain?: boolean;
}

/** Columns the top-3 column needs beside the digit: "7 ████████████░░░░ 0.93" at its narrowest. */
export const TOP_COLUMN_MIN = 20;
const GAP = 3;

/** The largest glyph scale whose digit and top-3 column fit in `width` columns and `rows` rows. */
export function fittingScale(width: number, rows: number, most = 6): number {
  let scale = 1;
  while (scale < most && GLYPH_WIDTH * (scale + 1) + GAP + TOP_COLUMN_MIN <= width && GLYPH_ROWS * (scale + 1) <= rows) scale++;
  return scale;
}

function caption(last: LastResult | null, plain: boolean): string {
  if (last === null) return "say a digit";
  if (last.kind === "rejected") {
    const guess = last.digit !== undefined && last.confidence !== undefined ? ` (${last.digit}? ${(last.confidence * 100).toFixed(0)}%)` : "";
    return `rejected: ${REASON_LABELS[last.reason]}${guess}`;
  }
  const tier = confidenceTier(last.confidence);
  const mark = plain && TIER_MARKS[tier] ? `${TIER_MARKS[tier]} ` : "";
  return `${mark}${tier} ${(last.confidence * 100).toFixed(0)}%`;
}

export const Prediction = memo(function Prediction({ last, width, scale = 1, plain = false }: PredictionProps) {
  const rejected = last?.kind === "rejected";
  const rows = bigDigitRows(last === null ? null : rejected ? "?" : last.digit, scale);
  const color = last === null || plain ? undefined : rejected ? "gray" : TIER_COLORS[confidenceTier(last.confidence)];
  const side = Math.max(TOP_COLUMN_MIN, width - GLYPH_WIDTH * scale - GAP);
  // "7 ████░░ 0.93": digit, space, bar, probability
  const barWidth = Math.max(4, Math.min(24, side - 7));
  const top = (last?.top ?? []).slice(0, 3);
  return (
    <Box flexDirection="row">
      <Box flexDirection="column" marginRight={GAP}>
        {rows.map((row, i) => (
          <Text key={i} color={color} dimColor={rejected} bold>
            {row}
          </Text>
        ))}
      </Box>
      <Box flexDirection="column">
        <Text color={rejected && !plain ? "yellow" : color} bold={!rejected}>
          {fit(caption(last, plain), side)}
        </Text>
        {top.map((t, i) => {
          const n = Math.round(Math.max(0, Math.min(1, t.p)) * barWidth);
          const best = i === 0 && !rejected;
          return (
            <Text key={i}>
              <Text bold={best}>{`${t.digit} `}</Text>
              <Text color={best ? color : "gray"}>{"█".repeat(n)}</Text>
              <Text dimColor>{"░".repeat(barWidth - n)}</Text>
              <Text bold={best}>{` ${t.p.toFixed(2)}`}</Text>
            </Text>
          );
        })}
      </Box>
    </Box>
  );
});
