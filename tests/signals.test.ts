/**
 * Ctrl+C and SIGTERM through the real commands: once ends cleanly with the summary and the
 * `stopped` event, twice at once (the terminal and the `bun run` wrapper both deliver it) is still
 * once, and a second one later quits at once.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { EngineEvent } from "../engine/events.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";
import { OutputWatcher, readWav } from "./support/audio-checks.ts";
import { tempDirs } from "./support/temp-dirs.ts";
import { liveCaptureSkipReason, skipNote, startVirtualMic, type VirtualMic } from "./support/virtual-mic.ts";
import { firstLine, waitUntil } from "./support/wait-until.ts";

const ROOT = join(import.meta.dir, "..");
const STREAM = join(STREAMS_DIR, "s11_48k_stereo_clean.wav");
const tempDir = tempDirs("signals");
const haveStream = existsSync(STREAM);
/** A tmux server of this test file's own, so no other session on the machine is touched. */
const TMUX_SOCKET = `signals-test-${process.pid}`;
const sockets = new Set<string>();
afterAll(() => {
  for (const socket of sockets) Bun.spawnSync(["tmux", "-L", socket, "kill-server"], { stderr: "ignore" });
});

/**
 * A tmux server per test: killing a test's last session makes its server exit, and a next test's
 * new-session sent to that exiting server can fail. new-session's own failure is an error.
 */
function tmuxServer(name: string) {
  const socket = `${TMUX_SOCKET}-${name}`;
  sockets.add(socket);
  return (...a: string[]) => {
    const r = Bun.spawnSync(["tmux", "-L", socket, ...a], { stdout: "pipe", stderr: "pipe" });
    if (a[0] === "new-session" && r.exitCode !== 0) throw new Error(`tmux ${a[0]}: ${r.stderr.toString()}`);
    return r;
  };
}

