/** The number being entered, each digit in its confidence colour, with the countdown to its automatic commit. */
import { Box, Text } from "ink";
import { memo } from "react";
import type { DigitConfidence } from "../state/entry-reducer.ts";
import { Digits } from "./Digits.tsx";

export interface EntryLineProps {
  digits: string;
  confidence: readonly DigitConfidence[];
  /** Seconds until the line commits itself, or null when no commit is pending. */
  commitIn: number | null;
  paused: boolean;
  /** The line holds a number taken back with undo (it waits for the user). */
  held?: boolean;
  width: number;
  plain?: boolean;
}

const LABEL = "number ▸ ";

export function entryStatus(paused: boolean, held: boolean, commitIn: number | null): string {
  if (held) return "undone: ⏎ commits, c clears";
  if (paused) return "paused";
  return commitIn === null ? "" : `commits in ${commitIn.toFixed(1)} s`;
}

export const EntryLine = memo(function EntryLine({ digits, confidence, commitIn, paused, held = false, width, plain = false }: EntryLineProps) {
  const status = entryStatus(paused, held, commitIn);
  // label, cursor, a space before the status
  const room = Math.max(1, width - LABEL.length - 1 - (status ? status.length + 1 : 0));
  return (
    <Box>
      <Text bold>{LABEL}</Text>
      <Digits digits={digits} confidence={confidence} plain={plain} width={room} bold />
      <Text color={paused ? "gray" : "cyan"}>{paused ? " " : "▁"}</Text>
      <Box flexGrow={1} />
      <Text dimColor>{status}</Text>
    </Box>
  );
});
