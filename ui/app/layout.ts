/** Which panels fit a terminal of a given size, and how many rows each gets. */

export interface Layout {
  /** Bordered panels with the prediction beside the latency table; otherwise a compact stack. */
  framed: boolean;
  /** Only the end of speech → digit row of the latency table. */
  latencyCompact: boolean;
  showLatency: boolean;
  showPrediction: boolean;
  /** Rows for the history list (1 = one line). */
  historyRows: number;
  /** Rows of the middle area (prediction and latency, or the device picker). */
  middleRows: number;
}

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 20;
/** The prediction (≈ 40 columns) beside the latency table (46) inside borders. */
const FRAMED_MIN_COLUMNS = 92;

const STATUS_ROWS = 2;
const METER_ROWS = 2;
const KEYS_ROWS = 1;
const PREDICTION_ROWS = 5;
const LATENCY_ROWS = 7;
const LATENCY_COMPACT_ROWS = 2;

export function planLayout(columns: number, rows: number, bannerRows = 0): Layout {
  const framedBase = STATUS_ROWS + (METER_ROWS + 2) + (LATENCY_ROWS + 2) + 3 + KEYS_ROWS + bannerRows;
  if (columns >= FRAMED_MIN_COLUMNS && rows >= framedBase + 3) {
    return {
      framed: true,
      latencyCompact: false,
      showLatency: true,
      showPrediction: true,
      historyRows: rows - framedBase - 2,
      middleRows: LATENCY_ROWS,
    };
  }
  const avail = rows - (STATUS_ROWS + METER_ROWS + 1 + KEYS_ROWS + bannerRows);
  if (avail >= PREDICTION_ROWS + LATENCY_ROWS + 1) {
    return { framed: false, latencyCompact: false, showLatency: true, showPrediction: true, historyRows: avail - PREDICTION_ROWS - LATENCY_ROWS, middleRows: PREDICTION_ROWS + LATENCY_ROWS };
  }
  if (avail >= PREDICTION_ROWS + LATENCY_COMPACT_ROWS + 1) {
    return { framed: false, latencyCompact: true, showLatency: true, showPrediction: true, historyRows: avail - PREDICTION_ROWS - LATENCY_COMPACT_ROWS, middleRows: PREDICTION_ROWS + LATENCY_COMPACT_ROWS };
  }
  if (avail >= PREDICTION_ROWS + 1) {
    return { framed: false, latencyCompact: true, showLatency: false, showPrediction: true, historyRows: avail - PREDICTION_ROWS, middleRows: PREDICTION_ROWS };
  }
  return { framed: false, latencyCompact: true, showLatency: false, showPrediction: false, historyRows: Math.max(1, avail), middleRows: 0 };
}
