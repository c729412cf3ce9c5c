/** What each key does, as a pure mapping, so the bindings are tested without a terminal. */
import { useInput, type Key } from "ink";

export type KeyCommand =
  | "backspace"
  | "commit"
  | "clear"
  | "toggle-pause"
  | "devices"
  | "demo"
  | "quit"
  | "picker-up"
  | "picker-down"
  | "picker-choose"
  | "picker-close";

export function keyCommand(input: string, key: Key, pickerOpen: boolean): KeyCommand | null {
  if (key.ctrl && input === "c") return "quit";
  if (pickerOpen) {
    if (key.upArrow || input === "k") return "picker-up";
    if (key.downArrow || input === "j") return "picker-down";
    if (key.return) return "picker-choose";
    if (key.escape || input === "d") return "picker-close";
    if (input === "q") return "quit";
    return null;
  }
  if (key.backspace || key.delete) return "backspace";
  if (key.return) return "commit";
  if (key.ctrl) return null;
  switch (input) {
    case "c":
      return "clear";
    case " ":
      return "toggle-pause";
    case "d":
      return "devices";
    case "p":
      return "demo";
    case "q":
      return "quit";
    default:
      return null;
  }
}

/** Calls the handler of each key's command; keys without a handler do nothing. */
export function useKeyBindings(pickerOpen: boolean, handlers: Partial<Record<KeyCommand, () => void>>): void {
  useInput((input, key) => {
    const command = keyCommand(input, key, pickerOpen);
    if (command) handlers[command]?.();
  });
}
