/**
 * Waiting for a condition the test can only look at (a tmux pane, a file another process
 * writes): poll it until it holds, never a fixed sleep, and say what was awaited on a timeout.
 */
import { existsSync, readFileSync } from "node:fs";

/**
 * Resolves with `probe`'s first value that is not undefined, null or false; throws after
 * `timeoutMs`, with `what` (a function: computed then, e.g. to show the last screen).
 */
export async function waitUntil<T>(probe: () => T | undefined | null | false, timeoutMs: number, what: string | (() => string), everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`waited ${timeoutMs} ms for ${typeof what === "function" ? what() : what}`);
    await Bun.sleep(everyMs);
  }
}

/** The first line of `path` once it is complete (`echo $? > path` from a shell), trimmed. */
export function firstLine(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  return readFileSync(path, "utf8")
    .match(/^(.*)\n/)?.[1]
    ?.trim();
}
