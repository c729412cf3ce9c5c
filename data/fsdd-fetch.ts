import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UserError } from "../engine/errors.ts";
import { DownloadError, downloadResumable, formatBytes } from "./download.ts";
import { checkSplitFile } from "./fsdd-check.ts";
import { SPLITS, splitFileName, type Split } from "./fsdd.ts";
import { FSDD_SHA256, fileSha256 } from "./fsdd-pins.ts";
import { writingTo } from "./write-guard.ts";

const writing = <T>(dir: string, step: () => Promise<T>) => writingTo(dir, "--dir", step);

export const FSDD_DATASET = "mteb/free-spoken-digit-dataset";
export const HUB_ENDPOINT = "https://huggingface.co";

export const OFFLINE_HINT =
  "no network? copy train-00000-of-00001.parquet and test-00000-of-00001.parquet from a machine that has them " +
  "and run `bun data:fetch --from DIR`; behind a mirror, set FSDD_BASE_URL or HF_ENDPOINT";

/**
 * The folder URL that holds the split files: `FSDD_BASE_URL` if set, else the dataset's `data/`
 * folder on the hub (`HF_ENDPOINT`, as in huggingface_hub, or huggingface.co), at `resolve/main`.
 */
export function defaultBaseUrl(env: Record<string, string | undefined> = process.env): string {
  if (env.FSDD_BASE_URL) return env.FSDD_BASE_URL;
  const hub = (env.HF_ENDPOINT || HUB_ENDPOINT).replace(/\/+$/, "");
  return `${hub}/datasets/${FSDD_DATASET}/resolve/main/data`;
}

export function splitUrl(baseUrl: string, split: Split): string {
  return `${baseUrl.replace(/\/+$/, "")}/${splitFileName(split)}`;
}

export interface FetchOptions {
  /** Where the parquet files go. */
  dir: string;
  /** Copy from this local folder (or its `data/` subfolder) instead of downloading. */
  from?: string;
  baseUrl?: string;
  /** Replace files that are already present and valid. */
  force?: boolean;
  /** Automatic resumed attempts after a transfer breaks off. */
  retries?: number;
  /** Give up on a connection that sends nothing for this long, in ms. */
  stallMs?: number;
  splits?: readonly Split[];
  /** Notes for the user (skips, retries). */
  log?: (line: string) => void;
  /** Starts the progress display of one download, counted in KiB (default: none). */
  progress?: (label: string, totalKiB: number) => TransferProgress;
}

/** How a download reports progress: the command decides how to show it (a bar on a terminal). */
export interface TransferProgress {
  /** `kib` more KiB arrived; `note` is the rate so far. */
  tick(kib: number, note: string): void;
  finish(note: string): void;
}

export interface FetchedSplit {
  split: Split;
  /** The installed file. */
  file: string;
  /** `present`: already there and valid; `downloaded` / `copied`: newly installed. */
  outcome: "present" | "downloaded" | "copied";
  /** Where it came from: a URL or a local path (or the file itself when present). */
  source: string;
  bytes: number;
  rows: number;
  /** Bytes of an earlier partial download that were kept. */
  resumedFrom?: number;
  /** SHA-256 advertised by the server and verified (the pinned one is always checked). */
  sha256?: string;
}

/** Fetches every split (train, test by default); see {@link fetchSplit}. */
export async function fetchDataset(options: FetchOptions): Promise<FetchedSplit[]> {
  const out: FetchedSplit[] = [];
  for (const split of options.splits ?? SPLITS) out.push(await fetchSplit(split, options));
  return out;
}

/**
 * Installs one split's parquet file into `options.dir`: skipped when already present and valid
 * (unless `force`), else downloaded (resumable, into `<file>.part`) or copied from `options.from`,
 * checked (size, the pinned SHA-256 and the server's when it gives one, parquet layout and row count) and only then
 * renamed into place. A file that fails the checks is deleted; nothing broken is left behind.
 */
