import { basename } from "node:path";

/** The digit a file name claims by its prefix (`7_jackson_3.wav`, `7-me.wav`, `7.wav`), or null. */
export function labelFromName(file: string): number | null {
  const m = /^(\d)(?:[_\-.]|$)/.exec(basename(file));
  return m ? Number(m[1]) : null;
}
