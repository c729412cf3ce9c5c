/**
 * Time from spawning a terminal app to its first screen: the app runs in a pseudo-terminal
 * (Bun.Terminal) as a user's shell would run it, and the clock stops when the first box border
 * of Ink's first frame arrives. Then `q` asks it to quit.
 */

/** What marks a drawn frame: the top-left corner of the app's first bordered box. */
const FRAME = "╭";
const QUIT_AFTER_MS = 5000;

export async function firstFrameMs(cmd: string[], cwd: string, timeoutMs = 20_000): Promise<number> {
  const decoder = new TextDecoder();
  let screen = "";
  let drawnAt = -1;
  const t0 = performance.now();
  const proc = Bun.spawn(cmd, {
    cwd,
    env: { ...process.env, CI: undefined, TERM: "xterm-256color" },
    terminal: {
      cols: 100,
      rows: 32,
      data(term, bytes) {
        if (drawnAt >= 0) return;
        screen += decoder.decode(bytes, { stream: true });
        if (screen.includes(FRAME)) {
          drawnAt = performance.now() - t0;
          term.write("q");
        }
      },
    },
  });
  const timer = setTimeout(() => proc.kill(), timeoutMs);
  const quitTimer = setInterval(() => {
    if (drawnAt >= 0 && performance.now() - t0 > drawnAt + QUIT_AFTER_MS) proc.kill();
  }, 250);
  try {
    await proc.exited;
  } finally {
    clearTimeout(timer);
    clearInterval(quitTimer);
    proc.terminal?.close();
  }
  if (drawnAt < 0) throw new Error(`\`${cmd.join(" ")}\` drew no frame within ${timeoutMs} ms: ${JSON.stringify(screen.slice(-200))}`);
  return drawnAt;
}
