/** The number being entered, with the countdown to its automatic commit. */
import { Box, Text } from "ink";
import { memo } from "react";

export interface EntryLineProps {
  digits: string;
  /** Seconds until the line commits itself, or null when no commit is pending. */
  commitIn: number | null;
  paused: boolean;
  width: number;
}

export const EntryLine = memo(function EntryLine({ digits, commitIn, paused, width }: EntryLineProps) {
  const status = paused ? "paused" : commitIn === null ? "" : `commits in ${commitIn.toFixed(1)} s`;
  const room = Math.max(1, width - 11 - status.length);
  // long numbers scroll: the newest digits stay visible
  const shown = digits.length > room ? `…${digits.slice(-(room - 1))}` : digits;
  return (
    <Box>
      <Text bold>number ▸ </Text>
      <Text bold color="whiteBright">{shown}</Text>
      <Text color={paused ? "gray" : "cyan"}>{paused ? "" : "▁"}</Text>
      <Box flexGrow={1} />
      <Text dimColor>{status}</Text>
    </Box>
  );
});
