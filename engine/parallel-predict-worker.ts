/** A Worker of `predictFilesInParallel` (parallel-predict.ts): gets the model once, then chunks of files to predict. */
import { type FilePrediction, predictFile } from "./batch-predict.ts";
import { ClipRecognizer } from "./clip-recognizer.ts";
import { errorMessage } from "./errors.ts";
import type { ModelFile } from "./model-file.ts";

declare const self: Worker;

export type BatchRequest = { kind: "model"; model: ModelFile; k: number } | { kind: "files"; start: number; files: string[] };
export type BatchReply = { kind: "ready" } | { kind: "results"; start: number; rows: FilePrediction[] } | { kind: "failed"; message: string };

let recognizer: ClipRecognizer | undefined;
let k = 3;
const post = (m: BatchReply) => self.postMessage(m);

self.onmessage = async (event: MessageEvent<BatchRequest>) => {
  const m = event.data;
  try {
    if (m.kind === "model") {
      recognizer = new ClipRecognizer(m.model);
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
