/** Trains one member of an ensemble in a Worker (see parallel-train.ts). */
import type { Clip } from "../data/fsdd.ts";
import type { ModelFile } from "../engine/model-file.ts";
import { type TrainRecipe, memberRecipe, trainMember } from "./train-model.ts";

declare const self: Worker;

export interface MemberRequest {
  clips: Clip[];
  recipe: TrainRecipe;
  member: number;
}

export type MemberMessage =
  | { kind: "rows"; rows: number }
  | { kind: "epoch"; loss: number }
  | { kind: "done"; model: ModelFile }
  | { kind: "error"; message: string };

const post = (m: MemberMessage) => self.postMessage(m);

self.onmessage = (event: MessageEvent<MemberRequest>) => {
  const { clips, recipe, member } = event.data;
  try {
    const model = trainMember(clips, memberRecipe(recipe, member), {
      onRows: (rows) => post({ kind: "rows", rows }),
      onIteration: (_, loss) => post({ kind: "epoch", loss }),
    });
    post({ kind: "done", model });
  } catch (err) {
    post({ kind: "error", message: err instanceof Error ? err.message : String(err) });
  }
};
