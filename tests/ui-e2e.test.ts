/**
 * The app in a real terminal: tmux runs `bun start --file <stream>`, the screen is read with
 * `capture-pane`, the stream's digits must appear in the history, and `q` must end the process
 * (which then prints the numbers it committed). At 60×20, 100×32 and 200×50 every line fits, every
 * panel that matters is there, and the keys (help, latency, typing, undo) do what the footer says.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STREAMS_DIR } from "../engine/shared-streams.ts";

import { liveCaptureSkipReason, skipNote, startVirtualMic, type VirtualMic } from "./support/virtual-mic.ts";
import { firstLine, waitUntil } from "./support/wait-until.ts";

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
  // tmux's own line per call; a failed one says why
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
/** The escape that starts an SGR sequence (capture-pane -e keeps them). */
const ESC = "\u001b";
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
      const colour = new RegExp(`${ESC}\\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7])[;m]`);
      const screens: Record<string, string> = {};
      for (const [name, env] of [
        ["plain", ""],
        ["no-color", "NO_COLOR=1 "],
      ] as const) {
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

const SIZES = [
  [60, 20],
  [100, 32],
  [200, 50],
] as const;

/** Every check of one screen: its size, the status on top, the keys at the bottom, nothing wrapped. */
function checkFits(screen: string, columns: number, rows: number): string[] {
  const lines = screen.replace(/\n$/, "").split("\n");
  expect(lines.length).toBe(rows);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
  // a line wider than the terminal would wrap and push the status line off the top
  expect(lines[0]).toMatch(/^(● listening|■ end of stream|❚❚ paused)/);
  expect(lines.at(-1)).toMatch(/q quit$|any key close help/);
  return lines;
}

describe.skipIf(reason !== undefined)(`bun start in tmux at three sizes${reason ? ` (skipped: ${reason})` : ""}`, () => {
  const sessions: string[] = [];
  afterAll(() => {
    for (const s of sessions) {
      try {
        tmux("kill-session", "-t", s);
      } catch {}
    }
  });

  test(
    "the layout fits 60×20, 100×32 and 200×50; keys: ?, any key, l, digits, Enter, u, q",
    async () => {
      const runs = SIZES.map(([columns, rows]) => {
        const name = `${session}-${columns}x${rows}`;
        sessions.push(name);
        const config = join(work, `config-${columns}`);
        const command = `XDG_CONFIG_HOME=${config} bun start --file ${STREAM_WAV} --speed ${SPEED}; echo "exit=$?"; sleep 60`;
        tmux("new-session", "-d", "-s", name, "-x", String(columns), "-y", String(rows), "-c", ROOT, command);
        return { name, columns, rows };
      });
      for (const { name, columns, rows } of runs) {
        const screen = await waitForScreen(name, (s) => s.includes("end of stream"), 60_000);
        const lines = checkFits(screen, columns, rows);
        // the panels that matter: meter with its scale, the digit and how sure, latency, history
        expect(screen).toMatch(/[○◔●◑◌] (quiet|onset|speech|ending|too long)/);
        expect(screen).toContain("-40");
        expect(screen).toMatch(/(sure|fair|unsure) \d+%|rejected: /);
        expect(screen).toContain("speech end → digit:");
        expect(screen).toMatch(/1\. \d+/);
        // the big digit grows with the terminal: its full-width top row (every glyph but 1, 4 and
        // 7 has one, and the last digit of this stream is a 6) is 5 cells per scale step
        const widest = Math.max(...lines.map((l) => l.match(/^(?:│ )?(█+)/)?.[1]?.length ?? 0));
        expect(widest).toBeGreaterThanOrEqual(columns >= 200 ? 15 : columns >= 100 ? 10 : 5);

        tmux("send-keys", "-t", name, "?");
        const help = await waitForScreen(name, (s) => s.includes("any key close help"), 5_000);
        checkFits(help, columns, rows);
        for (const key of ["0-9", "undo", "pause / resume", "latency", "pick the input device", "quit"]) expect(help).toContain(key);
        tmux("send-keys", "-t", name, "x");
        await waitForScreen(name, (s) => !s.includes("any key close help"), 5_000);

        tmux("send-keys", "-t", name, "l");
        checkFits(await waitForScreen(name, (s) => s.includes("ring wait"), 5_000), columns, rows);
        tmux("send-keys", "-t", name, "l");
        await waitForScreen(name, (s) => !s.includes("ring wait"), 5_000);

        tmux("send-keys", "-t", name, "4", "2");
        await waitForScreen(name, (s) => /number ▸ 42/.test(s), 5_000);
        tmux("send-keys", "-t", name, "Enter");
        const committed = await waitForScreen(name, (s) => /\d+\. 42\b/.test(s) && s.includes("u undo"), 5_000);
        checkFits(committed, columns, rows);
        tmux("send-keys", "-t", name, "u");
        const undone = await waitForScreen(name, (s) => s.includes("undone"), 5_000);
        expect(undone).toMatch(/number ▸ 42/);
        expect(undone).not.toMatch(/\d+\. 42\b/);
        tmux("send-keys", "-t", name, "Enter");
        await waitForScreen(name, (s) => /\d+\. 42\b/.test(s), 5_000);
        tmux("send-keys", "-t", name, "q");
        const after = await waitForScreen(name, (s) => /exit=\d+/.test(s), 15_000);
        expect(after).toContain("exit=0");
        expect(after).toMatch(/^42$/m);
      }
    },
    { timeout: 150_000 },
  );

  test(
    "colour shows confidence in the history; with NO_COLOR the caption names the tier",
    async () => {
      const runs = (["color", "plain"] as const).map((mode) => {
        const name = `${session}-${mode}`;
        sessions.push(name);
        const env = mode === "plain" ? "NO_COLOR=1 " : "";
        const command = `${env}XDG_CONFIG_HOME=${join(work, `config-${mode}`)} bun start --file ${STREAM_WAV} --speed ${SPEED}; sleep 60`;
        tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "32", "-c", ROOT, command);
        return { name, mode };
      });
      for (const { name, mode } of runs) {
        await waitForScreen(name, (s) => s.includes("end of stream"), 60_000);
        // -e keeps the escape sequences: SGR 3x/9x set a foreground colour
        const raw = tmux("capture-pane", "-p", "-e", "-t", name);
        const history = raw.split("\n").filter((l) => new RegExp(`\\d+\\.\\s*(${ESC}\\[[0-9;]*m)*\\d`).test(l));
        expect(history.length).toBeGreaterThan(0);
        const coloured = new RegExp(`${ESC}\\[[0-9;]*(3[1-7]|9[1-7])[0-9;]*m`);
        if (mode === "color") {
          expect(history.some((l) => coloured.test(l))).toBe(true);
        } else {
          // no colour at all is the test above; here the tier must still be readable
          const screen = tmux("capture-pane", "-p", "-t", name);
          // the caption under the big digit names the tier whatever the colour
          expect(screen).toMatch(/(sure|fair|unsure) \d+%/);
        }
      }
    },
    { timeout: 90_000 },
  );
});

