import { availableParallelism } from "node:os";
import type { Clip } from "../data/fsdd.ts";
import type { ModelFile } from "../engine/model-file.ts";
import { mergeNetworks } from "./fit-model.ts";
import type { MemberMessage, MemberRequest } from "./member-worker.ts";
import { type TrainExtras, type TrainRecipe, memberCount, trainModel, withRecipeSettings } from "./train-model.ts";

/**
 * `trainModel`, with an ensemble's members trained side by side in Workers, one per core. Each
 * member's computation is the same as on the main thread, so the model is identical.
 */
export async function trainModelParallel(clips: Clip[], recipe: TrainRecipe, extras: TrainExtras = {}, cores = availableParallelism()): Promise<ModelFile> {
  const members = memberCount(recipe);
  const pool = Math.min(members, cores);
  if (pool < 2) return trainModel(clips, recipe, extras);
  const models: ModelFile[] = new Array(members);
  let next = 0;
  const runWorker = async () => {
    for (let m = next++; m < members; m = next++) models[m] = await trainInWorker({ clips, recipe, member: m }, extras);
  };
  await Promise.all(Array.from({ length: pool }, runWorker));
  return withRecipeSettings(mergeNetworks(models, extras.training), recipe);
}

function trainInWorker(request: MemberRequest, extras: TrainExtras): Promise<ModelFile> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./member-worker.ts", import.meta.url).href);
    const finish = (fn: () => void) => {
      worker.terminate();
      fn();
    };
    worker.onmessage = (event: MessageEvent<MemberMessage>) => {
      const m = event.data;
      if (m.kind === "rows") extras.onRows?.(m.rows);
      else if (m.kind === "epoch") extras.onIteration?.(0, m.loss);
      else if (m.kind === "done") finish(() => resolve(m.model));
      else finish(() => reject(new Error(`training member ${request.member + 1}: ${m.message}`)));
    };
    worker.onerror = (event) => finish(() => reject(new Error(`training member ${request.member + 1}: ${event.message}`)));
    worker.postMessage(request);
  });
}
