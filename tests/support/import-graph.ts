/**
 * The project's import graph, read from the source text, and the layer rules it must keep.
 * Bun.Transpiler's scanImports drops type-only imports (they vanish on transpiling), but a type
 * import is a dependency between folders all the same, so the source is scanned here instead:
 * comments are dropped and string literals set aside, then the import forms are matched.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export type ImportKind = "static" | "dynamic" | "url";

export interface ScannedImport {
  specifier: string;
  kind: ImportKind;
}

export interface ImportEdge {
  /** Importing file, relative to the project root. */
  from: string;
  /** Imported file, relative to the project root. */
  to: string;
  kind: ImportKind;
}

/**
 * Which top-level folders each folder may import (itself included). engine is the ground floor;
 * native implements engine's AudioSource; data builds on engine, train on data and engine;
 * bench and ui sit on top, and only ui (the commands and the app) may import ui.
 * tests may import anything; nothing else may import tests.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  engine: ["engine"],
  native: ["engine", "native"],
  data: ["engine", "data"],
  train: ["engine", "data", "train"],
  bench: ["engine", "native", "data", "train", "bench"],
  ui: ["engine", "native", "data", "train", "bench", "ui"],
  tests: ["engine", "native", "data", "train", "bench", "ui", "tests"],
};

/** Replaces comments with spaces and every string or template literal with `"#N"` (N indexes `strings`). */
function skeleton(code: string): { text: string; strings: string[] } {
  const strings: string[] = [];
  let out = "";
  let i = 0;
  let lastSignificant = "";
  const n = code.length;
  while (i < n) {
    const c = code[i]!;
    const next = code[i + 1];
    if (c === "/" && next === "/") {
      while (i < n && code[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = code.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      out += " ";
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      let value = "";
      let depth = 0;
      while (j < n) {
        const d = code[j]!;
        if (d === "\\") {
          value += code[j + 1] ?? "";
          j += 2;
          continue;
        }
        if (c === "`" && d === "$" && code[j + 1] === "{") depth++;
        else if (c === "`" && d === "}" && depth > 0) depth--;
        else if (d === c && depth === 0) break;
        value += d;
        j++;
      }
      strings.push(value);
      out += `"#${strings.length - 1}"`;
      i = j + 1;
      lastSignificant = '"';
      continue;
    }
    // a slash where an operand is expected starts a regular expression literal
    if (c === "/" && (lastSignificant === "" || "(,=:[!&|?{};+-*%<>~^".includes(lastSignificant))) {
      let j = i + 1;
      let inClass = false;
      while (j < n && code[j] !== "\n") {
        const d = code[j]!;
        if (d === "\\") j++;
        else if (d === "[") inClass = true;
        else if (d === "]") inClass = false;
        else if (d === "/" && !inClass) break;
        j++;
      }
      out += "/re/";
      i = j + 1;
      lastSignificant = "/";
      continue;
    }
    out += c;
    if (!/\s/.test(c)) lastSignificant = c;
    i++;
  }
  return { text: out, strings };
}

const FORMS: readonly [RegExp, ImportKind][] = [
  // import x from, import { a, type b } from, import type { T } from, export { a } from, export * from
  [/\b(?:import|export)\b[^;"]*?\bfrom\s*"#(\d+)"/g, "static"],
  // import "side-effect"
  [/\bimport\s*"#(\d+)"/g, "static"],
  [/\bimport\s*\(\s*"#(\d+)"/g, "dynamic"],
  // new URL("./worker.ts", import.meta.url), as given to new Worker
  [/\bnew\s+URL\s*\(\s*"#(\d+)"\s*,\s*import\.meta\.url/g, "url"],
];

/** Every module a source text refers to by import, export-from, dynamic import or new URL(…, import.meta.url). */
export function scanImports(code: string): ScannedImport[] {
  const { text, strings } = skeleton(code);
  const found: ScannedImport[] = [];
  for (const [re, kind] of FORMS) {
    for (const m of text.matchAll(re)) found.push({ specifier: strings[Number(m[1])]!, kind });
  }
  return found;
}

const SKIP = new Set(["node_modules", "artifacts", "models", "samples", "coverage"]);

/** The .ts/.tsx files under the project's top-level folders (relative paths). */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (entry.name.startsWith(".") || SKIP.has(entry.name)) continue;
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(path);
    }
  };
  walk("");
  return files.sort();
}

/** Edges between project files; imports of packages (node:, bun:, npm names) are left out. */
export function importGraph(root: string, files = sourceFiles(root)): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of files) {
    for (const { specifier, kind } of scanImports(readFileSync(join(root, from), "utf8"))) {
      if (!specifier.startsWith(".")) continue;
      let target = resolve(root, dirname(from), specifier);
      if (existsSync(target) && statSync(target).isDirectory()) target = join(target, "index.ts");
      edges.push({ from, to: relative(root, target), kind });
    }
  }
  return edges;
}

const folderOf = (path: string) => (path.includes("/") ? path.slice(0, path.indexOf("/")) : ".");

/** One line per edge that breaks the layer order (or touches a folder the order does not place). */
export function layerViolations(edges: readonly ImportEdge[], layers: Readonly<Record<string, readonly string[]>> = LAYERS): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const from = folderOf(e.from);
    const to = folderOf(e.to);
    const allowed = layers[from];
    if (!allowed) out.push(`${e.from}: folder ${from}/ has no place in the layer order (imports ${e.to})`);
    else if (!layers[to]) out.push(`${e.from} imports ${e.to}: folder ${to}/ has no place in the layer order`);
    else if (!allowed.includes(to)) out.push(`${e.from} imports ${e.to}: ${from}/ may import only ${allowed.join(", ")}`);
  }
  return out;
}
