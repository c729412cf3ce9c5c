/**
 * The --out file: each committed number appended as a line at once (nothing lost if the app dies),
 * and taken back by undo only if it is still the file's last line and was written by this run.
 */
import { appendFileSync, statSync, truncateSync } from "node:fs";
import { UserError, errorMessage } from "../../engine/errors.ts";

export class NumberLog {
  /** File sizes before each of this run's appends, newest last. */
  private readonly before: number[] = [];

  constructor(readonly path: string) {
    try {
      appendFileSync(path, "");
    } catch (err) {
      throw new UserError(`cannot write ${path}: ${errorMessage(err)}`, "pass a writable path to --out");
    }
  }

  append(number: string): void {
    this.before.push(statSync(this.path).size);
    appendFileSync(this.path, `${number}\n`);
  }

  /** Removes the last number this run appended; false when the file has changed since. */
  undo(number: string): boolean {
    const at = this.before.pop();
    if (at === undefined) return false;
    const size = statSync(this.path).size;
    if (size !== at + Buffer.byteLength(`${number}\n`)) return false;
    truncateSync(this.path, at);
    return true;
  }
}
