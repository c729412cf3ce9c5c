import { Classifier, argmax } from "../engine/classifier.ts";
import { Utterance } from "../engine/features/utterance.ts";
import type { BenchContext } from "./context.ts";
import { type Figure, figure } from "./results.ts";

export interface BatchChecks {
  /** Predicted digit of each test clip, in split order. */
  testPredictions: string;
  testAccuracy: string;
}

/**
 * Features + inference per clip over the whole test split, in-process (after one warm-up pass);
 * `bun predict` over the same clips as WAV files is in the commands section.
 */
export async function batchBench(ctx: BenchContext, checks: Record<string, string>): Promise<Figure[]> {
  const figures: Figure[] = [];
  const clips = await ctx.testClips();
  const classifier = new Classifier(ctx.model);
  const rate = classifier.sampleRate;
  const u = new Utterance();
  const probabilities = new Float64Array(classifier.labels.length);
  const usable = clips.filter((c) => c.sampleRate === rate);
  const perClip: number[] = [];
  const perSecond: number[] = [];
  const passes: number[] = [];
  let predictions = "";
  for (let pass = 0; pass <= ctx.repeats.batchPasses; pass++) {
    let digits = "";
    const p0 = performance.now();
    for (const clip of usable) {
      const t0 = performance.now();
      const p = classifier.classify(classifier.analyse(clip.samples, u), probabilities);
      const t1 = performance.now();
      digits += classifier.labels[argmax(p)];
      if (pass > 0) {
        perClip.push(t1 - t0);
        perSecond.push((t1 - t0) / (clip.samples.length / rate));
      }
    }
    if (pass > 0) passes.push(performance.now() - p0);
    predictions = digits;
  }
  const correct = usable.filter((c, i) => Number(predictions[i]) === c.label).length;
  checks.testPredictions = predictions;
  checks.testAccuracy = (correct / usable.length).toFixed(4);
  const seconds = usable.reduce((s, c) => s + c.samples.length / rate, 0);
  figures.push(
    figure(
      "batch",
      { id: "batch.perClip", label: `features + inference per test clip (mean ${((seconds / usable.length) * 1000).toFixed(0)} ms of audio)`, unit: "ms" },
      perClip,
    ),
    figure("batch", { id: "batch.perSecondOfAudio", label: "features + inference per second of clip audio", unit: "ms" }, perSecond),
    figure("batch", { id: "batch.allClips", label: `features + inference, all ${usable.length} test clips`, unit: "ms" }, passes),
    figure("batch", { id: "batch.testAccuracy", label: `test accuracy (${correct}/${usable.length}, this model)`, unit: "%", better: "higher" }, [
      (100 * correct) / usable.length,
    ]),
  );

  return figures;
}
