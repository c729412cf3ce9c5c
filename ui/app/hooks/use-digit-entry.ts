/**
 * Hands-free entry: engine events and keys drive entryReducer; every committed number is handed to
 * `onCommit` exactly once, and every one taken back to `onUndo`. State reaches React only when it changes (most level ticks change nothing).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { entryActionForEvent, entryReducer, initialEntryState, type EntryAction, type EntryState } from "../state/entry-reducer.ts";
import type { Subscribe } from "./event-hub.ts";

export interface DigitEntryOptions {
  subscribe: Subscribe;
  commitAfter: number;
  onCommit?: (number: string) => void;
  /** Called when undo takes a committed number back. */
  onUndo?: (number: string) => void;
}

export interface DigitEntry {
  entry: EntryState;
  dispatch: (action: EntryAction) => void;
}

export function useDigitEntry({ subscribe, commitAfter, onCommit, onUndo }: DigitEntryOptions): DigitEntry {
  const [entry, setEntry] = useState(() => initialEntryState(commitAfter));
  const current = useRef(entry);
  const commitRef = useRef(onCommit);
  commitRef.current = onCommit;
  const undoRef = useRef(onUndo);
  undoRef.current = onUndo;

  const dispatch = useCallback((action: EntryAction) => {
    const prev = current.current;
    const next = entryReducer(prev, action);
    if (next === prev) return;
    current.current = next;
    for (let i = prev.history.length; i < next.history.length; i++) commitRef.current?.(next.history[i]!.digits);
    if (action.type === "undo" && next.history.length < prev.history.length) undoRef.current?.(prev.history.at(-1)!.digits);
    setEntry(next);
  }, []);

  useEffect(
    () =>
      subscribe((event) => {
        const action = entryActionForEvent(event);
        if (action) dispatch(action);
      }),
    [subscribe, dispatch],
  );
  return { entry, dispatch };
}
