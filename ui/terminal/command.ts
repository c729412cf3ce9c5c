import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError, errorMessage } from "../../engine/errors.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

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
  /** Seed-era spellings accepted as aliases, e.g. { model_path: "model" }. */
  aliases?: Readonly<Record<string, string>>;
  examples?: readonly string[];
  allowPositionals?: boolean;
}

export function formatHelp<O extends Options>(spec: CommandSpec<O>): string {
  const lines = [spec.summary, "", "Usage:", ...spec.usage.map((u) => `  ${u}`), "", "Options:"];
  const rows: [string, string][] = [];
  for (const [name, opt] of Object.entries(spec.options)) {
    const flag = `${opt.short ? `-${opt.short}, ` : "    "}--${name}${opt.type === "string" ? " VALUE" : ""}`;
    const def = opt.default !== undefined && opt.type === "string" ? ` (default: ${String(opt.default)})` : "";
    rows.push([flag, `${spec.help[name as keyof O & string] ?? ""}${def}`]);
  }
  rows.push(["-h, --help", "show this help"]);
  const width = Math.max(...rows.map((r) => r[0].length)) + 2;
  for (const [flag, text] of rows) lines.push(`  ${flag.padEnd(width)}${text}`);
  if (spec.examples?.length) lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

/**
 * Normalises argv so that the seed's spellings work: `--model_path x` → `--model x` via the alias
 * table, and any `--snake_case` flag becomes `--kebab-case`.
 */
export function normaliseArgv(argv: string[], aliases: Readonly<Record<string, string>> = {}): string[] {
  return argv.map((arg) => {
    if (!arg.startsWith("--")) return arg;
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const rest = eq < 0 ? "" : arg.slice(eq);
    const mapped = aliases[name] ?? aliases[name.replace(/-/g, "_")] ?? name.replace(/_/g, "-");
    return `--${mapped}${rest}`;
  });
}

export function parseCommand<O extends Options>(spec: CommandSpec<O>, argv: string[]) {
  const options = { ...spec.options, help: { type: "boolean", short: "h" } } as O & { help: { type: "boolean"; short: "h" } };
  const parse = () => parseArgs({ args: normaliseArgv(argv, spec.aliases), options, allowPositionals: true, strict: true });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (err) {
    throw new UserError(`${spec.name}: ${errorMessage(err).replace(/^TypeError \[[A-Z_]+\]: /, "")}`, `see \`${spec.name} --help\``);
  }
  if (!spec.allowPositionals && parsed.positionals.length > 0) {
    throw new UserError(`${spec.name}: unexpected argument "${parsed.positionals[0]}"`, `see \`${spec.name} --help\``);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(formatHelp(spec));
    process.exit(0);
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
 * Runs a command's main function: user errors print one line (and their fix) and exit 2;
 * anything else is a bug and keeps its stack trace.
 */
export async function runCommand(main: () => Promise<number | void> | number | void): Promise<void> {
  try {
    const code = await main();
    process.exitCode = typeof code === "number" ? code : 0;
  } catch (err) {
    if (err instanceof UserError) {
      console.error(`error: ${err.describe()}`);
      process.exitCode = 2;
    } else {
      throw err;
    }
  }
}
