/**
 * Enrolment with one take per digit (train/speaker-adaptation.ts) on real FSDD clips of one
 * speaker the shipped model already knows: no digit is left without its take, and the adapted
 * model misses at most two more of the speaker's other clips than the model did.
 */
import { describe, expect, test } from "bun:test";
import { type Clip, loadSplit } from "../data/fsdd.ts";
import { adaptModel } from "../engine/adaptation/adapted-model.ts";
import { Classifier, argmax } from "../engine/classifier.ts";
import { type ModelFile, loadModelFile } from "../engine/model-file.ts";
import { ENROL_ADAPT } from "../train/enrolment.ts";
import { fitSpeakerAdaptation } from "../train/speaker-adaptation.ts";
import { clipAt } from "../train/training-set.ts";

describe("enrolment with one take per digit", () => {
  test("keeps every digit's only take and names the speaker's other clips within two of the model", async () => {
    const model = loadModelFile();
    const rate = model.features.sampleRate;
    const clips = (await loadSplit("test")).filter((c) => c.speaker === "nicolas");
    const enrol: Clip[] = [];
    const held: Clip[] = [];
    for (let d = 0; d < 10; d++) {
      const mine = clips.filter((c) => c.label === d);
      enrol.push(mine[0]!);
      held.push(...mine.slice(1));
    }
    const takes = enrol.map((c) => ({ samples: clipAt(c, rate), label: c.label }));
    const { adaptation, dropped } = fitSpeakerAdaptation(model, takes, ENROL_ADAPT);
    expect(dropped).toEqual([]);
    expect(adaptation.templates?.takes.length).toBe(10);
    const accuracy = (m: ModelFile) => {
      const c = new Classifier(m);
      return held.filter((clip) => argmax(c.classify(c.analyse(clipAt(clip, rate)))) === clip.label).length / held.length;
    };
    expect(accuracy(adaptModel(model, adaptation))).toBeGreaterThanOrEqual(accuracy(model) - 2 / held.length - 1e-9);
  }, 120_000);
});
