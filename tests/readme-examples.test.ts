import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import {
  README,
  STREAMS_DIR,
  makeSandbox,
  normalise,
  readExamples,
  readFigures,
  readSpeed,
  renderExample,
  renderFigures,
  renderSpeed,
  runExample,
  runStreamEval,
  speedShape,
} from "../ui/readme-examples.ts";

// README.md's examples, run in order in one sandbox as `bun run docs:examples` runs them.
const readme = readFileSync(README, "utf8");
const examples = readExamples(readme);
const sandbox = makeSandbox();
afterAll(() => sandbox.remove());

const FIX = "README.md no longer shows what the command prints: run `bun run docs:examples`";

describe("README.md's examples print what the README shows", () => {
  test("the README has its examples and its figures table", () => {
    const commands = examples.map((e) => e.command);
    for (const needed of ["bun data:demo", "bun predict samples/3_0.wav", "bun predict samples/", "bun eval"]) expect(commands).toContain(needed);
    expect(readFigures(readme)).not.toBeNull();
  });

  for (const example of examples) {
    test(example.command, () => {
      const shown = renderExample(example, runExample(example.command, sandbox.dir));
      expect(normalise(shown), FIX).toBe(normalise(example.shown));
    }, 60_000);
  }

  test.skipIf(!existsSync(STREAMS_DIR))(
    "the headline figures are those bun eval and bun eval --streams write",
    () => {
      expect(existsSync(`${sandbox.dir}/artifacts/test_metrics.json`)).toBe(true);
      expect(runStreamEval(sandbox.dir)).toBe(true);
      expect(renderFigures(sandbox.dir), FIX).toBe(readFigures(readme)!);
    },
    60_000,
  );
});

describe("README.md's speed table is what `bun bench --markdown` prints, not typed", () => {
  const shown = readSpeed(readme);
  test("the README has a speed table marked with the command that prints it", () => {
    expect(shown).not.toBeNull();
    expect(shown!.command).toMatch(/^bun bench --markdown\b/);
    expect(shown!.table).toContain("| figure | median | p95 | target | |");
  });

  // The project's last `bun bench` run (artifacts/bench.json); none in a fresh checkout.
  const stored = shown ? renderSpeed(shown.command) : null;
  test.skipIf(stored === null)("its sections, figures and targets are the stored run's (the values a run measures may differ)", () => {
    expect(speedShape(shown!.table), `${FIX} (after \`bun bench\`)`).toBe(speedShape(stored!));
  });

  test("speedShape drops what a run measured and keeps what it measures", () => {
    const table = (label: string, median: string, target: string, verdict: string) =>
      `spoken-digits bench, 2026-12-06 20:00: cpu, 2 cores, Bun 1.4.4, load 2.1\n\n| figure | median | p95 | target | |\n| --- | ---: | ---: | --- | --- |\n| **Start-up** | | | | |\n| ${label} | ${median} | ${median} | ${target} | ${verdict} |\n`;
    expect(speedShape(table("cold `bun predict`", "45.2 ms", "≤ 60 ms", "pass"))).toBe(speedShape(table("cold `bun predict`", "61.0 ms", "≤ 60 ms", "FAIL")));
    expect(speedShape(table("cold `bun predict`", "45.2 ms", "≤ 60 ms", "pass"))).not.toBe(
      speedShape(table("cold predict (typed)", "45.2 ms", "≤ 60 ms", "pass")),
    );
    expect(speedShape(table("cold `bun predict`", "45.2 ms", "≤ 60 ms", "pass"))).not.toBe(
      speedShape(table("cold `bun predict`", "45.2 ms", "≤ 80 ms", "pass")),
    );
  });
});

describe("normalise", () => {
  const predicted = (digit: number, ms: string) =>
    `$ bun predict x.wav\nPredicted digit: ${digit}\nTop-3 probs: ${digit}:0.999, 6:0.001, 9:0.000\nLatency (ms): model ${ms} · load 0.045 · total ${ms}\n`;

  test("ignores timings, latencies and dates", () => {
    expect(normalise(predicted(3, "25.52"))).toBe(normalise(predicted(3, "103.1")));
    expect(normalise("[   0.94 s] 2   p=1.00  157 ms after speech end")).toBe(normalise("[   0.94 s] 2   p=1.00  98 ms after speech end"));
    expect(normalise("30 files, 30 predicted; 0.21 s")).toBe(normalise("30 files, 30 predicted; 1.5 s"));
    expect(normalise("trained 2026-12-06T19:35:26.123Z")).toBe(normalise("trained 2027-01-01T00:00:00Z"));
  });

  test("keeps what a command decides: digits, counts, probabilities, stream times", () => {
    expect(normalise(predicted(3, "25.52"))).not.toBe(normalise(predicted(5, "25.52")));
    expect(normalise("30 files, 30 predicted; 0.21 s")).not.toBe(normalise("300 files, 300 predicted; 0.21 s"));
    expect(normalise("[   0.94 s] 2   p=1.00  157 ms")).not.toBe(normalise("[   0.94 s] 2   p=0.95  157 ms"));
    expect(normalise("[   0.94 s] 2   p=1.00  157 ms")).not.toBe(normalise("[   1.94 s] 2   p=1.00  157 ms"));
  });
});
