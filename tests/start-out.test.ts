import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { STREAMS_DIR } from "../engine/shared-streams.ts";
import { OutputWatcher } from "./support/audio-checks.ts";
import { type SmallDisk, canMountSmallDisk, mountSmallDisk } from "./support/small-disk.ts";

const ROOT = join(import.meta.dir, "..");
const STREAM = join(STREAMS_DIR, "s11_48k_stereo_clean.wav");

describe.skipIf(!canMountSmallDisk() || !existsSync(STREAM))("bun start --out on a disk that fails mid-session", () => {
  const start = (out: string) => {
    // stdout is a pipe: the line-based front end, the same entry and the same --out
    const proc = Bun.spawn(["bun", "ui/commands/start-command.tsx", "--file", STREAM, "--speed", "3", "--commit-after", "0.8", "--out", out], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
    });
    return { proc, stdout: new OutputWatcher(proc.stdout), stderr: new OutputWatcher(proc.stderr) };
  };
  const numbers = (stdout: string) => [...stdout.matchAll(/^number: (\d+)$/gm)].map((m) => m[1]!);
  /** A session writing to a small disk that turns read-only once the first number is committed. */
  async function sessionOnFailingDisk(rest: (s: ReturnType<typeof start> & { out: string; disk: SmallDisk }) => Promise<void>): Promise<void> {
    const disk = mountSmallDisk(16)!;
    try {
      const out = join(disk.dir, "numbers.txt");
      const s = start(out);
      await s.stdout.waitFor(/^number: /m);
      disk.setReadOnly(true);
      await rest({ ...s, out, disk });
    } finally {
      disk.unmount();
    }
  }

  test("numbers that cannot be appended are kept, said so, and saved once there is room: none lost, in order", async () => {
    await sessionOnFailingDisk(async ({ proc, stdout, stderr, out, disk }) => {
      await stderr.waitFor(/not yet saved/);
      expect(stderr.text).toMatch(/warning: 1 number not yet saved to .*numbers\.txt \(EROFS: read-only file system\): kept, retrying/);
      disk.setReadOnly(false);
      expect(await proc.exited).toBe(0);
      const said = numbers(await stdout.done);
      expect(said.length).toBeGreaterThanOrEqual(3);
      expect(readFileSync(out, "utf8").trim().split("\n")).toEqual(said);
      expect(await stderr.done).not.toMatch(/\n\s+at /);
    });
  }, 60_000);

  test("a disk that stays read-only: the numbers on stdout and listed as not saved, exit 3", async () => {
    await sessionOnFailingDisk(async ({ proc, stdout, stderr, out }) => {
      expect(await proc.exited).toBe(3);
      const said = numbers(await stdout.done);
      const saved = readFileSync(out, "utf8").trim().split("\n").filter(Boolean);
      const err = await stderr.done;
      const unsaved = /not saved: ([\d ]+)$/m.exec(err)![1]!.split(" ");
      expect([...saved, ...unsaved]).toEqual(said);
      expect(unsaved.length).toBeGreaterThan(0);
    });
  }, 60_000);
});
