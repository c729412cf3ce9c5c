/** Every key of the app, and what the colours mean; `?` opens it, any key closes it. */
import { Box, Text } from "ink";
import { fit } from "./format.ts";
import { FAIR_AT, SURE_AT, TIER_MARKS } from "./confidence.ts";

export const HELP_KEYS: readonly [keys: string, what: string][] = [
  ["0-9", "type a digit on the entry line"],
  ["⌫", "delete the last digit"],
  ["⏎", "commit the number now"],
  ["c", "clear the entry line"],
  ["u", "undo: the last number back onto the empty line"],
  ["space", "pause / resume listening"],
  ["l", "latency: one line / every stage"],
  ["d", "pick the input device (kept for next time)"],
  ["p", "play the demo when nothing can be heard"],
  ["e", "enrol: teach it your voice (bun enroll), then listen with your profile"],
  ["?", "this help"],
  ["q", "quit (Ctrl+C too)"],
];

export function HelpOverlay({ width, plain }: { width: number; plain: boolean }) {
  const pct = (p: number) => `${Math.round(p * 100)}%`;
  const colours = plain
    ? `marks: none sure ≥ ${pct(SURE_AT)} · ${TIER_MARKS.fair} fair ≥ ${pct(FAIR_AT)} · ${TIER_MARKS.unsure} unsure`
    : `colours: green sure ≥ ${pct(SURE_AT)} · yellow fair ≥ ${pct(FAIR_AT)} · red unsure`;
  return (
    <Box flexDirection="column">
      <Text bold>keys</Text>
      {HELP_KEYS.map(([k, what]) => (
        <Text key={k}>
          <Text bold>{k.padEnd(7)}</Text>
          <Text>{fit(what, width - 7)}</Text>
        </Text>
      ))}
      <Text dimColor>{fit(colours, width)}</Text>
    </Box>
  );
}

/** Rows the overlay takes. */
export const HELP_ROWS = HELP_KEYS.length + 2;
