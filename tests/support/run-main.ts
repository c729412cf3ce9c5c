/** Runs a command's main(argv) in this process: what it printed with console.log, and what it threw. */
export async function runMain(main: (argv: string[]) => unknown, argv: string[]): Promise<{ out: string; thrown: unknown }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  let thrown: unknown;
  try {
    await main(argv);
  } catch (err) {
    thrown = err;
  } finally {
    console.log = log;
  }
  return { out: lines.join("\n"), thrown };
}
