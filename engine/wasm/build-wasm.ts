/**
 * Compiles engine/wasm/kernels.wat to kernels.wasm with wabt (a dev dependency: the app loads the
 * committed .wasm and needs no compiler). `bun run build:wasm`; `--check` only compares.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import wabt from "wabt";

export const WAT_PATH = join(import.meta.dir, "kernels.wat");
export const WASM_PATH = join(import.meta.dir, "kernels.wasm");

export async function compileKernels(): Promise<Uint8Array> {
  const w = await wabt();
  const module = w.parseWat("kernels.wat", readFileSync(WAT_PATH, "utf8"), { simd: true });
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
    console.log(
      "Compile engine/wasm/kernels.wat to kernels.wasm.\n\nUsage:\n  bun run build:wasm [--check]\n\nOptions:\n  --check     exit 1 if the committed kernels.wasm differs from a fresh build\n  -h, --help  show this help",
    );
    process.exit(0);
  }
  const built = await compileKernels();
  if (args.includes("--check")) {
    const same = Buffer.compare(Buffer.from(built), readFileSync(WASM_PATH)) === 0;
    console.log(same ? "kernels.wasm is up to date" : "kernels.wasm differs from kernels.wat: run `bun run build:wasm`");
    process.exit(same ? 0 : 1);
  }
  writeFileSync(WASM_PATH, built);
  console.log(`wrote ${WASM_PATH} (${built.length} bytes)`);
}
