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
