/**
 * The app in a real terminal: tmux runs `bun start --file <stream>`, the screen is read with
 * `capture-pane`, the stream's digits must appear in the history, and `q` must end the process
 * (which then prints the numbers it committed).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STREAMS_DIR } from "../engine/shared-streams.ts";

const ROOT = join(import.meta.dir, "..");
const STREAM = "s11_48k_stereo_clean";
const STREAM_WAV = join(STREAMS_DIR, `${STREAM}.wav`);
const SPEED = 4;

function skipReason(): string | undefined {
  if (!Bun.which("tmux")) return "tmux is not installed (apt-get install tmux)";
  if (!Bun.file(STREAM_WAV).size) return `${STREAM_WAV} is missing`;
  return undefined;
}

function tmux(...args: string[]): string {
  const r = Bun.spawnSync(["tmux", ...args], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

async function waitForScreen(session: string, ready: (screen: string) => boolean, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = "";
  while (Date.now() < deadline) {
    screen = tmux("capture-pane", "-p", "-t", session);
    if (ready(screen)) return screen;
    await Bun.sleep(200);
  }
  throw new Error(`screen never got ready in ${timeoutMs} ms; last screen:\n${screen}`);
}

/** 1 − edit distance / length: the digit-string accuracy the engine is judged by. */
function digitAccuracy(truth: string, got: string): number {
  const d = Array.from({ length: got.length + 1 }, (_, j) => j);
  for (let i = 1; i <= truth.length; i++) {
    let diag = d[0]!;
    d[0] = i;
    for (let j = 1; j <= got.length; j++) {
      const up = d[j]!;
      d[j] = Math.min(up + 1, d[j - 1]! + 1, diag + (truth[i - 1] === got[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return 1 - d[got.length]! / truth.length;
}

const reason = skipReason();
const work = mkdtempSync(join(tmpdir(), "ui-e2e-"));
const session = `spoken-digits-e2e-${process.pid}`;
afterAll(() => {
  try {
    tmux("kill-session", "-t", session);
  } catch {}
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(reason !== undefined)(`bun start in tmux${reason ? ` (skipped: ${reason})` : ""}`, () => {
  test(
    `${STREAM} at ${SPEED}× real time: its digits reach the history, q quits and prints them`,
    async () => {
      const truth = JSON.parse(readFileSync(join(STREAMS_DIR, `${STREAM}.json`), "utf8")) as {
        digits: string;
        segments: { start_s: number; end_s: number }[];
      };
      // the pauses longer than --commit-after split the stream into numbers; none is close to it
      const gaps = truth.segments.slice(1).map((s, i) => s.start_s - truth.segments[i]!.end_s);
      expect(gaps.every((g) => Math.abs(g - 2) > 0.3)).toBe(true);
      const expectedNumbers = gaps.filter((g) => g > 2).length + 1;
      const out = join(work, "numbers.txt");
      const command = `bun start --file ${STREAM_WAV} --speed ${SPEED} --commit-after 2 --out ${out}; echo "exit=$?"; sleep 60`;
      tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "32", "-c", ROOT, command);

      const screen = await waitForScreen(session, (s) => s.includes("end of stream"), 60_000);
      // the history panel lists the committed numbers newest first, as "N. 0435"
      const numbers = [...screen.matchAll(/^│ +(\d+)\. (\d+)/gm)].map((m) => ({ n: Number(m[1]), digits: m[2]! }));
      numbers.sort((a, b) => a.n - b.n);
      const entered = numbers.map((x) => x.digits).join("");
      expect(numbers.length).toBe(expectedNumbers);
      expect(digitAccuracy(truth.digits, entered)).toBeGreaterThanOrEqual(0.9);

      tmux("send-keys", "-t", session, "q");
      const after = await waitForScreen(session, (s) => /exit=\d+/.test(s), 15_000);
      expect(after).toContain("exit=0");
      expect(after).toContain(`${numbers.length} numbers entered`);
      for (const x of numbers) expect(after).toContain(x.digits);
      expect(readFileSync(out, "utf8")).toBe(numbers.map((x) => `${x.digits}\n`).join(""));
    },
    { timeout: 90_000 },
  );

  test(
    "NO_COLOR: the same screen without colour codes",
    async () => {
      // SGR colour sequences: 30-37/90-97 foreground, 38;… extended (capture-pane -e keeps them)
      const colour = /\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])[;m]/;
      const screens: Record<string, string> = {};
      for (const [name, env] of [["plain", ""], ["no-color", "NO_COLOR=1 "]] as const) {
        const s = `${session}-${name}`;
        tmux("new-session", "-d", "-s", s, "-x", "100", "-y", "32", "-c", ROOT, `env -u FORCE_COLOR ${env}bun start --file ${STREAM_WAV}; sleep 30`);
        try {
          await waitForScreen(s, (screen) => screen.includes("utterances"), 30_000);
          screens[name] = tmux("capture-pane", "-p", "-e", "-t", s);
          tmux("send-keys", "-t", s, "q");
        } finally {
          tmux("kill-session", "-t", s);
        }
      }
      expect(screens.plain).toMatch(colour);
      expect(screens["no-color"]).not.toMatch(colour);
    },
    { timeout: 90_000 },
  );
});
