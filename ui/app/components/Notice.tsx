/**
 * The warning slot: one row that is always there, so a warning (silent input, a device error)
 * appears without pushing the screen down. The message, then its fix.
 */
import { Text } from "ink";
import { memo } from "react";
import { fit } from "./format.ts";

export interface NoticeProps {
  notice: { message: string; hint?: string; tone: "warning" | "error" } | null;
  width: number;
}

export function noticeText(notice: NonNullable<NoticeProps["notice"]>, width: number): string {
  return fit(`⚠ ${notice.message}${notice.hint ? `: ${notice.hint}` : ""}`, width);
}

export const Notice = memo(function Notice({ notice, width }: NoticeProps) {
  if (!notice) return <Text> </Text>;
  return (
    <Text color={notice.tone === "error" ? "red" : "yellow"} bold>
      {noticeText(notice, width)}
    </Text>
  );
});
