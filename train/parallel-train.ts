import { availableParallelism } from "node:os";
import type { Clip } from "../data/fsdd.ts";
import type { ModelFile } from "../engine/model-file.ts";
import { mergeNetworks } from "./fit-model.ts";
import type { MemberMessage, MemberRequest } from "./member-worker.ts";
import { BUILD_PARTS, type MemberPart, type TrainExtras, type TrainRecipe, memberCount, partBuffers, trainModel, withRecipeSettings } from "./train-model.ts";

/**
 * `trainModel` on all cores: one Worker per core, each sent the clips once, takes the next task —
 * fitting a member whose training set is complete, else building the next part of a training set
 * (members in order). Parts are small enough that no core waits long at the end, however many
 * members there are. Every task computes what `trainModel` computes, so the model is identical.
 */
export async function trainModelParallel(clips: Clip[], recipe: TrainRecipe, extras: TrainExtras = {}, cores = availableParallelism()): Promise<ModelFile> {
  const members = memberCount(recipe);
  const pool = Math.min(members * BUILD_PARTS, cores);
  if (pool < 2) return trainModel(clips, recipe, extras);
  const workers = Array.from({ length: pool }, () => new MemberWorker(clips, recipe, extras));
  const parts: MemberPart[][] = Array.from({ length: members }, () => []);
  const builds = Array.from({ length: members * BUILD_PARTS }, (_, i) => ({ member: Math.floor(i / BUILD_PARTS), part: i % BUILD_PARTS }));
  const built = new Array<number>(members).fill(0);
  const ready: number[] = [];
  const models: ModelFile[] = new Array(members);
  let fitsStarted = 0;
  let waiting: (() => void)[] = [];
  const run = async (w: MemberWorker) => {
    for (;;) {
      const m = ready.shift();
      if (m !== undefined) {
        fitsStarted++;
        const request: MemberRequest = { kind: "fit", member: m, parts: parts[m]! };
        const moved = partBuffers(parts[m]!);
        parts[m] = [];
        models[m] = (await w.run(request, moved)) as ModelFile;
      } else if (builds.length) {
        const b = builds.shift()!;
        parts[b.member]![b.part] = (await w.run({ kind: "build", ...b, parts: BUILD_PARTS })) as MemberPart;
        if (++built[b.member]! === BUILD_PARTS) {
          ready.push(b.member);
          for (const wake of waiting) wake();
          waiting = [];
        }
      } else if (fitsStarted + ready.length < members) {
        // the rest of a training set is being built on another core
        await new Promise<void>((wake) => waiting.push(wake));
      } else return;
    }
  };
  try {
    await Promise.all(workers.map(run));
  } finally {
    for (const w of workers) w.terminate();
  }
  if (members === 1) return withRecipeSettings({ ...models[0]!, training: { ...extras.training, ...models[0]!.training } }, recipe);
  return withRecipeSettings(mergeNetworks(models, extras.training), recipe);
}

/** A Worker running member-worker.ts: one task at a time, progress passed on to `extras`. */
class MemberWorker {
  private readonly worker = new Worker(new URL("./member-worker.ts", import.meta.url).href);
  private task?: { resolve: (v: MemberPart | ModelFile) => void; reject: (e: Error) => void; name: string };
  private failed?: Error;

  constructor(clips: Clip[], recipe: TrainRecipe, extras: TrainExtras) {
    this.worker.onmessage = (event: MessageEvent<MemberMessage>) => {
      const m = event.data;
      if (m.kind === "rows") extras.onRows?.(m.rows);
      else if (m.kind === "epoch") extras.onIteration?.(0, m.loss);
      else if (m.kind === "phase") extras.onPhase?.(m.phase, m.ms);
      else if (m.kind === "built") this.settle((t) => t.resolve(m.part));
      else if (m.kind === "done") this.settle((t) => t.resolve(m.model));
      else this.fail(m.message);
    };
    this.worker.onerror = (event) => this.fail(event.message);
    this.post({ kind: "init", clips, recipe });
  }

  run(request: Exclude<MemberRequest, { kind: "init" }>, transfer: Bun.Transferable[] = []): Promise<MemberPart | ModelFile> {
    const name = request.kind === "build" ? `building part ${request.part + 1} of member ${request.member + 1}` : `training member ${request.member + 1}`;
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.task = { resolve, reject, name };
      this.post(request, transfer);
    });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private post(request: MemberRequest, transfer: Bun.Transferable[] = []): void {
    this.worker.postMessage(request, transfer);
  }

  private settle(fn: (task: NonNullable<MemberWorker["task"]>) => void): void {
    const t = this.task;
    this.task = undefined;
    if (t) fn(t);
  }

  private fail(message: string): void {
    this.failed = new Error(message);
    this.settle((t) => t.reject(new Error(`${t.name}: ${message}`)));
  }
}
