/**
 * Runs one section of `bun bench` in a process of its own, so no section's JIT state (type
 * feedback, deoptimised code) or heap colours another's figures. `bun bench` spawns it:
 *   bun bench/section.ts SECTION SETTINGS_JSON
 * and reads one JSON line `{ figures, checks }` from its stdout.
 */
import { batchBench } from "./batch.ts";
import { commandsBench } from "./commands.ts";
import { BenchContext, type BenchSettings } from "./context.ts";
import { memoryBench } from "./memory.ts";
import { microBench } from "./micro.ts";
import { type Figure, SECTIONS, type Section } from "./results.ts";
import { startupBench } from "./startup.ts";
import { streamingBench } from "./streaming.ts";

export interface SectionOutput {
  figures: Figure[];
  checks: Record<string, string>;
}

const section = process.argv[2] as Section;
if (!SECTIONS.includes(section)) throw new Error(`unknown bench section "${section}"`);
const ctx = new BenchContext(JSON.parse(process.argv[3]!) as BenchSettings);
const checks: Record<string, string> = {};
const runners: Record<Section, () => Promise<Figure[]>> = {
  commands: () => commandsBench(ctx),
  micro: () => microBench(ctx),
  batch: () => batchBench(ctx, checks),
  streaming: () => streamingBench(ctx, checks),
  startup: () => startupBench(ctx),
  memory: () => memoryBench(ctx),
};
const output: SectionOutput = { figures: await runners[section](), checks };
console.log(JSON.stringify(output));
