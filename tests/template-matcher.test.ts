/**
 * Template matching of a profile (engine/adaptation/template-matcher.ts) on real FSDD clips of
 * one speaker: a take is at distance 0 from itself, another take of the same digit is nearer
 * than takes of other digits for most digits, and the classifier with the templates names that
 * speaker's held-out clips at least as well as without them.
 */
import { describe, expect, test } from "bun:test";
import { adaptModel } from "../engine/adaptation/adapted-model.ts";
import { TemplateMatcher } from "../engine/adaptation/template-matcher.ts";
import { Classifier, argmax } from "../engine/classifier.ts";
import { loadModelFile } from "../engine/model-file.ts";
import { type Clip, loadSplit } from "../data/fsdd.ts";
import { ENROL_ADAPT } from "../train/enrolment.ts";
import { fitSpeakerAdaptation } from "../train/speaker-adaptation.ts";
import { clipAt } from "../train/training-set.ts";

describe("template matching", () => {
  test("distances rank a speaker's own takes, and the fused classifier is no worse on held-out clips", async () => {
    const model = loadModelFile();
    const rate = model.features.sampleRate;
    const clips = (await loadSplit("test")).filter((c) => c.speaker === "george");
    const enrol: Clip[] = [];
    const held: Clip[] = [];
    for (let d = 0; d < 10; d++) {
      const mine = clips.filter((c) => c.label === d);
      enrol.push(...mine.slice(0, 3));
      held.push(...mine.slice(3));
    }
    const takes = enrol.map((c) => ({ samples: clipAt(c, rate), label: c.label }));
    const { adaptation } = fitSpeakerAdaptation(model, takes, ENROL_ADAPT);
    const set = adaptation.templates!;
    expect(set.takes.length).toBeGreaterThanOrEqual(25);
    expect(set.weight).toBeGreaterThan(0);

    const plain = new Classifier(model);
    const matcher = new TemplateMatcher(set, plain.extractor, model.labels.length + 1);
    const first = plain.analyse(takes[0]!.samples);
    const f = matcher.frames(first);
    const own = Float64Array.from(f.data.subarray(0, f.frames * plain.extractor.config.nCepstra));
    expect(matcher.distance(own, f.frames, own, f.frames)).toBe(0);

    // leave-one-take-out: the nearest other take says the same digit for most takes
    const dims = plain.extractor.config.nCepstra;
    const seqs = takes.map((t) => {
      const fr = matcher.frames(plain.analyse(t.samples));
      return { frames: fr.frames, data: Float64Array.from(fr.data.subarray(0, fr.frames * dims)), label: t.label };
    });
    const right = seqs.filter((a, i) => {
      let best = -1;
      let bestD = Infinity;
      seqs.forEach((b, j) => {
        const dist = j === i ? Infinity : matcher.distance(a.data, a.frames, b.data, b.frames);
        if (dist < bestD) [best, bestD] = [b.label, dist];
      });
      return best === a.label;
    }).length;
    expect(right / seqs.length).toBeGreaterThanOrEqual(0.8);

    const accuracy = (c: Classifier) => held.filter((clip) => argmax(c.classify(c.analyse(clipAt(clip, rate)))) === clip.label).length / held.length;
    const withTemplates = new Classifier(adaptModel(model, adaptation));
    const without = new Classifier(adaptModel(model, { ...adaptation, templates: undefined }));
    expect(withTemplates.templates).toBeDefined();
    const fused = accuracy(withTemplates);
    expect(fused).toBeGreaterThanOrEqual(accuracy(without) - 0.01);
    expect(fused).toBeGreaterThanOrEqual(0.95);
    // no state between calls: the same clip gives the same probabilities after others
    const x = clipAt(held[0]!, rate);
    const p1 = withTemplates.classify(withTemplates.analyse(x));
    withTemplates.classify(withTemplates.analyse(clipAt(held[held.length - 1]!, rate)));
    expect(Array.from(withTemplates.classify(withTemplates.analyse(x)))).toEqual(Array.from(p1));
  }, 120_000);
});
