/** A problem the user can fix, with the fix. */
import { Box, Text } from "ink";

export interface BannerProps {
  message: string;
  hint?: string;
  action?: string;
  tone?: "error" | "warning";
}

export function Banner({ message, hint, action, tone = "error" }: BannerProps) {
  const color = tone === "error" ? "red" : "yellow";
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color} paddingX={1}>
      <Text color={color} bold>
        {message}
      </Text>
      {hint ? <Text>{`fix: ${hint}`}</Text> : null}
      {action ? <Text bold>{action}</Text> : null}
    </Box>
  );
}

/** Rows the banner takes at a terminal width: its border plus each text wrapped to the inside. */
export function bannerRows({ message, hint, action }: BannerProps, columns: number): number {
  const inside = Math.max(1, columns - 4);
  const lines = (text: string | undefined) => (text ? Math.ceil(text.length / inside) : 0);
  return 2 + lines(message) + lines(hint ? `fix: ${hint}` : undefined) + lines(action);
}
