import { expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadSplit, readSplitRows, splitFileName, splitPath } from "../data/fsdd.ts";
import { tempDirs } from "./support/temp-dirs.ts";

const ROOT = join(import.meta.dir, "..");
const tempDir = tempDirs("parquet-rows");

/**
 * The real test split with the RIFF tag of one clip overwritten in place: the page's compression
 * stores that tag as a literal, so the file stays a valid parquet file with one broken WAV.
 */
function splitWithOneBrokenRow(): { dir: string } {
  const bytes = new Uint8Array(readFileSync(splitPath("test")));
  const riff = Buffer.from("RIFF");
  const at = Buffer.from(bytes).indexOf(riff, 1000);
  expect(at).toBeGreaterThan(0);
  bytes.set(Buffer.from("XXXX"), at);
  const dir = tempDir();
  writeFileSync(join(dir, splitFileName("test")), bytes);
  return { dir };
}

test("loadSplit skips and reports a row whose WAV is broken, and keeps the other 299", async () => {
  const { dir } = splitWithOneBrokenRow();
  // strict by default: the broken row fails the split, naming it
  await expect(loadSplit("test", dir)).rejects.toThrow(/not a WAV file/);
  const skipped: { row: number; reason: string }[] = [];
  const clips = await loadSplit("test", dir, (s) => skipped.push(s));
  expect(skipped).toHaveLength(1);
  expect(skipped[0]!.reason).toContain("not a WAV file");
  expect(clips).toHaveLength(299);
  const rows = await readSplitRows(join(dir, splitFileName("test")));
  expect(clips.map((c) => c.path)).not.toContain(rows[skipped[0]!.row]!.path);
}, 30_000);

test("bun eval on a split with a bad row: scores the rest, names the row, writes its metrics, exit 1", () => {
  const { dir } = splitWithOneBrokenRow();
  const artifacts = tempDir();
  const r = Bun.spawnSync(["bun", "run", "--silent", "eval", "--data-dir", dir, "--artifacts-dir", artifacts], { cwd: ROOT });
  const err = r.stderr.toString();
  expect(r.exitCode).toBe(1);
  expect(err).toMatch(/row \d+ skipped: .*not a WAV file/);
  expect(err).not.toMatch(/\n\s+at /);
  expect(r.stdout.toString()).toMatch(/accuracy 0\.9\d+ \(\d+\/299\)/);
  const metrics = JSON.parse(readFileSync(join(artifacts, "test_metrics.json"), "utf8"));
  expect(metrics.count).toBe(299);
  expect(metrics.failures).toHaveLength(1);
}, 60_000);
