import { describe, expect, test } from "bun:test";
import { decodeWavMono } from "../engine/audio/wav.ts";
import { foldedDecimate, foldedKernel } from "../engine/resample/kernels.ts";
import { planStages } from "../engine/resample/plan.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const stream = join(STREAMS_DIR, "s12_48k_stereo_pinkhum60_snr10.wav");

describe.skipIf(!existsSync(stream))("generated resampling kernels", () => {
  test("the unrolled kernel of every symmetric stage the planner designs equals the looped one bit for bit, on real audio", () => {
    const audio = decodeWavMono(readFileSync(stream), stream).samples;
    const hist = Float64Array.from(audio.subarray(48000 * 5, 48000 * 5 + 20000));
    let checked = 0;
    for (const rate of [16000, 24000, 32000, 44100, 48000, 96000, 192000]) {
      for (const plan of planStages(rate, 8000)) {
        if (plan.up !== 1) continue;
        const h = plan.design();
        const count = Math.floor((hist.length - h.length) / plan.down);
        const looped = new Float64Array(count);
        const unrolled = new Float64Array(count);
        foldedDecimate(hist, h, h.length, 0, plan.down, count, looped, 0);
        foldedKernel(h)(hist, 0, plan.down, count, unrolled, 0);
        let differing = 0;
        for (let i = 0; i < count; i++) if (!Object.is(looped[i], unrolled[i])) differing++;
        expect(differing).toBe(0);
        expect(looped.some((v) => v !== 0)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  test("the same filter gets the same function (so the code JSC optimised is reused)", () => {
    const h = planStages(48000, 8000)[0]!.design();
    expect(foldedKernel(h)).toBe(foldedKernel(Float64Array.from(h)));
  });
});
