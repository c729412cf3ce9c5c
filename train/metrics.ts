export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  count: number;
  perClass: ClassMetrics[];
  macroF1: number;
  /** confusion[true][predicted] counts */
  confusion: number[][];
}

export function classificationReport(truth: ArrayLike<number>, predicted: ArrayLike<number>, labels: string[]): ClassificationReport {
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    confusion[truth[i]!]![predicted[i]!]!++;
    if (truth[i] === predicted[i]) correct++;
  }
  const perClass = labels.map((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedC = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predictedC ? tp / predictedC : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const withSupport = perClass.filter((c) => c.support > 0);
  return {
    accuracy: truth.length ? correct / truth.length : 0,
    count: truth.length,
    perClass,
    macroF1: withSupport.reduce((a, c) => a + c.f1, 0) / Math.max(1, withSupport.length),
    confusion,
  };
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

export function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}

/** Per-class table and a confusion matrix laid out for a terminal (rows: truth, columns: prediction). */
export function formatReport(r: ClassificationReport): string {
  const lines: string[] = [];
  lines.push(`accuracy ${r.accuracy.toFixed(4)} (${Math.round(r.accuracy * r.count)}/${r.count}), macro F1 ${r.macroF1.toFixed(4)}`, "");
  lines.push("class  precision  recall     f1  support");
  for (const c of r.perClass) {
    lines.push(
      `${c.label.padStart(5)}  ${c.precision.toFixed(3).padStart(9)}  ${c.recall.toFixed(3).padStart(6)}  ${c.f1.toFixed(3).padStart(5)}  ${String(c.support).padStart(7)}`,
    );
  }
  lines.push("", "confusion (rows: true digit, columns: predicted)");
  const labels = r.perClass.map((c) => c.label);
  lines.push(`      ${labels.map((l) => l.padStart(4)).join("")}`);
  r.confusion.forEach((row, i) => {
    const cells = row.map((v, j) => (v === 0 ? "   ." : i === j ? String(v).padStart(4) : `${String(v).padStart(3)}*`));
    lines.push(`${labels[i]!.padStart(4)}  ${cells.join("")}`);
  });
  lines.push("(* marks a confusion)");
  return lines.join("\n");
}
