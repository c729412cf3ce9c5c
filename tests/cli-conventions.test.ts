/**
 * The conventions every command keeps, checked on every command in ui/commands/ by calling its
 * main(argv) in this process: importing a command must not run it, --version and --help answer
 * and end, an unknown flag is one line, a short flag means the same everywhere, and every value
 * a flag takes is named in --help.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../engine/errors.ts";
import { CommandExit } from "../ui/terminal/command.ts";
import { runMain } from "./support/run-main.ts";

const COMMANDS_DIR = join(import.meta.dir, "../ui/commands");
const files = readdirSync(COMMANDS_DIR)
  .filter((f) => /-command\.tsx?$/.test(f))
  .sort();
const version = (JSON.parse(readFileSync(join(import.meta.dir, "../package.json"), "utf8")) as { version: string }).version;

type Main = (argv: string[]) => unknown;

async function loadMain(file: string): Promise<Main> {
  const mod = (await import(join(COMMANDS_DIR, file))) as { main?: Main };
  if (typeof mod.main !== "function") throw new Error(`${file} exports no main`);
  return mod.main;
}

describe("every command", () => {
  test("there are the fifteen commands", () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  test("--version prints the package version and ends with exit code 0", async () => {
    for (const file of files) {
      const { out, thrown } = await runMain(await loadMain(file), ["--version"]);
      expect(`${file}: ${out}`).toBe(`${file}: spoken-digits ${version}`);
      expect(thrown).toBeInstanceOf(CommandExit);
      expect((thrown as CommandExit).code).toBe(0);
    }
  });

  test("an unknown flag is one line naming it, pointing to --help", async () => {
    for (const file of files) {
      const { thrown } = await runMain(await loadMain(file), ["--no-such-flag"]);
      expect(thrown).toBeInstanceOf(UserError);
      const err = thrown as UserError;
      expect(err.describe()).toMatch(/^bun (run )?[a-z:]+: unknown option --no-such-flag \(see `bun (run )?[a-z:]+ --help`\)$/);
    }
  });

  test("--help names every value (FILE, DIR, N, HZ…, never VALUE), and a short flag means one thing everywhere", async () => {
    const meaning = new Map<string, Set<string>>();
    for (const file of files) {
      const { out, thrown } = await runMain(await loadMain(file), ["--help"]);
      expect(thrown).toBeInstanceOf(CommandExit);
      expect(out).toContain("Usage:");
      expect(`${file}: ${out.includes(" VALUE")}`).toBe(`${file}: false`);
      for (const m of out.matchAll(/^ {2}-(\w), --([\w-]+)/gm)) {
        const set = meaning.get(m[1]!) ?? new Set();
        set.add(m[2]!);
        meaning.set(m[1]!, set);
      }
    }
    const clashes = [...meaning].filter(([, longs]) => longs.size > 1).map(([s, longs]) => `-${s}: ${[...longs].join(", ")}`);
    expect(clashes).toEqual([]);
    // the shared meanings the issue asked for
    expect([...meaning.get("d")!]).toEqual(["device"]);
    expect([...meaning.get("m")!]).toEqual(["model"]);
    expect([...meaning.get("o")!]).toEqual(["out"]);
  });
});
