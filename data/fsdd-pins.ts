import type { Split } from "./fsdd.ts";

/**
 * SHA-256 of the two parquet files of `mteb/free-spoken-digit-dataset` (data/, revision main) this
 * project is built and tested on. Every fetched or copied file is checked against them, whatever a
 * server announces: a mirror, a proxy or a plain-HTTP FSDD_BASE_URL cannot install anything else.
 */
export const FSDD_SHA256: Readonly<Record<Split, string>> = {
  train: "34ac4b3c2efae2eb3f711e79e6b21b54c27857b916611fe5a2efb9c49ec2457f",
  test: "0bce829e1cdc1a8affacb5a8b15decb5428ce8f2556c8142070e936d93603426",
};

export async function fileSha256(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}
