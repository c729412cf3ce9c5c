/** Builds parts of ensemble members' training sets and fits members, in a Worker (see parallel-train.ts). */
import type { Clip } from "../data/fsdd.ts";
import type { ModelFile } from "../engine/model-file.ts";
import { type MemberPart, type TrainExtras, type TrainRecipe, buildMemberPart, fitMember, memberRecipe, partBuffers } from "./train-model.ts";

declare const self: Worker;

/** First the clips and recipe (sent once), then tasks: build part p of member m, or fit member m to its parts. */
export type MemberRequest =
  | { kind: "init"; clips: Clip[]; recipe: TrainRecipe }
  | { kind: "build"; member: number; part: number; parts: number }
  | { kind: "fit"; member: number; parts: MemberPart[] };

export type MemberMessage =
  | { kind: "rows"; rows: number }
  | { kind: "epoch"; loss: number }
  | { kind: "phase"; phase: string; ms: number }
  | { kind: "built"; part: MemberPart }
  | { kind: "done"; model: ModelFile }
  | { kind: "error"; message: string };

const post = (m: MemberMessage, transfer: Bun.Transferable[] = []) => self.postMessage(m, transfer);

const extras: TrainExtras = {
  onRows: (rows) => post({ kind: "rows", rows }),
  onIteration: (_, loss) => post({ kind: "epoch", loss }),
  onPhase: (phase, ms) => post({ kind: "phase", phase, ms }),
};

let clips: Clip[] = [];
let recipe: TrainRecipe | undefined;

self.onmessage = (event: MessageEvent<MemberRequest>) => {
  const r = event.data;
  try {
    if (r.kind === "init") {
      clips = r.clips;
      recipe = r.recipe;
    } else if (r.kind === "build") {
      const part = buildMemberPart(clips, memberRecipe(recipe!, r.member), extras, r.part, r.parts);
      post({ kind: "built", part }, partBuffers([part]));
    } else {
      post({ kind: "done", model: fitMember(r.parts, memberRecipe(recipe!, r.member), extras) });
    }
  } catch (err) {
    post({ kind: "error", message: err instanceof Error ? err.message : String(err) });
  }
};
