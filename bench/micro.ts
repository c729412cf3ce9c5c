import FFT from "fft.js";
import { do_not_optimize, measure } from "mitata";
import { decodeWav, mixToMono } from "../engine/audio/wav.ts";
import { Classifier } from "../engine/classifier.ts";
import { Utterance } from "../engine/features/utterance.ts";
import { Resampler } from "../engine/resampler.ts";
import { seededRng, whiteNoise } from "../data/synth/signals.ts";
import type { BenchContext } from "./context.ts";
import { type Figure, type FigureSpec, failedFigure, figure } from "./results.ts";

/** The capture block the resampler benchmarks use: 10 ms at 48 kHz. */
const BLOCK = 480;
/** The rates the resampler's own bench covered; `--quick` keeps 48 kHz only. */
const RESAMPLE_RATES = [11025, 16000, 22050, 32000, 44100, 48000, 96000];

/** One second of real speech at the model's rate: test clips back to back. */
function oneSecondOfSpeech(clips: { samples: Float32Array }[], rate: number): Float32Array {
  const out = new Float32Array(rate);
  let n = 0;
  for (const c of clips) {
    if (n >= out.length) break;
    const take = Math.min(c.samples.length, out.length - n);
    out.set(c.samples.subarray(0, take), n);
    n += take;
  }
  return out;
}

/**
 * mitata measurements of the hot kernels. Fast functions are timed in batches by mitata, so
 * each sample is a batch mean; samples are in ns and reported in µs.
 */
export async function microBench(ctx: BenchContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  const opts = { min_cpu_time: ctx.repeats.microCpuNs };
  const run = async (spec: FigureSpec, fn: () => unknown) => {
    try {
      const stats = await measure(fn, opts);
      figures.push(
        figure(
          "micro",
          { ...spec, unit: "µs" },
          stats.samples.map((ns) => ns / 1000),
        ),
      );
    } catch (err) {
      figures.push(failedFigure("micro", spec, err));
    }
  };

  for (const size of [256, 512]) {
    const fft = new FFT(size);
    const input = new Float64Array(size);
    for (let i = 0; i < size; i++) input[i] = Math.sin(i * 0.3) + 0.25 * Math.cos(i * 1.7);
    // A Float64Array output, as the feature extractor passes: fft.js then sees one array type only.
    const out = new Float64Array(2 * size);
    await run({ id: `micro.fft${size}`, label: `real FFT ${size} (fft.js)`, unit: "µs" }, () => {
      fft.realTransform(out, input);
      return out;
    });
  }

  const classifier = new Classifier(ctx.model);
  const fx = classifier.extractor;
  const rate = classifier.sampleRate;
  const second = oneSecondOfSpeech(await ctx.testClips(), rate);
  const frame = second.slice(4000, 4000 + fx.config.frameLength);
  // Caller-owned buffers, refilled by every call as the engine does.
  const u = new Utterance();
  const out = new Float64Array(classifier.dimension);
  const probabilities = new Float64Array(classifier.labels.length);
  const logMel = new Float64Array(fx.config.nMels);
  const cepstra = new Float64Array(fx.config.nCepstra);
  await run({ id: "micro.featureFrame", label: "one feature frame (window, FFT, mel, cepstra)", unit: "µs" }, () =>
    fx.cepstra(fx.logMel(fx.analyse(frame, u), 1, 0, 1, logMel), 1, cepstra),
  );
  await run({ id: "micro.features1s", label: "features of a 1 s clip", unit: "µs" }, () => fx.features(fx.analyse(second, u), 1, out));
  // The voiced-speech check after the spectra and trim, with the decimation it shares with the
  // pitch estimate: on speech it stops after a few voiced frames; on noise nothing is voiced, so
  // it looks at every frame the trim kept.
  const noise = whiteNoise(rate, seededRng(1));
  const voicing = classifier.voicing;
  const speechSpectra = fx.analyse(second, new Utterance());
  const noiseSpectra = fx.analyse(noise, new Utterance());
  await run({ id: "micro.voicing1s", label: "voiced-speech check, 1 s of speech", unit: "µs" }, () => voicing.measure(second, speechSpectra, false));
  await run({ id: "micro.voicingNoise1s", label: "voiced-speech check, 1 s of white noise (nothing voiced)", unit: "µs" }, () =>
    voicing.measure(noise, noiseSpectra, false),
  );
  const features = fx.features(speechSpectra, 1, new Float64Array(classifier.dimension));
  await run({ id: "micro.inference", label: "one inference", unit: "µs" }, () => classifier.predict(features, probabilities));
  await run(
    {
      id: "micro.featuresInference1s",
      label: "features + inference, 1 s clip",
      unit: "µs",
      target: { op: "<=", value: 100, on: "median", text: "≤ 0.1 ms" },
    },
    () => classifier.classify(classifier.analyse(second, u), probabilities),
  );
  // What a voice above the model's pitchWarp.minHz adds: its pitch estimate is in every
  // classification above; a high voice also costs a warped filterbank and a network pass per warp.
  await run({ id: "micro.voicingPitch1s", label: "voiced-speech check and pitch estimate, 1 s of speech", unit: "µs" }, () =>
    voicing.measure(second, speechSpectra, true),
  );
  const warps = (ctx.model.pitchWarp?.warps ?? []).filter((w) => w !== 1);
  if (warps.length) {
    const warped = new Float64Array(classifier.dimension);
    await run({ id: "micro.highVoiceExtra", label: `a high voice's extra warps (${warps.length}), 1 s clip`, unit: "µs" }, () => {
      for (const w of warps) classifier.predict(fx.features(speechSpectra, w, warped), probabilities);
    });
  }

  // Resampling in capture-sized blocks, as the engine does it (folds in the resampler's old bench).
  const stereo = ctx.streams().find((s) => /48k_stereo/.test(s));
  for (const inRate of ctx.quick ? [48000] : RESAMPLE_RATES) {
    let x: Float32Array;
    if (inRate === 48000 && stereo) {
      const a = decodeWav(await Bun.file(stereo).bytes(), stereo);
      x = mixToMono(a.samples, a.channels).slice(48000, 96000);
    } else {
      x = new Float32Array(inRate);
      for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin(i * 0.05) + 0.1 * Math.sin(i * 1.3);
    }
    const r = new Resampler(inRate, { maxBlock: BLOCK });
    const out = new Float32Array(r.maxOutputLength(BLOCK));
    const spec: FigureSpec = {
      id: inRate === 48000 ? "micro.resample48k" : `micro.resample${inRate}`,
      label: `resample 1 s of ${inRate / 1000} kHz to 8 kHz`,
      unit: "µs",
      note: `${r.describe()}; look-ahead ${(r.latencySeconds * 1000).toFixed(2)} ms`,
    };
    await run(spec, () => {
      let n = 0;
      for (let p = 0; p < x.length; p += BLOCK) n += r.processInto(x.subarray(p, Math.min(x.length, p + BLOCK)), out);
      do_not_optimize(n);
    });
  }
  return figures;
}
