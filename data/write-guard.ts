import { UserError } from "../engine/errors.ts";

/**
 * Runs a file-system step that writes into `dir`, turning system errors (permissions, disk space,
 * a file in the way) into one clear UserError (`flag` names the option that picks another folder, e.g. `--out`).
 */
export async function writingTo<T>(dir: string, flag: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
      throw new UserError(`cannot write to ${dir} (${code})`, `choose a writable folder with ${flag}`);
    }
    if (code === "ENOSPC") throw new UserError(`no space left on the device of ${dir}`, "free some space and run the command again");
    if (code === "ENOTDIR" || code === "EEXIST") throw new UserError(`cannot write to ${dir} (${code}: a file is in the way)`, `choose another folder with ${flag}`);
    // Any other system error (ENOENT under /proc, EIO, ...) is about the place, not a bug here.
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) throw new UserError(`cannot write to ${dir} (${code})`, `choose another folder with ${flag}`);
    throw err;
  }
}