export async function fetchSplit(split: Split, options: FetchOptions): Promise<FetchedSplit> {
  const log = options.log ?? (() => {});
  const name = splitFileName(split);
  const file = join(options.dir, name);
  const part = `${file}.part`;

  if (existsSync(file) && !options.force) {
    try {
      await checkPinned(file, split);
      const { rows, bytes } = await checkSplitFile(file, split);
      return { split, file, outcome: "present", source: file, bytes, rows };
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      log(`${file} is there but unusable (${err.message.replace(`${file}: `, "")}); replacing it`);
    }
  }
  await writing(options.dir, () => mkdir(options.dir, { recursive: true }));
  if (options.force) await writing(options.dir, () => rm(part, { force: true }));

  if (options.from !== undefined) {
    const source = findLocalCopy(options.from, name);
    if (resolve(source) === resolve(file)) {
      await checkPinned(file, split);
      const { rows, bytes } = await checkSplitFile(file, split);
      return { split, file, outcome: "present", source, bytes, rows };
    }
    // Bun.write rather than copyFile: a read-only source must not give a read-only copy.
    await writing(options.dir, () => Bun.write(part, Bun.file(source)));
    const { rows, bytes } = await checkInstalled(part, split, source);
    await writing(options.dir, () => rename(part, file));
    return { split, file, outcome: "copied", source, bytes, rows };
  }

  const url = splitUrl(options.baseUrl ?? defaultBaseUrl(), split);
  const retries = options.retries ?? 2;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await writing(options.dir, () => downloadWithProgress(url, part, name, options.stallMs, options.progress));
      const { rows, bytes } = await checkInstalled(part, split, url);
      await writing(options.dir, () => rename(part, file));
      return { split, file, outcome: "downloaded", source: url, bytes, rows, resumedFrom: result.resumedFrom, sha256: result.sha256 };
    } catch (err) {
      if (!(err instanceof DownloadError && err.failure === "interrupted" && attempt < retries)) throw err;
      log(`${err.message}; resuming (attempt ${attempt + 2} of ${retries + 1})`);
      await Bun.sleep(500 * (attempt + 1));
    }
  }
}

async function downloadWithProgress(url: string, part: string, name: string, stallMs?: number, progress?: FetchOptions["progress"]) {
  let bar: TransferProgress | undefined;
  let shownKiB = 0;
  let startBytes = 0;
  const started = performance.now();
  let last = 0;
  const rate = () => `${formatBytes(Math.round((last - startBytes) / Math.max(1e-3, (performance.now() - started) / 1000)))}/s`;
  try {
    const result = await downloadResumable(url, part, {
      stallMs,
      offlineHint: OFFLINE_HINT,
      onProgress(done, total) {
        if (!progress) return;
        if (!bar) {
          bar = progress(`${name} (KiB)`, Math.ceil(total / 1024));
          startBytes = done;
        }
        last = done;
        const kib = total > 0 && done >= total ? Math.ceil(total / 1024) : Math.floor(done / 1024);
        bar.tick(kib - shownKiB, rate());
        shownKiB = kib;
      },
    });
    bar?.finish(`at ${rate()}${result.resumedFrom ? `, resumed from ${formatBytes(result.resumedFrom)}` : ""}`);
    return result;
  } catch (err) {
    bar?.finish(err instanceof DownloadError && err.failure === "interrupted" ? "(interrupted)" : "(failed)");
    throw err;
  }
}

/** Throws a UserError when `file` is not byte for byte the FSDD release the project pins. */
async function checkPinned(file: string, split: Split): Promise<void> {
  const actual = await fileSha256(file);
  if (actual !== FSDD_SHA256[split]) {
    throw new UserError(`${file}: SHA-256 ${actual.slice(0, 12)}… is not the pinned FSDD ${split} file (${FSDD_SHA256[split].slice(0, 12)}…)`);
  }
}

/** Checks a freshly fetched part file; a failure deletes it and names where it came from. */
async function checkInstalled(part: string, split: Split, source: string) {
  try {
    await checkPinned(part, split);
    return await checkSplitFile(part, split);
  } catch (err) {
    await rm(part, { force: true });
    if (!(err instanceof UserError)) throw err;
    throw new UserError(
      `${source}: not a valid FSDD ${split} split (${err.message.replace(`${part}: `, "")}); nothing was installed`,
      "check the source, or run `bun data:fetch` to download from the hub",
    );
  }
}

/** The split file in DIR or DIR/data (the layout of a clone of the hub repository). */
function findLocalCopy(dir: string, name: string): string {
  for (const candidate of [join(dir, name), join(dir, "data", name)]) if (existsSync(candidate)) return candidate;
  const why = existsSync(dir) ? `no ${name} in ${dir} or ${join(dir, "data")}` : `${dir} does not exist`;
  throw new UserError(`--from ${dir}: ${why}`, "point --from at the folder that holds train-00000-of-00001.parquet and test-00000-of-00001.parquet");
}
