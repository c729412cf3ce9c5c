import { describe, expect, test } from "bun:test";
import { loadSplit } from "../data/fsdd.ts";
import { Classifier } from "../engine/classifier.ts";
import { validateModel } from "../engine/model-file.ts";
import { matrixData } from "../engine/packed-matrix.ts";
import { mergeNetworks } from "../train/fit-model.ts";
import { NO_NONDIGITS } from "../train/nondigit-set.ts";
import { RECIPES } from "../train/recipe.ts";
import { trainModelParallel } from "../train/parallel-train.ts";
import { memberRecipe, trainModel } from "../train/train-model.ts";

const train = (await loadSplit("train")).filter((_, i) => i % 9 === 0);
const test_ = (await loadSplit("test")).filter((_, i) => i % 5 === 0);
// The shipped recipe, made small enough to train in a second: one augmented copy, 3 epochs, 24 units.
const small = {
  ...RECIPES.loso!,
  augment: { ...RECIPES.loso!.augment, copies: 1 },
  mlp: { ...RECIPES.loso!.mlp, hidden: 24, epochs: 3 },
  nondigits: { ...NO_NONDIGITS, soundsPerKind: 2 },
  members: 1,
};

describe("ensembles of networks in one model file", () => {
  const members = [0, 1, 2].map((m) =>
    trainModel(train, memberRecipe({ ...small, members: 3, memberChanges: [{}, {}, { augment: { warp: [0.8, 1.05] }, nondigits: { soundsPerKind: 0 } }] }, m)),
  );
  const merged = validateModel(mergeNetworks(members), "merged");

  test("members differ in seed and augmentation; the merged model holds their hidden layers side by side", () => {
    const r = memberRecipe({ ...small, members: 3, memberChanges: [{}, {}, { augment: { warp: [0.8, 1.05] }, nondigits: { soundsPerKind: 0 } }] }, 2);
    expect(r.seed).toBe(small.seed + 2);
    expect(r.augment.warp).toEqual([0.8, 1.05]);
    expect(r.augment.snrDb).toEqual(small.augment.snrDb);
    expect(r.nondigits).toEqual({ ...small.nondigits, soundsPerKind: 0, seed: small.nondigits.seed + 2 });
    expect(matrixData(merged.layers[0]!.weights).rows).toBe(3 * 24);
    expect(matrixData(merged.layers[1]!.weights).cols).toBe(3 * 24);
    // different standardisations (each member saw its own augmented copies), folded into one
    expect(members[1]!.standardize.mean).not.toEqual(members[0]!.standardize.mean);
  });

  test("the merged model's probabilities are the normalised geometric mean of the members' on real clips", () => {
    const one = members.map((m) => new Classifier(m));
    const all = new Classifier(merged);
    let worst = 0;
    for (const c of test_) {
      const geo = new Float64Array(10);
      for (const m of one) {
        const p = m.predict(m.features(m.analyse(c.samples)));
        for (let k = 0; k < 10; k++) geo[k] += Math.log(p[k]!) / one.length;
      }
      let z = 0;
      for (let k = 0; k < 10; k++) z += Math.exp(geo[k]!);
      const p = all.predict(all.features(all.analyse(c.samples)));
      for (let k = 0; k < 10; k++) worst = Math.max(worst, Math.abs(p[k]! - Math.exp(geo[k]!) / z));
    }
    // weights are stored to 6 significant digits
    expect(worst).toBeLessThan(1e-3);
  });

  test("trainModel with members trains and merges them, reproducibly; Workers give the same model", async () => {
    const recipe = { ...small, members: 2 };
    const a = trainModel(train, recipe);
    expect(matrixData(a.layers[0]!.weights).rows).toBe(2 * 24);
    expect(mergeNetworks(members.slice(0, 2)).layers).toEqual(a.layers);
    let rows = 0;
    let epochs = 0;
    const b = await trainModelParallel(train, recipe, { onRows: (n) => (rows += n), onIteration: () => epochs++ }, 2);
    expect(b.layers).toEqual(a.layers);
    expect(b.standardize).toEqual(a.standardize);
    expect(rows).toBe(2 * train.length * 2);
    expect(epochs).toBe(2 * 3);
  }, 60_000);
});
