/**
 * Compiles engine/wasm/dense.wat to dense.wasm with wabt (a dev dependency: the app loads the
 * committed .wasm and needs no compiler). `bun run build:wasm`; `--check` only compares.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import wabt from "wabt";

export const WAT_PATH = join(import.meta.dir, "dense.wat");
export const WASM_PATH = join(import.meta.dir, "dense.wasm");

export async function compileDenseWat(): Promise<Uint8Array> {
  const w = await wabt();
  const module = w.parseWat("dense.wat", readFileSync(WAT_PATH, "utf8"), { simd: true });
  try {
    module.validate();
    return module.toBinary({ canonicalize_lebs: true }).buffer;
  } finally {
    module.destroy();
  }
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log("Compile engine/wasm/dense.wat to dense.wasm.\n\nUsage:\n  bun run build:wasm [--check]\n\nOptions:\n  --check     exit 1 if the committed dense.wasm differs from a fresh build\n  -h, --help  show this help");
    process.exit(0);
  }
  const built = await compileDenseWat();
  if (args.includes("--check")) {
    const same = Buffer.compare(Buffer.from(built), readFileSync(WASM_PATH)) === 0;
    console.log(same ? "dense.wasm is up to date" : "dense.wasm differs from dense.wat: run `bun run build:wasm`");
    process.exit(same ? 0 : 1);
  }
  writeFileSync(WASM_PATH, built);
  console.log(`wrote ${WASM_PATH} (${built.length} bytes)`);
}
