/** The audio sources the app can listen to, and the demo it offers when there is no microphone. */
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { DEMO_WAV, writeDemo } from "../../data/demo-recording.ts";
import { DEFAULT_DATA_DIR, loadSplit, splitPath } from "../../data/fsdd.ts";
import { PROJECT_ROOT } from "../../engine/shared-streams.ts";

export type SourceChoice =
  | { kind: "microphone"; device?: string | number }
  /** WAV files played through the engine one after another, at `speed` × real time. */
  | { kind: "files"; paths: readonly string[]; speed: number; demo?: boolean };

/**
 * The demo's WAVs: the demo recording `bun data:demo` makes from the dataset (artifacts/demo.wav),
 * else the WAVs under samples/.
 */
export function findDemoWavs(root = PROJECT_ROOT): string[] {
  const demo = join(root, DEMO_WAV);
  if (existsSync(demo)) return [demo];
  const samples = join(root, "samples");
  if (!existsSync(samples)) return [];
  return readdirSync(samples)
    .filter((f) => /\.wav$/i.test(f))
    .sort()
    .map((f) => join(samples, f));
}

/** The demo's WAVs, making the demo recording first when it is missing and the dataset is there. */
export async function ensureDemoWavs(root = PROJECT_ROOT): Promise<string[]> {
  const found = findDemoWavs(root);
  if (found.length || !existsSync(splitPath("test", join(root, DEFAULT_DATA_DIR)))) return found;
  await writeDemo(await loadSplit("test", join(root, DEFAULT_DATA_DIR)), join(root, DEMO_WAV));
  return findDemoWavs(root);
}

export function describeSource(source: SourceChoice): string {
  if (source.kind === "microphone") return source.device === undefined ? "default microphone" : `microphone ${source.device}`;
  const names = source.paths.map((p) => basename(p));
  return `${source.demo ? "demo " : ""}${names.length === 1 ? names[0] : `${names.length} files`}`;
}
