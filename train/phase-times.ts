/**
 * Where training spends its time: milliseconds summed per named phase (over clips, members and
 * Workers), for `bun train --timings`. Library code reports through `TrainExtras.onPhase`.
 */
export type PhaseReporter = (phase: string, ms: number) => void;

export class PhaseTimes {
  readonly ms = new Map<string, number>();

  add: PhaseReporter = (phase, ms) => {
    this.ms.set(phase, (this.ms.get(phase) ?? 0) + ms);
  };

  /** Runs `fn`, adding its time to `phase`. */
  time<T>(phase: string, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.add(phase, performance.now() - t0);
    }
  }
}

/** Runs `fn` and reports its time to `report` (if any) under `phase`. */
export function timed<T>(report: PhaseReporter | undefined, phase: string, fn: () => T): T {
  if (!report) return fn();
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    report(phase, performance.now() - t0);
  }
}
