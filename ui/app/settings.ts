/**
 * What `bun start` remembers between runs, in $XDG_CONFIG_HOME/spoken-digits/settings.json
 * (~/.config/... without it): the input device, the VAD hangover, the commit pause and the
 * rejection threshold. Checked field by field on load; a file that does not pass is refused with the
 * way out, never silently replaced.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UserError, errorMessage } from "../../engine/errors.ts";
import { writeFileAtomic } from "../../engine/write-atomic.ts";

export interface Settings {
  /** Input device name (a name survives devices being renumbered). */
  device?: string;
  /** ms of silence that ends an utterance. */
  hangoverMs?: number;
  /** Seconds of pause that commit a number. */
  commitAfterS?: number;
  /** Confidence below which an utterance is rejected. */
  rejectBelow?: number;
}

/** Each numeric setting's unit and bounds: the same as the command-line flags'. */
export const SETTING_RANGES = {
  hangoverMs: { flag: "hangover", min: 10, max: 5000 },
  commitAfterS: { flag: "commit-after", min: 0.2, max: 60 },
  rejectBelow: { flag: "reject-below", min: 0, max: 1 },
} as const;

export function settingsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.startsWith("/") ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  return join(base, "spoken-digits", "settings.json");
}

/** The settings in `raw`, or the first thing wrong with them. */
export function validateSettings(raw: unknown): Settings | string {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return "not a JSON object";
  const settings: Settings = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "device") {
      if (typeof value !== "string" || value.trim() === "") return `"device" must be a device name, got ${JSON.stringify(value)}`;
      settings.device = value;
    } else if (key in SETTING_RANGES) {
      const { min, max } = SETTING_RANGES[key as keyof typeof SETTING_RANGES];
      if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
        return `"${key}" must be a number between ${min} and ${max}, got ${JSON.stringify(value)}`;
      }
      settings[key as keyof typeof SETTING_RANGES] = value;
    } else {
      return `unknown setting "${key}" (known: device, ${Object.keys(SETTING_RANGES).join(", ")})`;
    }
  }
  return settings;
}

/** The saved settings ({} when there are none yet). */
export function loadSettings(path: string): Settings {
  if (!existsSync(path)) return {};
  const fix = `correct or delete ${path}, or run \`bun start --reset-settings\``;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new UserError(`${path}: cannot read the settings: ${errorMessage(err)}`, fix);
  }
  const result = validateSettings(raw);
  if (typeof result === "string") throw new UserError(`${path}: ${result}`, fix);
  return result;
}

/** Writes the settings whole (to a temporary file renamed over the old one: never half a file). */
export function saveSettings(path: string, settings: Settings): void {
  writeFileAtomic(path, `${JSON.stringify(settings, null, 2)}\n`);
}

export function resetSettings(path: string): boolean {
  if (!existsSync(path)) return false;
  rmSync(path);
  return true;
}
