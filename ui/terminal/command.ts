import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { EXIT, OutputError, UserError, errorMessage } from "../../engine/errors.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * The command-line conventions every command shares, so a flag means one thing everywhere:
 *   -h/--help, -V/--version, -m/--model FILE (a model to read), -o/--out (what the command
 *   writes), -d/--device, -f/--file FILE, -j/--json, -q/--quiet, -r/--recursive.
 * A reading command takes `-` for standard input where it reads a file.
 */
export interface CommandSpec<O extends Options> {
  /** e.g. "bun predict" */
  name: string;
  /** One line: what the command does. */
  summary: string;
  /** Usage lines, e.g. ["bun predict FILE_OR_DIR... [options]"]. */
  usage: readonly string[];
  options: O;
  /** Help text per option name (without dashes), shown by --help. */
  help: Partial<Record<keyof O & string, string>>;
  /** The placeholder --help shows after a string option (FILE, DIR, N, HZ, MS...); VALUE if absent. */
  metavar?: Partial<Record<keyof O & string, string>>;
  /** Older spellings accepted as aliases, e.g. { model_path: "model" }. */
  aliases?: Readonly<Record<string, string>>;
  examples?: readonly string[];
  allowPositionals?: boolean;
  /** Exit statuses beyond 0 that --help lists, e.g. [[1, "some inputs failed"]] (2 is always listed). */
  exitCodes?: readonly (readonly [number, string])[];
}

/**
 * Thrown to end a command early with an exit code once it has said what it had to (--help,
 * --version): `runCommand` turns it into the exit code, and an in-process caller of `main` sees it.
 */
export class CommandExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = "CommandExit";
  }
}

let cachedVersion: string | undefined;

/** The project's version, from package.json. */
export function projectVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(join(import.meta.dir, "../../package.json"), "utf8")) as { version: string }).version;
  return cachedVersion;
}

export function formatHelp<O extends Options>(spec: CommandSpec<O>): string {
  const lines = [spec.summary, "", "Usage:", ...spec.usage.map((u) => `  ${u}`), "", "Options:"];
  const rows: [string, string][] = [];
  for (const [name, opt] of Object.entries(spec.options)) {
    const metavar = spec.metavar?.[name as keyof O & string] ?? "VALUE";
    const flag = `${opt.short ? `-${opt.short}, ` : "    "}--${name}${opt.type === "string" ? ` ${metavar}` : ""}`;
    const def = opt.default !== undefined && opt.type === "string" ? ` (default: ${String(opt.default)})` : "";
    rows.push([flag, `${spec.help[name as keyof O & string] ?? ""}${def}`]);
  }
  rows.push(["-h, --help", "show this help"], ["-V, --version", "show the version"]);
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}${text}`);
  if (spec.exitCodes?.length) {
    const codes: (readonly [number, string])[] = [[EXIT.ok, "success"], [EXIT.usage, "bad usage or input: nothing was done"], ...spec.exitCodes];
    lines.push("", "Exit status:", ...codes.sort((a, b) => a[0] - b[0]).map(([c, what]) => `  ${String(c).padEnd(4)}${what}`));
  }
  if (spec.examples?.length) lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

/**
 * Normalises argv so that older spellings work: `--model_path x` → `--model x` via the alias
 * table, and any `--snake_case` flag becomes `--kebab-case`. Everything after `--` is left alone.
 */
export function normaliseArgv(argv: string[], aliases: Readonly<Record<string, string>> = {}): string[] {
  const end = argv.indexOf("--");
  return argv.map((arg, i) => {
    if (!arg.startsWith("--") || arg === "--" || (end >= 0 && i > end)) return arg;
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const rest = eq < 0 ? "" : arg.slice(eq);
    const mapped = aliases[name] ?? aliases[name.replace(/-/g, "_")] ?? name.replace(/_/g, "-");
    return `--${mapped}${rest}`;
  });
}

/** node:util's parse errors, said in one line. */
function parseErrorLine(message: string): string {
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /^Option '(?:-\w, )?(--[^ ']+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  const ambiguous = /^Option '([^']+)' argument is ambiguous[\s\S]*use '([^']+)' or '([^']+)'/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value; one that starts with "-" is written ${ambiguous[2]} or ${ambiguous[3]}`;
  return message.replace(/^TypeError \[[A-Z_]+\]: /, "").split("\n")[0]!;
}

/**
 * Parses argv by the spec. --help and --version print and end the command (CommandExit 0);
 * an unknown or malformed flag is a UserError of one line that points to --help.
 */
export function parseCommand<O extends Options>(spec: CommandSpec<O>, argv: string[]) {
  const options = { ...spec.options, help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "V" } } as O & {
    help: { type: "boolean"; short: "h" };
    version: { type: "boolean"; short: "V" };
  };
  const parse = () => parseArgs({ args: normaliseArgv(argv, spec.aliases), options, allowPositionals: true, strict: true });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (err) {
    throw new UserError(`${spec.name}: ${parseErrorLine(errorMessage(err))} (see \`${spec.name} --help\`)`);
  }
  const flags = parsed.values as { help?: boolean; version?: boolean };
  if (flags.help) {
    console.log(formatHelp(spec));
    throw new CommandExit(0);
  }
  if (flags.version) {
    console.log(`spoken-digits ${projectVersion()}`);
    throw new CommandExit(0);
  }
  if (!spec.allowPositionals && parsed.positionals.length > 0) {
    throw new UserError(`${spec.name}: unexpected argument "${parsed.positionals[0]}" (see \`${spec.name} --help\`)`);
  }
  return parsed;
}

/** Parses a numeric flag, refusing anything that is not a finite number within [min, max]. */
export function numberFlag(name: string, value: string | undefined, fallback: number, min = -Infinity, max = Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    const range = Number.isFinite(min) || Number.isFinite(max) ? ` between ${min} and ${max}` : "";
    throw new UserError(`--${name} must be a number${range}, got "${value}"`);
  }
  return n;
}

/**
 * Runs a command's main function on the process's arguments: user errors print one line (and
 * their fix) and exit 2 (3 for an output that could not be written); anything else is a bug and
 * keeps its stack trace.
 */
export async function runCommand(main: (argv: string[]) => Promise<number | void> | number | void, argv = process.argv.slice(2)): Promise<void> {
  try {
    const code = await main(argv);
    process.exitCode = typeof code === "number" ? code : 0;
  } catch (err) {
    if (err instanceof CommandExit) {
      process.exitCode = err.code;
    } else if (err instanceof UserError) {
      console.error(`error: ${err.describe()}`);
      process.exitCode = err instanceof OutputError ? EXIT.outputFailed : EXIT.usage;
    } else {
      throw err;
    }
  }
}
