/** Committed numbers, newest first, each digit in its confidence colour. */
import { Box, Text } from "ink";
import { memo } from "react";
import type { CommittedNumber } from "../state/entry-reducer.ts";
import { Digits, digitsWidth } from "./Digits.tsx";
import { fit } from "./format.ts";

export interface HistoryProps {
  history: readonly CommittedNumber[];
  /** Rows available; 1 puts the numbers on one line. */
  rows: number;
  width: number;
  plain?: boolean;
}

export const History = memo(function History({ history, rows, width, plain = false }: HistoryProps) {
  if (history.length === 0) {
    return <Text dimColor>{fit("history: (a pause or Enter commits the number)", width)}</Text>;
  }
  if (rows <= 1) {
    // newest first on one line, as many whole numbers as fit (the newest cut if it alone does not)
    const label = "history: ";
    let left = width - label.length;
    const parts: { n: CommittedNumber; sep: string; width: number }[] = [];
    for (let i = history.length - 1; i >= 0; i--) {
      const n = history[i]!;
      const sep = parts.length ? " · " : "";
      const w = digitsWidth(n.digits, n.confidence, plain);
      if (sep.length + w > left) {
        if (parts.length === 0) parts.push({ n, sep, width: left });
        break;
      }
      parts.push({ n, sep, width: w });
      left -= sep.length + w;
    }
    return (
      <Text>
        <Text dimColor>{label}</Text>
        {parts.map((p, i) => (
          <Text key={i}>
            <Text dimColor>{p.sep}</Text>
            <Digits digits={p.n.digits} confidence={p.n.confidence} plain={plain} width={p.width} />
          </Text>
        ))}
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
          <Digits digits={n.digits} confidence={n.confidence} plain={plain} width={width - numberWidth - 2} bold={i === 0} />
        </Text>
      ))}
    </Box>
  );
});
