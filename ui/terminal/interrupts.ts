import { EXIT } from "../../engine/errors.ts";

/**
 * A second signal this soon after the first is the same Ctrl+C delivered twice: the terminal
 * sends SIGINT to the whole foreground group, and the `bun run` wrapper forwards its own copy.
 */
export const REPEAT_WINDOW_MS = 500;

/**
 * Ends a long-running command cleanly on Ctrl+C (SIGINT) or SIGTERM: the first calls `stop`
 * (the command then finishes its summary and exits by itself); copies arriving within
 * REPEAT_WINDOW_MS are ignored; a later one quits at once (130 for SIGINT, 143 for SIGTERM).
 * Returns the function that removes the handlers.
 */
export function onInterrupt(stop: (signal: NodeJS.Signals) => void, now: () => number = () => performance.now()): () => void {
  let first: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    const t = now();
    if (first === undefined) {
      first = t;
      stop(signal);
      return;
    }
    if (t - first < REPEAT_WINDOW_MS) return;
    process.exit(signal === "SIGTERM" ? 128 + 15 : EXIT.interrupted);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
