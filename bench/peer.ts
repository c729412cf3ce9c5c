/**
 * The seed's method as a peer process (bench/peer/seed_peer.py): found when a python3 with
 * numpy, scipy and scikit-learn is installed, its model trained once on the train split's WAVs
 * and kept in artifacts/bench/.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runProcess } from "./process-run.ts";

export const PEER_SCRIPT = join(import.meta.dir, "peer/seed_peer.py");
export const PEER_MISSING = "no python3 with numpy, scipy and scikit-learn (apt-get install python3-numpy python3-scipy python3-sklearn)";

export interface Peer {
  python: string;
  model: string;
}

/** The first python3 that imports what the peer needs: the one on PATH, then Debian's. */
export function findPython(): string | null {
  for (const candidate of [Bun.which("python3"), "/usr/bin/python3"]) {
    if (!candidate || !existsSync(candidate)) continue;
    if (runProcess([candidate, "-c", "import numpy, scipy, sklearn"]).exitCode === 0) return candidate;
  }
  return null;
}

/** The peer, its model trained on `trainDir` first if artifacts/bench has none; null when Python lacks the packages. */
export async function seedPeer(root: string, trainDir: () => Promise<string>): Promise<Peer | null> {
  const python = findPython();
  if (!python) return null;
  const model = join(root, "artifacts/bench/peer-model.pkl");
  if (!existsSync(model)) {
    const run = runProcess([python, PEER_SCRIPT, "train", await trainDir(), model]);
    if (run.exitCode !== 0) throw new Error(`training the Python peer failed: ${run.stderr.trim().split("\n").pop()}`);
  }
  return { python, model };
}

/** The command line of the peer doing `what` (predict or listen) on `args`. */
export function peerCommand(peer: Peer, what: "predict" | "listen", args: string[]): string[] {
  return [peer.python, PEER_SCRIPT, what, peer.model, ...args];
}
