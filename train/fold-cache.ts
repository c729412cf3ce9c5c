import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Clip } from "../data/fsdd.ts";
import { type ModelFile, serializeModel, validateModel } from "../engine/model-file.ts";
import type { TrainRecipe } from "./train-model.ts";

export type TrainFn = (clips: Clip[], recipe: TrainRecipe) => ModelFile | Promise<ModelFile>;

/** Short SHA-256 of a recipe and the names and lengths of the clips a fold trains on. */
export function foldKey(recipe: TrainRecipe, clips: readonly Clip[]): string {
  const h = new Bun.CryptoHasher("sha256");
  h.update(JSON.stringify(recipe));
  for (const c of clips) h.update(`${c.path}:${c.label}:${c.samples.length}\n`);
  return h.digest("hex").slice(0, 16);
}

/**
 * `train`, remembering each model in `dir` under the hash of its recipe and clips: cross-validation
 * run again with the same recipe on the same data (to try another adaptation, say) loads its fold
 * models instead of training them again.
 */
export function cachedTrainer(dir: string, train: TrainFn, onHit?: (file: string) => void): TrainFn {
  return async (clips, recipe) => {
    const file = join(dir, `fold-${foldKey(recipe, clips)}.json`);
    if (existsSync(file)) {
      onHit?.(file);
      return validateModel(JSON.parse(readFileSync(file, "utf8")), file);
    }
    const model = await train(clips, recipe);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, serializeModel(model));
    return model;
  };
}
