import { mixToMono, type DecodedAudio } from "./audio/wav.ts";
import { type ClassifyTimings, Classifier, argmax, isDigitLabel, topK } from "./classifier.ts";
import type { AnalyseTimings } from "./features/extractor.ts";
import { Utterance } from "./features/utterance.ts";
import type { TopK } from "./events.ts";
import type { ModelFile } from "./model-file.ts";

export interface ClipTimings {
  resampleMs: number;
  trimMs: number;
  featuresMs: number;
  inferenceMs: number;
}

export interface ClipPrediction {
  digit: number;
  confidence: number;
  top: TopK[];
  /** False when the clip holds no stretch of voiced speech (see Utterance.speech). */
  speech: boolean;
  /**
   * True when a non-digit output (a speaker profile's) won; `digit` and `confidence` are then
   * the most probable digit's.
   */
  notDigit: boolean;
  /** Seconds of audio kept by the trim, and the input's duration. */
  speechSeconds: number;
  durationSeconds: number;
  timings: ClipTimings;
}

/**
 * Recognises whole clips (files, batch, evaluation): mono → resample to the model's rate →
 * trim → features → classifier. The same extractor and classifier the live engine uses.
 */
export class ClipRecognizer {
  readonly classifier: Classifier;
  /** Scratch of `recognize`: nothing in them outlives the call. */
  private readonly utterance = new Utterance();
  private readonly analyseTimings: AnalyseTimings = { spectraMs: 0, trimMs: 0, voicingMs: 0 };
  private readonly classifyTimings: ClassifyTimings = { featuresMs: 0, inferenceMs: 0 };

  constructor(model: ModelFile) {
    this.classifier = new Classifier(model);
  }

  get sampleRate(): number {
    return this.classifier.sampleRate;
  }

  recognizeDecoded(audio: DecodedAudio, k = 3): ClipPrediction {
    return this.recognize(mixToMono(audio.samples, audio.channels), audio.sampleRate, k);
  }

  recognize(mono: Float32Array, sampleRate: number, k = 3): ClipPrediction {
    const t0 = performance.now();
    const samples = sampleRate === this.sampleRate ? mono : resample(mono, sampleRate, this.sampleRate);
    const t1 = performance.now();
    const u = this.classifier.analyse(samples, this.utterance, this.analyseTimings);
    const p = this.classifier.classify(u, undefined, this.classifyTimings);
    const labels = this.classifier.labels;
    const winner = argmax(p);
    const notDigit = !isDigitLabel(labels[winner]!);
    let best = winner;
    if (notDigit) for (let i = 0, q = -1; i < p.length; i++) if (isDigitLabel(labels[i]!) && p[i]! > q) [best, q] = [i, p[i]!];
    const a = this.analyseTimings;
    const c = this.classifyTimings;
    const hop = this.classifier.model.features.hopLength / this.sampleRate;
    return {
      digit: Number(this.classifier.labels[best]),
      confidence: p[best]!,
      top: topK(p, k, this.classifier.labels),
      speech: u.speech,
      notDigit,
      speechSeconds: u.keptFrames * hop,
      durationSeconds: mono.length / sampleRate,
      timings: {
        resampleMs: t1 - t0,
        trimMs: a.trimMs,
        featuresMs: a.spectraMs + a.voicingMs + c.featuresMs,
        inferenceMs: c.inferenceMs,
      },
    };
  }
}

/**
 * The resampler, loaded on first use: a cold `bun predict` of a clip already at the model's rate
 * (FSDD's 8 kHz) never pays for loading its modules.
 */
function resample(x: Float32Array, from: number, to: number): Float32Array {
  const { resampleTo } = require("./resampler.ts") as typeof import("./resampler.ts");
  return resampleTo(x, from, to);
}
