import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Finding, replay, runCampaign, scriptEntry } from "../bench/fuzz/campaign.ts";
import type { TargetName } from "../bench/fuzz/targets.ts";

const ROOT = join(import.meta.dir, "..");
const FINDINGS = join(import.meta.dir, "fuzz-findings.json");
const findings: Finding[] = existsSync(FINDINGS) ? JSON.parse(readFileSync(FINDINGS, "utf8")) : [];
const haveData = existsSync(join(ROOT, "data", "fsdd_parquet", "test-00000-of-00001.parquet"));

describe("every input the fuzzer ever broke something with is now handled", () => {
  for (const f of findings) {
    test.skipIf(f.target === "parquet" && !haveData)(
      `${f.target} seed ${f.seed} iteration ${f.iteration} (was: ${f.kind})`,
      async () => {
        const t0 = performance.now();
        expect(await replay(f.target as TargetName, f.seed, f.iteration)).toBeNull();
        expect(performance.now() - t0).toBeLessThan(15_000);
      },
      30_000,
    );
  }
});

describe("a short fuzz campaign per target: no crash, no hang, bounded memory", () => {
  // a seed per day would find new inputs in CI; a fixed one keeps failures reproducible
  const fuzz = scriptEntry(ROOT, "fuzz");
  const runs: [TargetName, number][] = [
    ["wav", 300],
    ["model", 100],
    ["stdin", 100],
    ["parquet", 30],
  ];
  for (const [target, iterations] of runs) {
    test.skipIf(target === "parquet" && !haveData)(
      `${target}: ${iterations} inputs`,
      async () => {
        const r = await runCampaign({ target, seed: 17, iterations, hangMs: 20_000, workerCommand: (s) => ["bun", fuzz, "--worker", s] });
        expect(r.findings).toEqual([]);
        expect(r.accepted + r.refused).toBe(iterations);
        // both outcomes occur: the mutations reach past the first check
        if (target !== "stdin") expect(Math.min(r.accepted, r.refused)).toBeGreaterThan(0);
        expect(r.peakRssMb).toBeLessThan(300);
      },
      120_000,
    );
  }
});
