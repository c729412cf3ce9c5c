/**
 * Five-by-five block glyphs for the digits, drawn at a whole-number scale, so the latest prediction
 * reads from across the room and fills a large terminal.
 */

export const GLYPH_ROWS = 5;
export const GLYPH_WIDTH = 5;

const GLYPHS: readonly (readonly string[])[] = [
  ["█████", "█   █", "█   █", "█   █", "█████"],
  [" ██  ", "  █  ", "  █  ", "  █  ", "█████"],
  ["█████", "    █", "█████", "█    ", "█████"],
  ["█████", "    █", " ████", "    █", "█████"],
  ["█   █", "█   █", "█████", "    █", "    █"],
  ["█████", "█    ", "█████", "    █", "█████"],
  ["█████", "█    ", "█████", "█   █", "█████"],
  ["█████", "    █", "   █ ", "  █  ", "  █  "],
  ["█████", "█   █", "█████", "█   █", "█████"],
  ["█████", "█   █", "█████", "    █", "█████"],
];

const BLANK = Array.from({ length: GLYPH_ROWS }, () => " ".repeat(GLYPH_WIDTH));
const QUESTION = ["█████", "    █", "  ███", "     ", "  █  "];

/** The glyph rows of a digit at `scale` (each cell scale × scale); a rejection is "?", null blank. */
export function bigDigitRows(digit: number | "?" | null, scale = 1): readonly string[] {
  const rows = digit === null ? BLANK : digit === "?" ? QUESTION : (GLYPHS[digit] ?? QUESTION);
  if (scale === 1) return rows;
  return rows.flatMap((row) => {
    const wide = [...row].map((c) => c.repeat(scale)).join("");
    return Array.from({ length: scale }, () => wide);
  });
}