const liveSkip = reason ?? liveCaptureSkipReason();

describe.skipIf(liveSkip !== undefined)(`bun start on the virtual microphone in tmux${skipNote(liveSkip)}`, () => {
  let mic: VirtualMic;
  const name = `${session}-mic`;
  beforeAll(async () => {
    mic = await startVirtualMic();
  });
  afterAll(async () => {
    try {
      tmux("kill-session", "-t", name);
    } catch {}
    await mic?.stop();
  });

  test(
    "a device picked with d is listened to, remembered in the settings, and used by the next run",
    async () => {
      const config = join(work, "config-mic");
      const env = Object.entries(mic.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      const [firstExit, secondExit] = [join(work, "mic-exit-1"), join(work, "mic-exit-2")];
      const run = `${env} XDG_CONFIG_HOME=${config} bun start`;
      const command = `${run}; echo "exit=$?" > ${firstExit}; ${run}; echo "exit=$?" > ${secondExit}; sleep 60`;
      tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "32", "-c", ROOT, command);
      await waitForScreen(name, (s) => s.includes("● listening"), 20_000);
      tmux("send-keys", "-t", name, "d");
      const picker = await waitForScreen(name, (s) => /▸ \d+ {2}\w+/.test(s) && s.includes("pulse"), 10_000);
      checkFits(picker, 100, 32);
      // move the highlight to "pulse" (each Down waits for the highlight to move), then listen on it
      const highlighted = (s: string) => s.match(/▸ \d+ {2}(\S+)/)?.[1];
      let at = highlighted(picker);
      for (let i = 0; i < 4 && at !== "pulse"; i++) {
        const before = at;
        tmux("send-keys", "-t", name, "Down");
        at = highlighted(await waitForScreen(name, (s) => highlighted(s) !== before, 10_000));
      }
      expect(at).toBe("pulse");
      tmux("send-keys", "-t", name, "Enter");
      await waitForScreen(name, (s) => s.includes("mic pulse"), 10_000);
      expect(JSON.parse(readFileSync(join(config, "spoken-digits/settings.json"), "utf8"))).toEqual({ device: "pulse" });

      await mic.play(STREAM_WAV);
      const heard = await waitForScreen(name, (s) => /1\. \d+/.test(s), 20_000);
      checkFits(heard, 100, 32);
      // the counters started again with the clock on the new device, and count what it heard
      expect(heard).toMatch(/utterances [1-9]/);

      tmux("send-keys", "-t", name, "q");
      // from a file, not the pane: the second run switches to the alternate screen and hides it
      expect(await waitUntil(() => firstLine(firstExit), 15_000, "the first run's exit status")).toBe("exit=0");
      // the second run was given no device: it listens to the remembered one
      await waitForScreen(name, (s) => s.includes("● listening  mic pulse"), 20_000);
      tmux("send-keys", "-t", name, "q");
      expect(await waitUntil(() => firstLine(secondExit), 15_000, "the second run's exit status")).toBe("exit=0");
    },
    { timeout: 120_000 },
  );
});
