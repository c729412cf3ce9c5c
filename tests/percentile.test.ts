import { expect, test } from "bun:test";
import { summarize } from "../bench/stats.ts";
import { percentile } from "../engine/scoring.ts";

test("one percentile for eval, bench and the live view: nearest rank, always a measured value", () => {
  const values = Array.from({ length: 20 }, (_, i) => 20 - i); // 20 … 1, unsorted on purpose
  const sorted = [...values].sort((a, b) => a - b);
  expect(percentile(sorted, 0.95)).toBe(19);
  expect(percentile(sorted, 0.5)).toBe(10);
  expect(percentile(sorted, 0)).toBe(1);
  expect(percentile(sorted, 1)).toBe(20);
  expect(percentile([], 0.5)).toBeNaN();
  const s = summarize(values);
  expect([s.median, s.p95, s.min, s.max, s.n]).toEqual([10, 19, 1, 20, 20]);
  // Higher-is-better figures report the slow tail: the value 95 % of the runs reach.
  expect(summarize(values, true).p95).toBe(percentile(sorted, 0.05));
});
