import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Words (and sounds that mean zero) a training list of non-digits must never hold: the digit words,
 * their homophones, plurals and ordinals, and words people use for zero. Said alone, each of these
 * is a digit (or half of one), so training them towards "not a digit" would teach the model to
 * reject digits.
 */
export const NOT_NONDIGITS: ReadonlySet<string> = new Set([
  ..."zero one two three four five six seven eight nine".split(" "),
  ..."zeros zeroes ones twos threes fours fives sixes sevens eights nines".split(" "),
  ..."oh o owe ow won wan to too tu tree for fore ate nein".split(" "),
  ..."fourth forth sixth seventh eighth ninth".split(" "),
  ..."nought naught nil zilch".split(" "),
]);

/**
 * The common-English training words of train-words.txt (one a line; `#` starts a comment line),
 * less `NOT_NONDIGITS`. The file is committed so that training is reproducible without a
 * dictionary installed; its header says how it was made.
 */
export function trainListWords(file = join(import.meta.dir, "train-words.txt")): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#") && !NOT_NONDIGITS.has(l));
}
