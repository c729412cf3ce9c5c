/**
 * An error caused by the user's input or environment (a bad file, a missing library, a wrong
 * flag). Commands print its message (and hint) as one line and exit non-zero, never a stack trace.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** What the user can do about it, e.g. "run `bun data:fetch`". */
    readonly hint?: string,
  ) {
    super(message);
    this.name = "UserError";
  }

  describe(): string {
    return this.hint ? `${this.message}\n  fix: ${this.hint}` : this.message;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof UserError) return err.describe();
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Exit statuses shared by every command (listed in each command's --help). */
export const EXIT = {
  ok: 0,
  /** Some inputs failed; the results of the others were delivered. */
  inputsFailed: 1,
  /** Bad usage or bad input (a UserError): nothing was done. */
  usage: 2,
  /** The output could not be written; what was written is kept, and the error says where. */
  outputFailed: 3,
  /** Interrupted by a second Ctrl+C. */
  interrupted: 130,
} as const;

/** A UserError about writing the output (a missing folder, a full disk): exit status 3. */
export class OutputError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    this.name = "OutputError";
  }
}
