import { numberFlag, parseCommand, runCommand, type CommandSpec } from "../terminal/command.ts";
import { ProgressBar } from "../terminal/progress.ts";
import { formatBytes } from "../../data/download.ts";
import { DEFAULT_DATA_DIR } from "../../data/fsdd.ts";
import { defaultBaseUrl, fetchDataset, FSDD_DATASET } from "../../data/fsdd-fetch.ts";

const spec = {
  name: "bun data:fetch",
  summary: `Downloads the FSDD parquet files (Hugging Face dataset ${FSDD_DATASET}): resumable, checked, installed atomically.`,
  usage: ["bun data:fetch [--dir DIR] [--base-url URL] [--force]", "bun data:fetch --from DIR [--dir DIR]"],
  options: {
    dir: { type: "string", default: DEFAULT_DATA_DIR },
    from: { type: "string" },
    "base-url": { type: "string" },
    force: { type: "boolean", default: false },
    retries: { type: "string", default: "2" },
    timeout: { type: "string", default: "30" },
  },
  metavar: { dir: "DIR", from: "DIR", "base-url": "URL", retries: "N", timeout: "S" },
  help: {
    dir: "where the parquet files go",
    from: "copy from a local folder (or its data/ subfolder) instead of downloading",
    "base-url": "folder URL holding the parquet files (env FSDD_BASE_URL; HF_ENDPOINT picks a hub mirror)",
    force: "replace files that are already present and valid",
    retries: "resumed attempts when a transfer breaks off",
    timeout: "seconds without data before giving up on a connection",
  },
  examples: ["bun data:fetch", "bun data:fetch --from /mnt/usb/fsdd_parquet", "HF_ENDPOINT=https://hf-mirror.com bun data:fetch"],
} satisfies CommandSpec<Record<string, { type: "string" | "boolean"; default?: string | boolean }>>;

export async function main(argv: string[]): Promise<number | void> {
  const { values } = parseCommand(spec, argv);
  const retries = numberFlag("retries", values.retries, 2, 0, 100);
  const timeout = numberFlag("timeout", values.timeout, 30, 1, 3600);
  const fetched = await fetchDataset({
    dir: values.dir,
    from: values.from,
    baseUrl: values["base-url"] ?? defaultBaseUrl(),
    force: values.force,
    retries: Math.floor(retries),
    stallMs: timeout * 1000,
    log: (line) => console.error(line),
    progress: (label, totalKiB) => new ProgressBar(label, totalKiB),
  });
  for (const f of fetched) {
    const what =
      f.outcome === "present"
        ? "already present and valid"
        : `${f.outcome} from ${f.source}${f.resumedFrom ? ` (resumed at ${formatBytes(f.resumedFrom)})` : ""}${f.sha256 ? ", SHA-256 verified" : ""}`;
    console.log(`${f.file}: ${f.rows} rows, ${formatBytes(f.bytes)}, ${what}`);
  }
}

if (import.meta.main) await runCommand(main);
