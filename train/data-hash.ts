import { readFileSync } from "node:fs";

/** Short SHA-256 of the files' bytes: identifies the data a model was trained on. */
export function dataHash(files: string[]): string {
  const h = new Bun.CryptoHasher("sha256");
  for (const f of files) h.update(readFileSync(f));
  return h.digest("hex").slice(0, 16);
}
