/**
 * How sure the model was of a digit, in three tiers the screen shows by colour, and by a plain mark
 * after the digit when colour is off (NO_COLOR): a wrong digit stands out without reading the top-3.
 */
import type { DigitConfidence } from "../state/entry-reducer.ts";

export type ConfidenceTier = "sure" | "fair" | "unsure" | "typed";

/** At or above: "sure". Digits this confident are almost never wrong on the test streams. */
export const SURE_AT = 0.9;
/** At or above (and below SURE_AT): "fair"; below: "unsure", worth a second look. */
export const FAIR_AT = 0.6;

export function confidenceTier(p: DigitConfidence): ConfidenceTier {
  if (p === null) return "typed";
  return p >= SURE_AT ? "sure" : p >= FAIR_AT ? "fair" : "unsure";
}

/** Typed digits keep the terminal's own text colour (white would vanish on a light background). */
export const TIER_COLORS: Record<ConfidenceTier, string | undefined> = { sure: "green", fair: "yellow", unsure: "red", typed: undefined };

/** Marks after a digit when there is no colour: none for sure or typed digits. */
export const TIER_MARKS: Record<ConfidenceTier, string> = { sure: "", fair: "~", unsure: "?", typed: "" };

export interface DigitCell {
  text: string;
  tier: ConfidenceTier;
}

/** The digits as cells to draw: each digit with its tier, and its mark in plain mode. */
export function digitCells(digits: string, confidence: readonly DigitConfidence[], plain: boolean): DigitCell[] {
  return [...digits].map((d, i) => {
    const tier = confidenceTier(confidence[i] ?? null);
    return { text: plain ? d + TIER_MARKS[tier] : d, tier };
  });
}

/** The last cells that fit in `width` columns, with room for a "…" in front when some are cut. */
export function lastCellsThatFit(cells: readonly DigitCell[], width: number): { cells: DigitCell[]; cut: boolean } {
  const firstKept = (budget: number) => {
    let used = 0;
    let i = cells.length;
    while (i > 0 && used + cells[i - 1]!.text.length <= budget) used += cells[--i]!.text.length;
    return i;
  };
  if (firstKept(width) === 0) return { cells: cells.slice(), cut: false };
  return { cells: cells.slice(firstKept(width - 1)), cut: true };
}
