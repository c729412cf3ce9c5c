import { Text } from "ink";
import { memo } from "react";
import { fit } from "./format.ts";

const FULL = "⌫ delete · ⏎ commit · c clear · space pause · d device · q quit";
const SHORT = "⌫ del ⏎ commit c clear ␣ pause d dev q quit";

export const KeyHelp = memo(function KeyHelp({ width, extra }: { width: number; extra?: string }) {
  const base = FULL.length + (extra ? extra.length + 3 : 0) <= width ? FULL : SHORT;
  return <Text dimColor>{fit(extra ? `${base} · ${extra}` : base, width)}</Text>;
});
