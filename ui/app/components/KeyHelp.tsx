/** The footer: the keys that do something in the current state, as many as fit, help and quit always. */
import { Text } from "ink";
import { memo } from "react";
import { fit } from "./format.ts";

export type KeyMode = "listening" | "paused" | "failed" | "picker" | "help";

export interface KeyContext {
  mode: KeyMode;
  /** Digits on the entry line (editing keys apply). */
  editing: boolean;
  canUndo: boolean;
  /** `p` plays the demo (the source failed and a demo exists). */
  demo: boolean;
  latencyFolded: boolean;
}

type Item = [keys: string, what: string];

/** The footer's items, most useful first. */
export function footerItems(c: KeyContext): Item[] {
  switch (c.mode) {
    case "help":
      return [["any key", "close help"]];
    case "picker":
      return [
        ["↑/↓", "choose"],
        ["⏎", "listen on it"],
        ["esc", "back"],
        ["q", "quit"],
      ];
    case "failed":
      return [...(c.demo ? [["p", "play demo"] as Item] : []), ["d", "device"], ["0-9", "type"], ["?", "help"], ["q", "quit"]];
    case "paused":
    case "listening": {
      const items: Item[] = [];
      if (c.mode === "paused") items.push(["space", "resume"]);
      if (c.editing) items.push(["⏎", "commit"], ["⌫", "delete"], ["c", "clear"]);
      else if (c.canUndo) items.push(["u", "undo"]);
      items.push(["0-9", "type"]);
      if (c.mode === "listening") items.push(["space", "pause"]);
      items.push(["l", c.latencyFolded ? "latency" : "fold latency"], ["d", "device"], ["e", "enrol"], ["?", "help"], ["q", "quit"]);
      return items;
    }
  }
}

/** Joins items until the width is used; "? help" and "q quit" are kept whatever is dropped. */
export function footerText(items: readonly Item[], width: number, extra?: string): string {
  const kept = [...items];
  const text = () => [...kept.map(([k, w]) => `${k} ${w}`), ...(extra ? [extra] : [])].join(" · ");
  const droppable = (i: Item) => i[0] !== "?" && i[0] !== "q" && i[0] !== "any key";
  while (text().length > width) {
    const at = kept.findLastIndex(droppable);
    if (at < 0) break;
    kept.splice(at, 1);
  }
  return fit(text(), width);
}

export const KeyHelp = memo(function KeyHelp({ context, width, extra }: { context: KeyContext; width: number; extra?: string }) {
  return <Text dimColor>{footerText(footerItems(context), width, extra)}</Text>;
});
