/** The audio sources the app can listen to, and the demo it offers when there is no microphone. */
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";

export type SourceChoice =
  | { kind: "microphone"; device?: string | number }
  /** WAV files played through the engine one after another, at `speed` × real time. */
  | { kind: "files"; paths: readonly string[]; speed: number; demo?: boolean };

export const PROJECT_ROOT = join(import.meta.dir, "../..");
export const SHARED_STREAMS = join(PROJECT_ROOT, "../shared/streams");
/** A short clean stream with pauses of every length: a fair first impression. */
export const DEMO_STREAM = "s09_44k_f32_clean.wav";

/** The demo's WAVs: a shared test stream if there is one, else the WAVs under samples/. */
export function findDemoWavs(root = PROJECT_ROOT): string[] {
  const stream = join(root, "../shared/streams", DEMO_STREAM);
  if (existsSync(stream)) return [stream];
  const samples = join(root, "samples");
  if (!existsSync(samples)) return [];
  return readdirSync(samples)
    .filter((f) => /\.wav$/i.test(f))
    .sort()
    .map((f) => join(samples, f));
}

export function describeSource(source: SourceChoice): string {
  if (source.kind === "microphone") return source.device === undefined ? "default microphone" : `microphone ${source.device}`;
  const names = source.paths.map((p) => basename(p));
  return `${source.demo ? "demo " : ""}${names.length === 1 ? names[0] : `${names.length} files`}`;
}
