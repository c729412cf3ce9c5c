/** Number and label formatting shared by the panels. */
import type { RejectReason } from "../../../engine/events.ts";

export const REASON_LABELS: Record<RejectReason, string> = {
  "too-short": "too short",
  "too-long": "too long",
  "not-speech": "not speech",
  "low-confidence": "low confidence",
  "not-a-digit": "not a digit",
};

/** Milliseconds with about three significant digits: 0.042, 1.23, 12.3, 262. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  const a = Math.abs(ms);
  if (a < 1) return ms.toFixed(3);
  if (a < 10) return ms.toFixed(2);
  if (a < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

export function formatDb(db: number): string {
  if (!Number.isFinite(db)) return "-∞";
  return db.toFixed(0);
}

export function formatRate(hz: number): string {
  return hz % 1000 === 0 ? `${hz / 1000} kHz` : `${(hz / 1000).toFixed(hz % 100 === 0 ? 1 : 2)} kHz`;
}

/** Cuts a string to `width` columns, marking the cut with an ellipsis. */
export function fit(text: string, width: number): string {
  if (width <= 0) return "";
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
