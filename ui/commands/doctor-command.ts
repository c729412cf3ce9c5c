import { DEFAULT_DATA_DIR, splitPath } from "../../data/fsdd.ts";
import { checkSplitFile } from "../../data/fsdd-check.ts";
import { errorMessage, UserError } from "../../engine/errors.ts";
import { DEFAULT_MODEL_PATH, loadModelFile } from "../../engine/model-file.ts";
import { listInputDevices } from "../../native/devices.ts";
import { loadPortAudio, portAudioVersion, withPortAudio } from "../../native/portaudio.ts";
import { parseCommand, runCommand } from "../terminal/command.ts";

const MIN_BUN = "1.1.0";

const spec = {
  name: "bun doctor",
  summary: "Check that everything spoken-digits needs is in place, with the fix for whatever is not.",
  usage: ["bun doctor [--model models/default.json] [--data-dir data/fsdd_parquet] [--json]"],
  options: {
    model: { type: "string", short: "m", default: DEFAULT_MODEL_PATH },
    "data-dir": { type: "string", default: DEFAULT_DATA_DIR },
    json: { type: "boolean" },
  },
  metavar: { model: "FILE", "data-dir": "DIR" },
  help: { model: "model file to check", "data-dir": "folder with the FSDD parquet files", json: "print the checks as JSON" },
  aliases: { model_path: "model", data_dir: "data-dir" },
  examples: ["bun doctor"],
} as const;

export interface Check {
  name: string;
  ok: boolean;
  /** Needed by every command (a failure makes doctor exit non-zero), or only by some. */
  required: boolean;
  detail: string;
  fix?: string;
}

function newer(a: string, b: string): boolean {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  return true;
}

async function attempt(name: string, required: boolean, fn: () => Promise<string> | string): Promise<Check> {
  try {
    return { name, ok: true, required, detail: await fn() };
  } catch (err) {
    return {
      name,
      ok: false,
      required,
      detail: err instanceof UserError ? err.message : errorMessage(err),
      fix: err instanceof UserError ? err.hint : undefined,
    };
  }
}

export async function runChecks(modelPath: string, dataDir: string): Promise<Check[]> {
  const checks: Check[] = [];
  checks.push(
    await attempt("bun", true, () => {
      if (!newer(Bun.version, MIN_BUN)) throw new UserError(`Bun ${Bun.version} is older than ${MIN_BUN}`, "npm install -g bun@1.4.4");
      return `Bun ${Bun.version}`;
    }),
  );
  checks.push(
    await attempt("model", true, () => {
      const m = loadModelFile(modelPath);
      const acc = m.training.testAccuracy;
      return `${modelPath}: ${m.layers.length === 1 ? "softmax" : `${m.layers.length - 1} hidden layer(s) + softmax`}, ${m.standardize.mean.length} features${typeof acc === "number" ? `, test accuracy ${acc.toFixed(4)}` : ""}`;
    }),
  );
  for (const split of ["train", "test"] as const) {
    checks.push(
      await attempt(`data (${split})`, true, async () => {
        const file = splitPath(split, dataDir);
        const s = await checkSplitFile(file, split);
        return `${file}: ${s.rows} rows, ${(s.bytes / 1e6).toFixed(1)} MB`;
      }),
    );
  }
  const pa = await attempt("PortAudio", false, () => {
    const lib = loadPortAudio();
    return `${withPortAudio(portAudioVersion)} (${lib.path})`;
  });
  checks.push(pa);
  if (pa.ok) {
    checks.push(
      await attempt("input devices", false, () => {
        const devices = listInputDevices();
        if (devices.length === 0) {
          throw new UserError(
            "no input device found",
            "plug in or enable a microphone (or, with no sound card, see tests/support/virtual-mic/README.md); files and stdin still work: bun listen --file X.wav",
          );
        }
        const def = devices.find((d) => d.isDefault) ?? devices[0]!;
        return `${devices.length} (default: ${def.index} "${def.name}", ${def.defaultSampleRate} Hz)`;
      }),
    );
  }
  return checks;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  const checks = await runChecks(values.model!, values["data-dir"]!);
  if (values.json) console.log(JSON.stringify(checks, null, 2));
  else {
    for (const c of checks) {
      const mark = c.ok ? "✓" : c.required ? "✗" : "!";
      console.log(`${mark} ${c.name.padEnd(14)} ${c.detail}`);
      if (!c.ok && c.fix) console.log(`  ${"".padEnd(14)} fix: ${c.fix}`);
    }
    const failed = checks.filter((c) => !c.ok && c.required);
    const warned = checks.filter((c) => !c.ok && !c.required);
    console.log(
      failed.length
        ? `\n${failed.length} required check(s) failed.`
        : warned.length
          ? "\nReady for files and batch work; the microphone needs the fix above (✗ required, ! optional)."
          : "\nAll good.",
    );
  }
  return checks.some((c) => !c.ok && c.required) ? 1 : 0;
}

if (import.meta.main) await runCommand(main);
