/** Confidence of each decision and whether it was right: what a rejection threshold trades off. */
export interface Scored {
  confidence: number;
  correct: boolean;
}

export interface RejectionAtThreshold {
  threshold: number;
  /** Digit clips: fraction rejected, and fraction accepted and right. */
  rejected: number;
  acceptedCorrect: number;
  /** Accuracy among accepted clips. */
  acceptedAccuracy: number;
}

/** What a threshold does to a set of labelled digits. */
export function rejectionCost(scored: Scored[], threshold: number): RejectionAtThreshold {
  const accepted = scored.filter((s) => s.confidence >= threshold);
  const right = accepted.filter((s) => s.correct).length;
  return {
    threshold,
    rejected: scored.length ? 1 - accepted.length / scored.length : 0,
    acceptedCorrect: scored.length ? right / scored.length : 0,
    acceptedAccuracy: accepted.length ? right / accepted.length : 0,
  };
}

/** Fraction of non-digit clips accepted as a digit at a threshold. */
export function falseAcceptRate(confidences: ArrayLike<number>, threshold: number): number {
  let n = 0;
  for (let i = 0; i < confidences.length; i++) if (confidences[i]! >= threshold) n++;
  return confidences.length ? n / confidences.length : 0;
}

/** The category of a non-digit file name `x_{category}_…` (e.g. words, sound), else "other". */
export function nonDigitCategory(file: string): string {
  const m = /^x_([a-z]+)_/.exec(file.split(/[\\/]/).pop() ?? file);
  return m ? m[1]! : "other";
}

export const THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
