import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeWavMono } from "../engine/audio/wav.ts";
import { planStages } from "../engine/resample/plan.ts";
import { PolyphaseStage } from "../engine/resample/polyphase-stage.ts";
import { Resampler } from "../engine/resampler.ts";
import { STREAMS_DIR } from "../engine/shared-streams.ts";
import { KERNELS, type ResampleKernels, WASM_PAGE_BYTES } from "../engine/wasm/kernels.ts";
import { stageOutputs } from "./support/js-resample.ts";

const stream = join(STREAMS_DIR, "s12_48k_stereo_pinkhum60_snr10.wav");
const RATES = [6000, 11025, 16000, 22050, 32000, 44100, 48000, 96000, 192000];

describe.skipIf(!existsSync(stream))("the resampler's WebAssembly kernels", () => {
  const audio = existsSync(stream) ? decodeWavMono(readFileSync(stream), stream).samples.subarray(48000 * 5, 48000 * 5 + 30011) : new Float32Array(0);

  test("every stage the planner designs gives the JavaScript kernels' float64 outputs bit for bit, on real audio, tail included", () => {
    let checked = 0;
    for (const rate of RATES) {
      for (const plan of planStages(rate, 8000)) {
        const h = plan.design();
        const maxInput = 1000;
        const bytes = 16 + PolyphaseStage.bytes(plan.up, plan.down, h.length, maxInput);
        const outAt = bytes + 16;
        const count = Math.ceil((audio.length * plan.up) / plan.down);
        const memory = new WebAssembly.Memory({ initial: Math.ceil((outAt + 8 * (count + 2 * h.length)) / WASM_PAGE_BYTES) });
        const kernels = new WebAssembly.Instance(KERNELS, { env: { memory } }).exports as unknown as ResampleKernels;
        const stage = new PolyphaseStage(plan.up, plan.down, h, maxInput, { buffer: memory.buffer, offset: 16, kernels, state: 0 });
        let n = 0;
        for (let at = 0, b = 0; at < audio.length; b++) {
          const len = Math.min(audio.length - at, [1000, 37, 1, 613][b % 4]!);
          n += stage.process(audio, at, len, outAt + 8 * n);
          at += len;
        }
        n += stage.finish(outAt + 8 * n);
        const got = new Float64Array(memory.buffer, outAt, n);
        const want = stageOutputs(plan.up, plan.down, h, Float64Array.from(audio), count);
        expect(n).toBe(count);
        let differing = 0;
        for (let i = 0; i < n; i++) if (!Object.is(got[i], want[i])) differing++;
        expect(differing).toBe(0);
        expect(want.some((v) => Math.abs(v) > 1e-3)).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  test("every planned cascade gives the JavaScript stages' output, in uneven blocks, tail included", () => {
    for (const rate of RATES) {
      let signal: Float64Array = Float64Array.from(audio);
      for (const plan of planStages(rate, 8000)) {
        signal = stageOutputs(plan.up, plan.down, plan.design(), signal, Math.ceil((signal.length * plan.up) / plan.down));
      }
      const want = Float32Array.from(signal.subarray(0, Math.ceil((audio.length * 8000) / rate)));
      const r = new Resampler(rate, { maxBlock: 4096 });
      const got = new Float32Array(want.length + 16);
      let n = 0;
      for (let at = 0, b = 0; at < audio.length; b++) {
        const len = Math.min(audio.length - at, [4096, 37, 1, 1500][b % 4]!);
        n += r.processInto(audio.subarray(at, at + len), got, n);
        at += len;
      }
      const tail = r.flush();
      got.set(tail, n);
      n += tail.length;
      expect(n).toBe(want.length);
      let differing = 0;
      for (let i = 0; i < n; i++) if (!Object.is(got[i], want[i])) differing++;
      expect(differing).toBe(0);
    }
  });
});
