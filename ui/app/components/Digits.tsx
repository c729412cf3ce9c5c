/** A number drawn digit by digit in its confidence colours (or with plain marks under NO_COLOR). */
import { Text } from "ink";
import type { DigitConfidence } from "../state/entry-reducer.ts";
import { digitCells, lastCellsThatFit, TIER_COLORS } from "./confidence.ts";

export interface DigitsProps {
  digits: string;
  confidence: readonly DigitConfidence[];
  plain: boolean;
  /** Columns available: a longer number keeps its newest digits, "…" marks the cut. */
  width: number;
  bold?: boolean;
}

export function Digits({ digits, confidence, plain, width, bold }: DigitsProps) {
  const { cells, cut } = lastCellsThatFit(digitCells(digits, confidence, plain), width);
  return (
    <Text bold={bold}>
      {cut ? <Text dimColor>…</Text> : null}
      {cells.map((c, i) => (
        <Text key={i} color={plain ? undefined : TIER_COLORS[c.tier]}>
          {c.text}
        </Text>
      ))}
    </Text>
  );
}

/** Columns the digits take on screen. */
export function digitsWidth(digits: string, confidence: readonly DigitConfidence[], plain: boolean): number {
  return digitCells(digits, confidence, plain).reduce((n, c) => n + c.text.length, 0);
}
