import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../engine/errors.ts";
import { type ModelLoadTimings, loadModelFile, serializeModel, validateModel } from "../engine/model-file.ts";
import { weightsFilePath } from "../engine/model-weights-file.ts";
import { isPackedMatrix, matrixData } from "../engine/packed-matrix.ts";
import { VOICE_RANGE } from "../train/recipe.ts";
import { main, modelOutPath } from "../ui/commands/train-command.ts";

const ROOT = join(import.meta.dir, "..");
const work = mkdtempSync(join(tmpdir(), "train-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function trainCmd(args: string[]) {
  const r = Bun.spawnSync(["bun", join(ROOT, "ui", "commands", "train-command.ts"), "--artifacts-dir", join(work, "artifacts"), ...args], { cwd: ROOT });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

describe("bun train on the real parquet files", () => {
  test("the seed's recipe (linear, no augmentation) trains a valid model that scores on the test split", () => {
    const out = join(work, "baseline.json");
    const r = trainCmd(["--recipe", "baseline", "--epochs", "40", "-o", out]);
    expect(r.code).toBe(0);
    const m = /test accuracy (0\.\d+) \(300 clips\)/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0.95);
    const model = validateModel(JSON.parse(readFileSync(out, "utf8")), out);
    expect(model.layers).toHaveLength(1);
    expect(model.training.recipe).toMatchObject({ name: "baseline", model: "softmax", augment: { copies: 0 } });
    expect(model.rejectBelow).toBeUndefined();
    expect(model.features.lpcOrder).toBeUndefined();
    expect(model.pitchWarp).toBeUndefined();
  }, 120_000);

  test("a small augmented two-network MLP with non-digit sounds, a threshold and a pitch warp: hidden layers, recipe, threshold and warp in the file", () => {
    const out = join(work, "mlp.json");
    const r = trainCmd(
      ["--algo", "mlp", "--hidden", "16", "--epochs", "2", "--copies", "1", "--noise", "1", "--noise-kinds", "white,babble", "--pad", "1"].concat([
        "--vtlp",
        "0.8,1.1",
        "--pitch",
        "0,4",
        "--nondigit-sounds",
        "2",
        "--nondigit-reversed",
        "0.05",
        "--reject-below",
        "0.55",
        "--seed",
        "3",
        "--members",
        "2",
        "--voice-members",
        "1",
        "--lpc-order",
        "6",
        "--warp-above",
        "180",
        "--warp-factors",
        "1,1.1",
        "--timings",
        "-o",
        out,
      ]),
    );
    expect(r.code).toBe(0);
    // --timings: every phase of the training with its seconds, the members' phases summed
    const seconds = (phase: string) => Number(new RegExp(`^ +${phase} +(\\d+\\.\\d+) s$`, "m").exec(r.stderr)?.[1]);
    for (const phase of ["load FSDD parquet", "member augment", "member features", "member fit", "final training, wall", "total \\(wall\\)"])
      expect(seconds(phase)).toBeGreaterThan(0);
    expect(seconds("total \\(wall\\)")).toBeGreaterThanOrEqual(seconds("final training, wall"));
    const model = validateModel(JSON.parse(readFileSync(out, "utf8")), out);
    expect(model.layers.map((l) => [matrixData(l.weights).rows, l.activation])).toEqual([
      [2 * 16, "relu"],
      [10, "softmax"],
    ]);
    expect(model.rejectBelow).toBe(0.55);
    expect(model.layers.every((l) => isPackedMatrix(l.weights))).toBe(true);
    expect(model.features.lpcOrder).toBe(6);
    // the weights file written beside it is what the next load reads, and holds the same model
    expect(r.stdout).toContain(`wrote ${out} and ${weightsFilePath(out)}`);
    const load: ModelLoadTimings = { readMs: 0, parseMs: 0, validateMs: 0 };
    expect(serializeModel(loadModelFile(out, load))).toBe(serializeModel(model));
    expect(load.weightsFile).toBe("read");
    expect(model.pitchWarp).toEqual({ minHz: 180, warps: [1, 1.1] });
    const recipe = model.training.recipe as {
      augment: { copies: number; warp: number[]; noiseKinds: string[] };
      nondigits: { soundsPerKind: number };
      seed: number;
      memberChanges: unknown[];
    };
    expect(recipe.memberChanges).toEqual([{}, { augment: VOICE_RANGE }]);
    expect(recipe.augment).toMatchObject({ copies: 1, warp: [0.8, 1.1], noiseKinds: ["white", "babble"] });
    expect(recipe.nondigits.soundsPerKind).toBe(2);
    expect(recipe.seed).toBe(3);
    expect(Number(/test accuracy (0\.\d+)/.exec(r.stdout)![1])).toBeGreaterThan(0.5);
  }, 240_000);

  test("a bad recipe flag is one line naming the flag and the fix", async () => {
    const err = await main(["--noise-kinds", "white,traffic", "-o", join(work, "never.json")]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe("--noise-kinds: traffic is not a kind");
    expect((err as UserError).hint).toContain("white");
    await expect(main(["--lpc-order", "2.5", "-o", join(work, "never.json")])).rejects.toThrow("--lpc-order must be a whole number");
    await expect(main(["--model-file", "x"])).rejects.toThrow("bun train: unknown option --model-file (see `bun train --help`)");
  });
});

describe("where bun train writes the model", () => {
  const models = join(work, "models");
  mkdirSync(models, { recursive: true });

  test("models/default.json only for the shipped recipe; other recipes get their own file; -o wins", () => {
    expect(modelOutPath({ recipe: "default" }, models)).toBe(join(models, "default.json"));
    expect(modelOutPath({ recipe: "baseline" }, models)).toBe(join(models, "baseline.json"));
    expect(modelOutPath({ recipe: "default", copies: "0" }, models)).toBe(join(models, "default-custom.json"));
    expect(modelOutPath({ recipe: "baseline", out: join(work, "b.json") }, models)).toBe(join(work, "b.json"));
  });

  test("an existing file the user did not name is not replaced; named with -o it is", () => {
    writeFileSync(join(models, "voices.json"), "{}");
    writeFileSync(join(models, "default.json"), "{}");
    expect(() => modelOutPath({ recipe: "voices" }, models)).toThrow(`${join(models, "voices.json")} exists and would be replaced`);
    expect(modelOutPath({ recipe: "voices", out: join(models, "voices.json") }, models)).toBe(join(models, "voices.json"));
    expect(modelOutPath({ recipe: "default" }, models)).toBe(join(models, "default.json"));
  });
});
