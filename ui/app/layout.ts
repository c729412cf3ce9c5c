/**
 * Which panels fit a terminal of a given size, and how many rows each gets: the big digit takes the
 * largest scale that leaves the history a fair share, the latency panel one line unless unfolded.
 */
import { GLYPH_ROWS, GLYPH_WIDTH } from "./components/big-digits.ts";
import { LATENCY_PANEL_WIDTH, LATENCY_TABLE_ROWS } from "./components/LatencyPanel.tsx";
import { TOP_COLUMN_MIN } from "./components/Prediction.tsx";

export interface Layout {
  /** Bordered panels (wide and tall terminals); otherwise a compact stack. */
  framed: boolean;
  /** Glyph scale of the big digit (0: no prediction panel). */
  digitScale: number;
  /** How the latency shows: one line, the whole table (under or beside the digit), or not at all. */
  latency: "folded" | "table" | "table-beside" | "hidden";
  /** Rows inside the middle area (prediction and latency). */
  middleRows: number;
  /** Rows for the history list (1 = one line). */
  historyRows: number;
}

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 20;
const FRAMED_MIN_COLUMNS = 92;
const FRAMED_MIN_ROWS = 28;

/** Status (2), warning slot (1), meter (2), entry line (1), keys (1). */
export const FIXED_ROWS = 7;
/** The borders of the meter, middle, entry and history boxes. */
const FRAME_ROWS = 8;
const GAP = 3;
const MAX_SCALE = 6;

export interface LayoutOptions {
  /** Rows of the banner shown when the source cannot start. */
  bannerRows?: number;
  latencyExpanded?: boolean;
}

export function planLayout(columns: number, rows: number, { bannerRows = 0, latencyExpanded = false }: LayoutOptions = {}): Layout {
  const framed = columns >= FRAMED_MIN_COLUMNS && rows >= FRAMED_MIN_ROWS + bannerRows;
  const inner = framed ? columns - 4 : columns;
  const avail = rows - FIXED_ROWS - bannerRows - (framed ? FRAME_ROWS : 0);
  // the history keeps a third of the room in a framed layout, a quarter in a compact one
  const minHistory = Math.max(framed ? 3 : 1, Math.floor(avail / (framed ? 3 : 4)));
  for (let scale = MAX_SCALE; scale >= 1; scale--) {
    const digit = GLYPH_ROWS * scale;
    const digitWidth = GLYPH_WIDTH * scale + GAP + TOP_COLUMN_MIN;
    if (digitWidth > inner) continue;
    let middleRows = digit + 1;
    let latency: Layout["latency"] = "folded";
    if (latencyExpanded) {
      const beside = framed && digitWidth + 2 + LATENCY_PANEL_WIDTH <= inner;
      latency = beside ? "table-beside" : "table";
      middleRows = beside ? Math.max(digit, LATENCY_TABLE_ROWS) : digit + LATENCY_TABLE_ROWS;
    }
    // an unfolded table is asked for: it may leave the history a single line
    if (avail - middleRows >= (latencyExpanded && scale === 1 ? 1 : minHistory)) {
      return { framed, digitScale: scale, latency, middleRows, historyRows: avail - middleRows };
    }
  }
  // smaller than the app is made for: drop the latency, then the prediction
  if (avail - GLYPH_ROWS >= 1) return { framed, digitScale: 1, latency: "hidden", middleRows: GLYPH_ROWS, historyRows: avail - GLYPH_ROWS };
  return { framed, digitScale: 0, latency: "hidden", middleRows: 0, historyRows: Math.max(1, avail) };
}
