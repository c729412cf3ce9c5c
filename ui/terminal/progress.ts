import { fstatSync, statSync } from "node:fs";

/**
 * Work that ends sooner than this draws no bar, only the final line: Bun builds process.stderr
 * (and with it the stream modules) on first use, a large share of a cold start that a short
 * batch would pay for a bar nobody sees.
 */
const FIRST_DRAW_MS = 250;

/**
 * A one-line progress bar on stderr, redrawn at most every 100 ms, only when stderr is a TTY
 * (pipes and CI logs get a single final line instead).
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private readonly started = performance.now();
  /** Whether stderr is a terminal, asked at the first draw (undefined until then). */
  private tty: boolean | undefined;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly given?: NodeJS.WriteStream,
  ) {
    if (given) this.tty = isTerminal(given);
  }

  private get stream(): NodeJS.WriteStream {
    return this.given ?? process.stderr;
  }

  tick(n = 1, suffix = ""): void {
    this.done += n;
    if (this.tty === false) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && this.done < this.total) return;
    if (this.tty === undefined) {
      if (now - this.started < FIRST_DRAW_MS) return;
      this.tty = this.given ? isTerminal(this.given) : stderrIsTerminal();
      if (!this.tty) return;
    }
    this.lastDraw = now;
    this.stream.write(`\r${this.render(suffix)}\x1b[K`);
  }

  finish(suffix = ""): void {
    const secs = ((performance.now() - this.started) / 1000).toFixed(2);
    const line = `${this.label}: ${this.done}/${this.total} in ${secs} s${suffix ? ` ${suffix}` : ""}`;
    if (this.tty) this.stream.write(`\r${line}\x1b[K\n`);
    else if (this.given) this.given.write(`${line}\n`);
    // nothing drawn: the one line, without building process.stderr for it
    else console.error(line);
  }

  private render(suffix: string): string {
    const width = 30;
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const filled = Math.round(frac * width);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    return `${this.label} ${bar} ${this.done}/${this.total}${suffix ? ` ${suffix}` : ""}`;
  }
}

function isTerminal(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env.CI !== "true";
}

/**
 * isTerminal(process.stderr) without building process.stderr: a pipe or a file (a script, CI, the
 * bench) or /dev/null is known from fstat; only another character device is asked of node:tty.
 * Either of those modules loads the stream modules, 15-200 ms of a batch's CPU on this machine
 * under load.
 */
function stderrIsTerminal(): boolean {
  if (process.env.CI === "true") return false;
  try {
    const st = fstatSync(2);
    // `2>/dev/null` is a character device too
    if (!st.isCharacterDevice() || st.rdev === statSync("/dev/null").rdev) return false;
  } catch {
    return false;
  }
  return (require("node:tty") as typeof import("node:tty")).isatty(2);
}
