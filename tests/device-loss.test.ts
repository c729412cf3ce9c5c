/**
 * The audio server dies mid-capture (the virtual microphone's daemon is killed): the commands say
 * so in their own words, end within moments, and no PortAudio or ALSA line reaches the terminal.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { OutputWatcher } from "./support/audio-checks.ts";
import { tempDirs } from "./support/temp-dirs.ts";
import { liveCaptureSkipReason, skipNote, startVirtualMic } from "./support/virtual-mic.ts";

const ROOT = join(import.meta.dir, "..");
const tempDir = tempDirs("device-loss");
const liveReason = liveCaptureSkipReason();

/** What the native libraries print on their own when a capture fails. */
const LIBRARY_NOISE = /Expression '.*' failed in|ALSA lib |PortAudio|pa_linux_alsa/;

describe.skipIf(liveReason !== undefined)(`the audio server dies mid-capture${skipNote(liveReason)}`, () => {
  for (const [name, args, ready, said] of [
    [
      "bun listen",
      ["ui/commands/listen-command.ts"],
      /^listening:/m,
      /device error: reading from the input device failed.*\n\s+fix: the audio device or server went away/,
    ],
    [
      "bun record",
      ["ui/commands/record-command.ts", "--duration", "0", "--out", "REC"],
      /^recording /m,
      /recording stopped early: reading from the input device failed/,
    ],
  ] as const) {
    test(`${name}: its own message, exit without hanging, no library lines on stderr`, async () => {
      const mic = await startVirtualMic();
      try {
        const argv = args.map((a) => (a === "REC" ? join(tempDir(), "rec.wav") : a));
        const proc = Bun.spawn(["bun", ...argv], { cwd: ROOT, env: mic.childEnv(), stdout: "pipe", stderr: "pipe" });
        const stdout = new OutputWatcher(proc.stdout);
        const stderr = new OutputWatcher(proc.stderr);
        await Promise.race([stdout.waitFor(ready), stderr.waitFor(ready)]);
        await Bun.sleep(800);
        await mic.kill();
        const t0 = performance.now();
        const code = await proc.exited;
        // against a hang (a capture stuck in PortAudio never ends), not a speed figure: a loaded
        // machine takes seconds to tear down PortAudio and exit
        expect(performance.now() - t0).toBeLessThan(10_000);
        expect(code).not.toBe(0);
        const err = await stderr.done;
        expect(err).toMatch(said);
        expect(err).not.toMatch(LIBRARY_NOISE);
        expect(err).not.toMatch(/\n\s+at /);
      } finally {
        await mic.stop();
      }
    }, 30_000);
  }
});
