/** What each key does, as a pure mapping, so the bindings are tested without a terminal. */
import { useInput, type Key } from "ink";

export type KeyCommand =
  | "type-digit"
  | "backspace"
  | "commit"
  | "clear"
  | "undo"
  | "toggle-pause"
  | "toggle-latency"
  | "devices"
  | "demo"
  | "help"
  | "enrol"
  | "close-help"
  | "quit"
  | "picker-up"
  | "picker-down"
  | "picker-choose"
  | "picker-close";

/** Which keys apply: the help overlay and the device picker each take the keyboard while open. */
export type KeyScope = "main" | "picker" | "help";

export function keyCommand(input: string, key: Key, scope: KeyScope): KeyCommand | null {
  if (key.ctrl && input === "c") return "quit";
  if (scope === "help") return "close-help";
  if (scope === "picker") {
    if (key.upArrow || input === "k") return "picker-up";
    if (key.downArrow || input === "j") return "picker-down";
    if (key.return) return "picker-choose";
    if (key.escape || input === "d") return "picker-close";
    if (input === "q") return "quit";
    return null;
  }
  if (key.backspace || key.delete) return "backspace";
  if (key.return) return "commit";
  if (key.ctrl || key.meta) return null;
  // keys typed quickly (or pasted) arrive together: "42"
  if (/^[0-9]+$/.test(input)) return "type-digit";
  switch (input) {
    case "c":
      return "clear";
    case "u":
      return "undo";
    case " ":
      return "toggle-pause";
    case "l":
      return "toggle-latency";
    case "d":
      return "devices";
    case "p":
      return "demo";
    case "?":
      return "help";
    case "e":
      return "enrol";
    case "q":
      return "quit";
    default:
      return null;
  }
}

/** Calls the handler of each key's command with the key's text; keys without a handler do nothing. */
export function useKeyBindings(scope: KeyScope, handlers: Partial<Record<KeyCommand, (input: string) => void>>): void {
  useInput((input, key) => {
    const command = keyCommand(input, key, scope);
    if (command) handlers[command]?.(input);
  });
}
