/** Five-row block glyphs for the digits, so the latest prediction reads from across the room. */

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

/** The glyph rows of a digit; anything else (a rejection) shows as "?" and null as blank. */
export function bigDigitRows(digit: number | "?" | null): readonly string[] {
  if (digit === null) return BLANK;
  if (digit === "?") return QUESTION;
  return GLYPHS[digit] ?? QUESTION;
}
