/** A Worker of `predictFilesInParallel` (parallel-predict.ts): gets the model once, then chunks of files to predict. */
import { type FilePrediction, predictFile } from "./batch-predict.ts";
import { ClipRecognizer } from "./clip-recognizer.ts";
import { errorMessage } from "./errors.ts";
import type { ModelFile } from "./model-file.ts";
import { fromPortable, type toPortable } from "./packed-matrix.ts";

declare const self: Worker;

/** A model as it crosses to a Worker: its layers' weights as float32 arrays (see toPortable). */
export type PortableModel = Omit<ModelFile, "layers"> & { layers: ReturnType<typeof toPortable<ModelFile["layers"][number]>> };

export type BatchRequest = { kind: "model"; model: PortableModel; k: number } | { kind: "files"; start: number; files: string[] };
export type BatchReply = { kind: "ready" } | { kind: "results"; start: number; rows: FilePrediction[] } | { kind: "failed"; message: string };

let recognizer: ClipRecognizer | undefined;
let k = 3;
const post = (m: BatchReply) => self.postMessage(m);

self.onmessage = async (event: MessageEvent<BatchRequest>) => {
  const m = event.data;
  try {
    if (m.kind === "model") {
      recognizer = new ClipRecognizer({ ...m.model, layers: fromPortable(m.model.layers) });
      k = m.k;
      post({ kind: "ready" });
    } else {
      const rows: FilePrediction[] = [];
      for (const f of m.files) rows.push(await predictFile(recognizer!, f, k));
      post({ kind: "results", start: m.start, rows });
    }
  } catch (err) {
    post({ kind: "failed", message: errorMessage(err) });
  }
};
