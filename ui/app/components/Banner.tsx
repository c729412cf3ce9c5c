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
      <Text color={color} bold wrap="truncate-end">{message}</Text>
      {hint ? <Text wrap="truncate-end">{`fix: ${hint}`}</Text> : null}
      {action ? <Text bold wrap="truncate-end">{action}</Text> : null}
    </Box>
  );
}
