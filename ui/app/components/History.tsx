/** Committed numbers, newest first. */
import { Box, Text } from "ink";
import { memo } from "react";
import { fit } from "./format.ts";

export interface HistoryProps {
  history: readonly string[];
  /** Rows available; 1 puts the numbers on one line. */
  rows: number;
  width: number;
}

export const History = memo(function History({ history, rows, width }: HistoryProps) {
  if (history.length === 0) {
    return <Text dimColor>{fit("history: (a pause or Enter commits the number)", width)}</Text>;
  }
  if (rows <= 1) {
    const line = [...history].reverse().join(" · ");
    return (
      <Text>
        <Text dimColor>history: </Text>
        {fit(line, width - 9)}
      </Text>
    );
  }
  const shown = history.slice(-rows).reverse();
  const numberWidth = String(history.length).length;
  return (
    <Box flexDirection="column">
      {shown.map((n, i) => (
        <Text key={history.length - i}>
          <Text dimColor>{`${String(history.length - i).padStart(numberWidth)}. `}</Text>
          <Text color={i === 0 ? "whiteBright" : undefined}>{fit(n, width - numberWidth - 2)}</Text>
        </Text>
      ))}
    </Box>
  );
});
