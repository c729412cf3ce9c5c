/** The latest result: the digit in block glyphs and the top-3 probabilities as bars. */
import { Box, Text } from "ink";
import { memo } from "react";
import type { LastResult } from "../state/engine-view.ts";
import { bigDigitRows, GLYPH_WIDTH } from "./big-digits.ts";
import { REASON_LABELS } from "./format.ts";

export interface PredictionProps {
  last: LastResult | null;
  width: number;
}

export const Prediction = memo(function Prediction({ last, width }: PredictionProps) {
  const rejected = last?.kind === "rejected";
  const rows = bigDigitRows(last === null ? null : rejected ? "?" : last.digit);
  // "7 ████████░░░░ 0.93": digit, space, bar, space, probability
  const barWidth = Math.max(4, Math.min(24, width - GLYPH_WIDTH - 4 - 2 - 5));
  const top = (last?.top ?? []).slice(0, 3);
  const lines: { text: string; bar: string; rest: string; p: string; best: boolean }[] = top.map((t, i) => {
    const n = Math.round(Math.max(0, Math.min(1, t.p)) * barWidth);
    return { text: `${t.digit} `, bar: "█".repeat(n), rest: "░".repeat(barWidth - n), p: ` ${t.p.toFixed(2)}`, best: i === 0 && !rejected };
  });
  const caption = last === null ? "say a digit" : rejected ? `rejected: ${REASON_LABELS[last.reason]}` : `${(last.confidence * 100).toFixed(0)}% sure`;
  return (
    <Box flexDirection="row">
      <Box flexDirection="column" marginRight={3}>
        {rows.map((row, i) => (
          <Text key={i} color={rejected ? "yellow" : "cyanBright"} bold>
            {row}
          </Text>
        ))}
      </Box>
      <Box flexDirection="column">
        <Text dimColor>{caption}</Text>
        {lines.map((l, i) => (
          <Text key={i}>
            <Text bold={l.best}>{l.text}</Text>
            <Text color={l.best ? "cyan" : "gray"}>{l.bar}</Text>
            <Text dimColor>{l.rest}</Text>
            <Text bold={l.best}>{l.p}</Text>
          </Text>
        ))}
      </Box>
    </Box>
  );
});
