/**
 * Hands-free numbers without a screen: engine events through the entry reducer, and a `committed`
 * event for each number the pause (or the end of the source) completes. What `bun listen
 * --commit-after` and `bun start` without a terminal print.
 */
import type { CommittedEvent, EngineEvent } from "../../../engine/events.ts";
import { entryActionForEvent, entryReducer, initialEntryState } from "./entry-reducer.ts";

export interface NumberCommitter {
  /** Feed every engine event, in order. */
  onEvent(event: EngineEvent): void;
  /** Digits recognised but not committed yet. */
  pending(): string;
}

export function createNumberCommitter(commitAfter: number, onCommitted: (event: CommittedEvent) => void): NumberCommitter {
  let entry = initialEntryState(commitAfter);
  return {
    onEvent(event) {
      const action = entryActionForEvent(event);
      if (!action) return;
      const before = entry.history.length;
      entry = entryReducer(entry, action);
      if (entry.history.length === before) return;
      const t = "t" in event ? event.t : 0;
      const reason = action.type === "end-of-stream" ? "end-of-stream" : "pause";
      for (const n of entry.history.slice(before)) onCommitted({ type: "committed", t, number: n.digits, reason });
    },
    pending: () => entry.digits,
  };
}
