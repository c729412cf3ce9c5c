/**
 * A one-line progress bar on stderr, redrawn at most every 100 ms, only when stderr is a TTY
 * (pipes and CI logs get a single final line instead).
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private readonly started = performance.now();
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY) && process.env.CI !== "true";
  }

  tick(n = 1, suffix = ""): void {
    this.done += n;
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && this.done < this.total) return;
    this.lastDraw = now;
    this.stream.write(`\r${this.render(suffix)}\x1b[K`);
  }

  finish(suffix = ""): void {
    const secs = ((performance.now() - this.started) / 1000).toFixed(2);
    const line = `${this.label}: ${this.done}/${this.total} in ${secs} s${suffix ? ` ${suffix}` : ""}`;
    if (this.tty) this.stream.write(`\r${line}\x1b[K\n`);
    else this.stream.write(`${line}\n`);
  }

  private render(suffix: string): string {
    const width = 30;
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const filled = Math.round(frac * width);
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    return `${this.label} ${bar} ${this.done}/${this.total}${suffix ? ` ${suffix}` : ""}`;
  }
}
