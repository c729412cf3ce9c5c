import { mixToMono, type DecodedAudio } from "./audio/wav.ts";
import { type ClassifyTimings, Classifier, argmax, topK } from "./classifier.ts";
import type { TopK } from "./events.ts";
import type { ModelFile } from "./model-file.ts";
import { resampleTo } from "./resampler.ts";

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
  /** False when the clip holds no stretch of voiced speech (see Classifier.soundsLikeSpeech). */
  speech: boolean;
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
  private readonly timings: ClassifyTimings = { trimMs: 0, featuresMs: 0, inferenceMs: 0 };

  constructor(model: ModelFile) {
    this.classifier = new Classifier(model);
  }

  get sampleRate(): number {
    return this.classifier.extractor.config.sampleRate;
  }

  recognizeDecoded(audio: DecodedAudio, k = 3): ClipPrediction {
    return this.recognize(mixToMono(audio.samples, audio.channels), audio.sampleRate, k);
  }

  recognize(mono: Float32Array, sampleRate: number, k = 3): ClipPrediction {
    const t0 = performance.now();
    const samples = sampleRate === this.sampleRate ? mono : resampleTo(mono, sampleRate, this.sampleRate);
    const t1 = performance.now();
    const p = this.classifier.classify(samples, this.timings);
    const best = argmax(p);
    const t2 = performance.now();
    const speech = this.classifier.soundsLikeSpeech(samples);
    const t3 = performance.now();
    const fx = this.classifier.extractor;
    const hop = fx.config.hopLength / fx.config.sampleRate;
    return {
      digit: Number(this.classifier.labels[best]),
      confidence: p[best]!,
      top: topK(p, k, this.classifier.labels),
      speech,
      speechSeconds: (fx.lastTrim.end - fx.lastTrim.start) * hop,
      durationSeconds: mono.length / sampleRate,
      timings: {
        resampleMs: t1 - t0,
        trimMs: this.timings.trimMs,
        featuresMs: this.timings.featuresMs,
        inferenceMs: t2 - t1 - this.timings.trimMs - this.timings.featuresMs + (t3 - t2),
      },
    };
  }
}
