/**
 * `bun run docs:examples`: runs every example command of README.md in a sandbox and writes what
 * they print into the README's example blocks, the headline figures into its table, and the speed
 * table from the last stored `bun bench` run (artifacts/bench.json).
 * tests/readme-examples.test.ts fails when the README no longer matches.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseCommand, runCommand } from "../terminal/command.ts";
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
  rewriteReadme,
  runExample,
  runStreamEval,
  speedShape,
} from "../readme-examples.ts";

const spec = {
  name: "bun run docs:examples",
  summary: "Runs README.md's example commands and writes their real output (and the headline figures) into it.",
  usage: ["bun run docs:examples [--check]"],
  options: { check: { type: "boolean", default: false } },
  help: { check: "only report the examples that no longer match (exit 1 if any), write nothing" },
  examples: ["bun run docs:examples", "bun run docs:examples --check"],
} as const;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  const readme = readFileSync(README, "utf8");
  const examples = readExamples(readme);
  const sandbox = makeSandbox();
  try {
    const outputs: string[] = [];
    let stale = 0;
    for (const [i, example] of examples.entries()) {
      console.error(`[${i + 1}/${examples.length}] ${example.command}`);
      const output = runExample(example.command, sandbox.dir);
      outputs.push(output);
      if (normalise(renderExample(example, output)) !== normalise(example.shown)) {
        stale++;
        console.error(`  changed: the README showed something else`);
      }
    }
    const figures = readFigures(readme) !== null && runStreamEval(sandbox.dir) ? renderFigures(sandbox.dir) : null;
    if (readFigures(readme) !== null && figures === null) console.error(`figures table left as it is: no streams at ${STREAMS_DIR}`);
    if (figures !== null && figures !== readFigures(readme)) {
      stale++;
      console.error("figures table changed");
    }
    const shown = readSpeed(readme);
    const speed = shown ? renderSpeed(shown.command) : null;
    if (shown && speed === null) console.error(`speed table left as it is: \`${shown.command}\` found no stored run with its sections (run \`bun bench\`)`);
    if (shown && speed !== null && speedShape(speed) !== speedShape(shown.table)) {
      stale++;
      console.error("speed table changed (its figures or targets)");
    }
    if (values.check) {
      console.error(stale ? `${stale} of README.md's blocks no longer match: run \`bun run docs:examples\`` : "README.md's examples match");
      return stale ? 1 : 0;
    }
    writeFileSync(README, rewriteReadme(readme, outputs, figures, speed));
    console.error(
      `README.md: ${examples.length} examples written${figures === null ? "" : ", the figures table"}${speed === null ? "" : ", the speed table"} (${stale} changed)`,
    );
    return 0;
  } finally {
    sandbox.remove();
  }
}

if (import.meta.main) await runCommand(main);
