import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { loadModelFile } from "../engine/model-file.ts";
import { Classifier, argmax } from "../engine/classifier.ts";
import { enrolmentPlan, peakDbfs, takeFlags } from "../ui/app/enrol/enrol-plan.ts";
import { splitClips } from "./support/speaker-takes.ts";

describe("the guided enrolment's plan and checks", () => {
  test("each round holds the ten digits once, in its own order; oh, phrases and the room follow", () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const plan = enrolmentPlan({ takes: 3, oh: true, phrases: 2 }, random);
    const digits = plan.filter((p) => p.kind === "digit");
    expect(digits.length).toBe(30);
    const rounds = [0, 1, 2].map((r) => digits.slice(r * 10, r * 10 + 10).map((p) => p.label));
    for (const r of rounds) expect([...r].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rounds[0]).not.toEqual(rounds[1]);
    expect(plan.slice(30).map((p) => p.kind)).toEqual(["oh", "oh", "phrase", "phrase", "room"]);
    expect(plan.find((p) => p.label === 7)!.text).toBe("say SEVEN");
    expect(
      enrolmentPlan({ takes: 1, oh: false, phrases: 0 })
        .map((p) => p.kind)
        .filter((k) => k !== "digit"),
    ).toEqual(["room"]);
  });

  test("a real take is flagged when clipped, too quiet, or confidently heard as another digit", async () => {
    const clip = (await splitClips("test")).find((c) => c.speaker === "theo" && c.label === 3)!;
    const model = loadModelFile(join(import.meta.dir, "../models/default.json"));
    const c = new Classifier(model);
    const p = c.classify(c.analyse(clip.samples));
    const heard = { digit: argmax(p), confidence: p[argmax(p)]! };
    expect(heard.digit).toBe(3);
    const three = enrolmentPlan({ takes: 1, oh: false, phrases: 0 }).find((x) => x.label === 3)!;
    const eight = enrolmentPlan({ takes: 1, oh: false, phrases: 0 }).find((x) => x.label === 8)!;
    const peak = peakDbfs(clip.samples);
    const scaled = (db: number) => Float32Array.from(clip.samples, (v) => Math.max(-1, Math.min(1, v * 10 ** ((db - peak) / 20))));
    expect(takeFlags(three, scaled(-6), heard)).toEqual([]);
    expect(takeFlags(three, scaled(6), heard)).toEqual(["clipped"]);
    expect(takeFlags(three, scaled(-45), heard)).toEqual(["too-quiet"]);
    expect(takeFlags(eight, scaled(-6), heard)).toEqual(["other-digit"]);
    // an unsure guess of another digit is no reason to redo a take
    expect(takeFlags(eight, scaled(-6), { digit: 3, confidence: 0.5 })).toEqual([]);
  });
});