function spawn(args: string[], env: Record<string, string | undefined> = process.env) {
  const proc = Bun.spawn(["bun", ...args], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
  return { proc, stdout: new OutputWatcher(proc.stdout), stderr: new OutputWatcher(proc.stderr) };
}

describe("the interrupt handling every long command shares", () => {
  test("copies of one signal within the repeat window are one; a later one quits with 130", async () => {
    const { proc, stdout } = spawn([join(import.meta.dir, "support", "interrupt-probe.ts")]);
    await stdout.waitFor(/^ready$/m);
    proc.kill("SIGINT");
    await Bun.sleep(30);
    proc.kill("SIGINT");
    await stdout.waitFor(/^stop SIGINT$/m);
    await Bun.sleep(300);
    expect(proc.exitCode).toBeNull(); // the copy did not force anything
    await Bun.sleep(400);
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    expect(stdout.text.match(/^stop/gm)).toHaveLength(1);
  }, 20_000);
});

describe.skipIf(!haveStream)("bun listen", () => {
  test("Ctrl+C delivered twice at once (terminal + wrapper): exit 0 with the final stopped event", async () => {
    const { proc, stdout } = spawn(["ui/commands/listen-command.ts", "--file", STREAM, "--json", "--level-interval", "0"]);
    await stdout.waitFor(/"type":"started"/);
    await Bun.sleep(1500);
    proc.kill("SIGINT");
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(0);
    const events = (await stdout.done)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as EngineEvent);
    const last = events.at(-1)!;
    expect(last.type).toBe("stopped");
    expect(last.type === "stopped" && last.reason).toBe("stopped");
  }, 20_000);

  test("stdin that stays open and silent (a writer that never writes): SIGTERM ends it without hanging, cleanly", async () => {
    const proc = Bun.spawn(["bun", "ui/commands/listen-command.ts", "--stdin", "--json", "--level-interval", "0"], {
      cwd: ROOT,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    const stdout = new OutputWatcher(proc.stdout);
    await stdout.waitFor(/"type":"started"/);
    await Bun.sleep(500);
    const t0 = performance.now();
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    // "at once" against a hang, not a speed figure: a loaded machine takes seconds to exit
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect((await stdout.done).trim().split("\n").at(-1)).toContain('"type":"stopped"');
  }, 20_000);

  test("SIGTERM, twice: the same clean stop with the summary line", async () => {
    const { proc, stdout } = spawn(["ui/commands/listen-command.ts", "--file", STREAM]);
    await stdout.waitFor(/^listening:/m);
    await Bun.sleep(1000);
    proc.kill("SIGTERM");
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(await stdout.done).toMatch(/^stopped after \d+\.\d s: /m);
  }, 20_000);

  test.skipIf(!Bun.which("tmux"))(
    "Ctrl+C typed once in a real terminal through `bun run listen`: the summary, exit 0",
    async () => {
      const session = `signals-${process.pid}`;
      const status = join(tempDir(), "status");
      const tmux = tmuxServer("listen");
      tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "40", `cd ${ROOT} && bun run listen --file ${STREAM}; echo $? > ${status}; sleep 30`);
      try {
        const screen = () => tmux("capture-pane", "-p", "-t", session).stdout.toString();
        await waitUntil(() => screen().includes("listening:"), 30_000, "listening: in the pane");
        await Bun.sleep(1500); // a while of listening, so there is something to sum up
        tmux("send-keys", "-t", session, "C-c");
        expect(await waitUntil(() => firstLine(status), 15_000, "the exit status")).toBe("0");
        // the status file can be written before tmux has drawn the last output
        await waitUntil(
          () => /stopped after \d+\.\d s: .*\ndigits: /.test(screen()),
          10_000,
          () => `the summary in the pane:\n${screen()}`,
        );
      } finally {
        tmux("kill-session", "-t", session);
      }
    },
    60_000,
  );
});

describe.skipIf(!haveStream || !Bun.which("tmux"))("bun start in a real terminal", () => {
  test("SIGTERM to both the `bun run` wrapper and the app at once: the app ends cleanly and prints its numbers, exit 0", async () => {
    const session = `start-${process.pid}`;
    const status = join(tempDir(), "status");
    const tmux = tmuxServer("start");
    tmux(
      "new-session",
      "-d",
      "-s",
      session,
      "-x",
      "120",
      "-y",
      "40",
      `cd ${ROOT} && bun run start --file ${STREAM} --speed 2 --commit-after 0.8; echo $? > ${status}; sleep 30`,
    );
    try {
      const screen = () => tmux("capture-pane", "-p", "-t", session).stdout.toString();
      await waitUntil(
        () => /\d/.test(screen().split("\n").slice(0, 8).join("")),
        30_000,
        () => `the app's first screen:\n${screen()}`,
      );
      await Bun.sleep(4000); // a while of listening, so numbers may be committed
      // the processes this test started: the pane's shell → `bun run` → the app
      const pane = tmux("list-panes", "-t", session, "-F", "#{pane_pid}").stdout.toString().trim();
      const wrapper = Bun.spawnSync(["pgrep", "-P", pane]).stdout.toString().trim().split("\n")[0]!;
      const app = Bun.spawnSync(["pgrep", "-P", wrapper]).stdout.toString().trim().split("\n")[0]!;
      expect(Number(app)).toBeGreaterThan(0);
      // "At once" on a loaded machine: the wrapper may pass its SIGTERM on and the app end before
      // the second kill lands; the app's exit status and its numbers are what this test checks.
      for (const pid of [wrapper, app]) killUnlessGone(Number(pid), "SIGTERM");
      expect(await waitUntil(() => firstLine(status), 15_000, "the exit status")).toBe("0");
      await waitUntil(
        () => /\d+ numbers? entered:|no numbers entered/.test(screen()),
        10_000,
        () => `the numbers in the pane:\n${screen()}`,
      );
    } finally {
      tmux("kill-session", "-t", session);
    }
  }, 60_000);
});

const liveReason = liveCaptureSkipReason();
describe.skipIf(liveReason !== undefined)(`bun record through the virtual microphone${skipNote(liveReason)}`, () => {
  let mic: VirtualMic;
  beforeAll(async () => {
    mic = await startVirtualMic();
  });
  afterAll(() => mic?.stop());

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`${signal} delivered twice at once: a complete WAV of what was recorded, exit 0`, async () => {
      const out = join(tempDir(), "rec.wav");
      const { proc, stderr } = spawn(["ui/commands/record-command.ts", "--duration", "0", "--out", out], mic.childEnv());
      await stderr.waitFor(/^recording /m);
      await Bun.sleep(1200);
      proc.kill(signal);
      proc.kill(signal);
      expect(await proc.exited).toBe(0);
      expect(await stderr.done).toMatch(
        new RegExp(`saved .*rec\\.wav: \\d+\\.\\d\\d s at \\d+ Hz mono.*stopped by ${signal === "SIGINT" ? "Ctrl\\+C" : "SIGTERM"}`),
      );
      const wav = readWav(out);
      expect(wav.samples.length).toBeGreaterThan(wav.sampleRate * 0.5);
    }, 30_000);
  }
});

function killUnlessGone(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    if ((err as { code?: string }).code !== "ESRCH") throw err;
  }
}
