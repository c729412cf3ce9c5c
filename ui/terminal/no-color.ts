import { isatty } from "node:tty";

/**
 * Colour for the Ink app, decided before ink loads (chalk reads the environment once, when it is
 * first loaded, so this module is imported before ink):
 * - a non-empty NO_COLOR (https://no-color.org) turns colour off (FORCE_COLOR=0), since chalk
 *   reads FORCE_COLOR but not NO_COLOR;
 * - a CI variable turns chalk's colour off even on a real terminal, where the app draws its
 *   interactive screen all the same; there the terminal decides, as it does without CI.
 * An explicit FORCE_COLOR always wins.
 */
if (process.env.FORCE_COLOR === undefined) {
  if (process.env.NO_COLOR) process.env.FORCE_COLOR = "0";
  else if (process.env.CI !== undefined && isatty(1) && process.env.TERM !== "dumb") {
    const truecolor = /truecolor|24bit/.test(process.env.COLORTERM ?? "");
    process.env.FORCE_COLOR = truecolor ? "3" : /256/.test(process.env.TERM ?? "") ? "2" : "1";
  }
}
