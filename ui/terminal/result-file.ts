import { closeSync, existsSync, fsyncSync, ftruncateSync, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { OutputError } from "../../engine/errors.ts";

const code = (err: unknown) => (err as NodeJS.ErrnoException)?.code ?? (err as Error)?.message ?? String(err);

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  EACCES: "permission denied",
  EPERM: "not permitted",
  EROFS: "read-only file system",
  EIO: "input/output error",
};

export const describeWriteError = (err: unknown) => {
  const c = code(err);
  return REASONS[c] ? `${c}: ${REASONS[c]}` : c;
};

/**
 * A results file that loses nothing. `create` checks the place before any work starts (the
 * folder exists and can be written); lines are then written as they come to a hidden temporary
 * file beside the target, which `finish` renames into place. A write that fails (a full disk)
 * stops the writing, cuts the file back to its last complete line and remembers why; `finish`
 * still puts what was written in place, so the caller only has to deliver the lines that did not
 * make it (`failure`). The rename replaces a symlink at the target rather than writing through it.
 * A target that is not a regular file (/dev/stdout, a FIFO) is written directly.
 */
export class ResultFile {
  private fd: number;
  private bytes = 0;
  /** Complete lines in the file. */
  lines = 0;
  /** Why writing stopped, once it has. */
  failure: string | undefined;

  private constructor(
    readonly path: string,
    /** The hidden file written until `finish`, or null when writing the target directly. */
    private readonly temp: string | null,
  ) {
    this.fd = openSync(temp ?? path, temp ? "wx" : "a");
  }

  /** Checks the target and opens the temporary file; an OutputError (exit 3) when it cannot be written. */
  static create(path: string, flag = "--out"): ResultFile {
    const dir = dirname(path);
    const hint = `choose another file with ${flag}`;
    if (!existsSync(dir)) throw new OutputError(`${path}: the folder ${dir} does not exist`, `create it (mkdir -p ${dir}) or ${hint}`);
    if (!statSync(dir).isDirectory()) throw new OutputError(`${path}: ${dir} is not a folder`, hint);
    let direct = false;
    if (existsSync(path)) {
      const st = statSync(path);
      if (st.isDirectory()) throw new OutputError(`${path}: is a folder`, hint);
      direct = !st.isFile() && !lstatSync(path).isSymbolicLink();
    }
    const temp = direct ? null : join(dir, `.${basename(path)}.${process.pid}.partial`);
    try {
      return new ResultFile(path, temp);
    } catch (err) {
      throw new OutputError(`cannot write ${path} (${describeWriteError(err)})`, hint);
    }
  }

  /** Appends `text` (whole lines); false once writing has failed (nothing more is written). */
  write(text: string): boolean {
    if (this.failure) return false;
    const buf = Buffer.from(text);
    try {
      for (let off = 0; off < buf.length; ) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch (err) {
      this.failure = describeWriteError(err);
      // a partial line is worse than none
      try {
        if (this.temp) ftruncateSync(this.fd, this.bytes);
      } catch {
        // the file keeps a cut line; the message still says how many were written
      }
      return false;
    }
    this.bytes += buf.length;
    this.lines += text.split("\n").length - 1;
    return true;
  }

  /**
   * Flushes and puts the file in place. Returns where the written lines are: the target, or the
   * temporary file when even the rename failed (then `failure` says why).
   */
  finish(): string {
    try {
      fsyncSync(this.fd);
    } catch (err) {
      // fsync on a pipe or device is not supported, and not needed
      if (this.temp) this.failure ??= describeWriteError(err);
    }
    closeSync(this.fd);
    if (!this.temp) return this.path;
    try {
      renameSync(this.temp, this.path);
      return this.path;
    } catch (err) {
      this.failure ??= `renaming into place failed: ${describeWriteError(err)}`;
      return this.temp;
    }
  }

  /** Removes the temporary file (nothing worth keeping was written). */
  discard(): void {
    closeSync(this.fd);
    if (this.temp) unlinkSync(this.temp);
  }
}
