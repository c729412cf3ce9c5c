import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { OutputError } from "../engine/errors.ts";

/** The OutputError (exit 3) for a system error while writing into `dir`, or null for anything else. */
function outputError(err: unknown, dir: string, flag: string): OutputError | null {
  const code = (err as { code?: unknown })?.code;
  if (code === "EACCES" || code === "EPERM" || code === "EROFS")
    return new OutputError(`cannot write to ${dir} (${code})`, `choose a writable folder with ${flag}`);
  if (code === "ENOSPC" || code === "EDQUOT") return new OutputError(`no space left on the device of ${dir}`, "free some space and run the command again");
  if (code === "ENOTDIR" || code === "EEXIST")
    return new OutputError(`cannot write to ${dir} (${code}: a file is in the way)`, `choose another folder with ${flag}`);
  // Any other system error (ENOENT under /proc, EIO, ...) is about the place, not a bug here.
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return new OutputError(`cannot write to ${dir} (${code})`, `choose another folder with ${flag}`);
  return null;
}

/**
 * Runs a file-system step that writes into `dir`, turning system errors (permissions, disk space,
 * a file in the way) into one clear OutputError (`flag` names the option that picks another folder, e.g. `--out`).
 */
export async function writingTo<T>(dir: string, flag: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw outputError(err, dir, flag) ?? err;
  }
}

export interface WriteFileOptions {
  /** Replace a different file already at the path (else it is refused: the user did not name it). */
  force?: boolean;
  /** The option that picks another place, for the hint. */
  flag?: string;
}

/**
 * Writes a whole file so that a failure leaves nothing behind: the bytes go to a new hidden file
 * beside it (created exclusively, so a symlink planted there is never followed), which is renamed
 * into place (replacing a symlink at the path, not writing through it). A file already there
 * with the same bytes is left as it is; a different one is refused unless `force`.
 * Returns false when the file was already there, unchanged.
 */
export function writeFileSafely(path: string, bytes: Uint8Array, options: WriteFileOptions = {}): boolean {
  const flag = options.flag ?? "--out";
  const dir = dirname(path);
  if (existsSync(path) || isSymlink(path)) {
    const link = isSymlink(path);
    if (!link && lstatSync(path).isFile() && sameBytes(path, bytes)) return false;
    if (!options.force) {
      throw new OutputError(
        `${path} already exists${link ? " (a symlink, not followed)" : " with other contents"}`,
        `add --force to replace it, or choose another folder with ${flag}`,
      );
    }
  }
  const temp = join(dir, `.${basename(path)}.${process.pid}.partial`);
  try {
    writeFileSync(temp, bytes, { flag: "wx" });
    renameSync(temp, path);
    return true;
  } catch (err) {
    rmSync(temp, { force: true });
    throw outputError(err, dir, flag) ?? err;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function sameBytes(path: string, bytes: Uint8Array): boolean {
  const have = readFileSync(path);
  return have.length === bytes.length && have.equals(bytes);
}

/**
 * Makes `dir` (and its parents) and proves it can be written, before any work whose results go
 * there: an OutputError (exit 3) now rather than a lost result later.
 */
export function checkWritableDir(dir: string, flag: string): void {
  const probe = join(dir, `.write-check.${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(probe, "", { flag: "wx" });
    rmSync(probe);
  } catch (err) {
    throw outputError(err, dir, flag) ?? err;
  }
}
