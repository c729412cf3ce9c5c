import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type ImportEdge, importGraph, layerViolations, scanImports, sourceFiles } from "./support/import-graph.ts";

const ROOT = join(import.meta.dir, "..");

describe("the import scanner", () => {
  test("finds static, type-only, export-from, side-effect, dynamic and worker-URL imports, and nothing in comments or strings", () => {
    const code = [
      'import type { A } from "./a.ts";',
      'import { type B, c } from "./b.ts";',
      "import {",
      "  d,",
      "  e,",
      '} from "../d.ts";',
      "export { f } from './f.ts';",
      'export type * from "./g.ts";',
      'import "./side.ts";',
      'const h = await import("./h.ts");',
      'const w = new Worker(new URL("./worker.ts", import.meta.url).href);',
      '// import x from "./commented.ts";',
      '/* export { y } from "./block.ts"; */',
      "const s = \"import z from './in-string.ts'\";",
      "const re = /[\"']/g; // a regex with quotes must not start a string",
      'const t = `import q from "./template.ts"`;',
      'import fs from "node:fs";',
    ].join("\n");
    const found = scanImports(code)
      .map((i) => `${i.kind} ${i.specifier}`)
      .sort();
    expect(found).toEqual(
      [
        "static ./a.ts",
        "static ./b.ts",
        "static ../d.ts",
        "static ./f.ts",
        "static ./g.ts",
        "static ./side.ts",
        "dynamic ./h.ts",
        "url ./worker.ts",
        "static node:fs",
      ].sort(),
    );
  });
});

describe("the layer checker", () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to, kind: "static" });

  test("passes imports that go down or stay on their floor", () => {
    const ok = [
      edge("engine/engine.ts", "engine/vad/index.ts"),
      edge("native/microphone-source.ts", "engine/sources/audio-source.ts"),
      edge("data/fsdd.ts", "engine/errors.ts"),
      edge("train/nondigit-set.ts", "data/synth/sounds.ts"),
      edge("bench/micro.ts", "train/augment.ts"),
      edge("ui/commands/bench-command.ts", "bench/run.ts"),
      edge("ui/commands/start-command.tsx", "native/microphone-source.ts"),
      edge("tests/vad.test.ts", "ui/app/layout.ts"),
      edge("tests/x.test.ts", "tests/support/temp-dirs.ts"),
    ];
    expect(layerViolations(ok)).toEqual([]);
  });

  test("flags every kind of violation, one line each", () => {
    const bad = [
      edge("engine/clip-recognizer.ts", "data/wav.ts"),
      edge("engine/sources/microphone-source.ts", "native/microphone.ts"),
      edge("native/wav-file-writer.ts", "data/wav.ts"),
      edge("data/synth/sounds.ts", "train/augment.ts"),
      edge("train/recipe.ts", "ui/terminal/command.ts"),
      edge("bench/vad.ts", "tests/support/streams.ts"),
      edge("bench/section.ts", "ui/terminal/progress.ts"),
      edge("scripts/readme.ts", "engine/engine.ts"),
      edge("engine/x.ts", "scripts/y.ts"),
    ];
    const lines = layerViolations(bad);
    expect(lines).toHaveLength(bad.length);
    expect(lines[0]).toBe("engine/clip-recognizer.ts imports data/wav.ts: engine/ may import only engine");
    expect(lines[5]).toBe("bench/vad.ts imports tests/support/streams.ts: bench/ may import only engine, native, data, train, bench");
    expect(lines[7]).toContain("folder scripts/ has no place in the layer order");
  });
});

describe("the project's import graph", () => {
  const files = sourceFiles(ROOT);
  const edges = importGraph(ROOT, files);

  test("is read in full: every folder's files and the edges known to exist", () => {
    for (const folder of ["engine", "native", "data", "train", "bench", "ui", "tests"]) {
      expect(files.some((f) => f.startsWith(`${folder}/`))).toBe(true);
    }
    expect(edges.length).toBeGreaterThan(200);
    const has = (from: string, to: string, kind = "static") => edges.some((e) => e.from === from && e.to === to && e.kind === kind);
    expect(has("ui/commands/predict-command.ts", "engine/clip-recognizer.ts")).toBe(true);
    expect(has("native/microphone.ts", "native/capture-worker.ts", "url")).toBe(true);
    expect(has("train/parallel-train.ts", "train/member-worker.ts", "url")).toBe(true);
    // a type-only import is a dependency too
    expect(has("native/microphone-source.ts", "engine/sources/audio-source.ts")).toBe(true);
  });

  test("keeps the layer order: engine ← native, data ← train ← bench, ui; nothing imports tests", () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  test("every import resolves to a file of the project", () => {
    const known = new Set(files);
    expect(edges.filter((e) => !known.has(e.to)).map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  test("every command lives in ui/commands/, exports main(argv) and runs only as the main module", () => {
    const commands = files.filter((f) => /-command\.tsx?$/.test(f));
    expect(commands.filter((f) => !f.startsWith("ui/commands/"))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    for (const file of commands) {
      const text = readFileSync(join(ROOT, file), "utf8");
      expect(`${file}: ${/export (async )?function main\(argv: string\[\]\)/.test(text)}`).toBe(`${file}: true`);
      expect(`${file}: ${/^if \(import\.meta\.main\)/m.test(text)}`).toBe(`${file}: true`);
      expect(`${file}: ${/^await /m.test(text)}`).toBe(`${file}: false`);
      expect(Object.values(pkg.scripts)).toContain(`bun ${file}`);
    }
  });
});
