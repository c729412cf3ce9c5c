/**
 * The --out file: each committed number appended as a line at once (nothing lost if the app dies),
 * and taken back by undo only if it is still the file's last line and was written by this run.
 * A number that cannot be appended (a full disk, a file made read-only, a folder gone) is never
 * lost: it waits in memory, in order, and every later append and every `retry` tries again,
 * oldest first; `status` says what the screen must tell the user.
 */
import { appendFileSync, statSync, truncateSync } from "node:fs";
import { OutputError } from "../../engine/errors.ts";
import { describeWriteError } from "../terminal/result-file.ts";

export class NumberLog {
  /** File sizes before each of this run's appends, newest last. */
  private readonly before: number[] = [];
  /** Numbers not yet in the file, oldest first. */
  readonly unsaved: string[] = [];
  /** Why the last attempt failed, while numbers are waiting. */
  failure: string | undefined;

  constructor(readonly path: string) {
    try {
      appendFileSync(path, "");
    } catch (err) {
      throw new OutputError(`cannot write ${path} (${describeWriteError(err)})`, "pass a writable path to --out");
    }
  }

  /** Queues the number and writes all that wait; true when nothing is left unsaved. */
  append(number: string): boolean {
    this.unsaved.push(number);
    return this.retry();
  }

  /** Writes what waits, oldest first, stopping at the first failure; true when all are saved. */
  retry(): boolean {
    while (this.unsaved.length) {
      const number = this.unsaved[0]!;
      try {
        const size = statSync(this.path).size;
        appendFileSync(this.path, `${number}\n`);
        this.before.push(size);
      } catch (err) {
        this.failure = describeWriteError(err);
        return false;
      }
      this.unsaved.shift();
    }
    this.failure = undefined;
    return true;
  }

  /** Removes the last number this run appended (or still holds); false when the file has changed since. */
  undo(number: string): boolean {
    if (this.unsaved.at(-1) === number) {
      this.unsaved.pop();
      if (!this.unsaved.length) this.failure = undefined;
      return true;
    }
    const at = this.before.pop();
    if (at === undefined) return false;
    try {
      const size = statSync(this.path).size;
      if (size !== at + Buffer.byteLength(`${number}\n`)) return false;
      truncateSync(this.path, at);
      return true;
    } catch {
      return false;
    }
  }

  /** One line about numbers not yet saved, or null when all are. */
  status(): string | null {
    const n = this.unsaved.length;
    if (!n) return null;
    return `${n} number${n === 1 ? "" : "s"} not yet saved to ${this.path} (${this.failure}): kept, retrying`;
  }
}
