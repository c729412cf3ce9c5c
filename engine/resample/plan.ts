import { kaiserBeta, kaiserHalfSpanSeconds, kaiserLowpass } from "./kaiser-lowpass.ts";
import { SHARP_DECIMATE_BY_2 } from "./sharp-lowpass.ts";

/**
 * How a rate conversion is split into stages. Downsampling goes to twice the output rate through
 * cheap stages with a wide transition band (they only keep aliases out of 0..outputRate/2), then
 * through one sharp ÷2 filter that sets the response. Upsampling is one sharp Kaiser stage.
 */

/** Passband edge as a fraction of the lower of the two rates (3.4 kHz at 8 kHz). */
export const PASS_EDGE = 0.425;
/** Stopband edge as a fraction of the lower rate: its Nyquist frequency. */
export const STOP_EDGE = 0.5;

/** Cheap stages: Kaiser designs reaching this attenuation over their wide transition band. */
const WIDE_STAGE_DB = 68;
/*
 * Upsampling's sharp Kaiser stage, relative to the input rate E: the shortest (length, cutoff, β)
 * found by a search for ≤ 0.35 dB passband deviation to PASS_EDGE·E and ≥ 61 dB from STOP_EDGE·E.
 */
const SHARP_CUTOFF = 0.45625;
const SHARP_HALF_SPAN_PERIODS = 21.5;
const SHARP_BETA = 5.9;

export interface StagePlan {
  up: number;
  down: number;
  /** Rate of the stage's input in Hz (may be fractional between stages). */
  inRate: number;
  /** The prototype low-pass at rate inRate·up: odd length, centred, unit DC gain. */
  design: () => Float64Array;
  /** Estimated multiply-adds per second. */
  cost: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** A stage from `inRate` to `inRate·up/down` that keeps 0..PASS_EDGE·outputRate flat and unaliased. */
function wideStage(inRate: number, up: number, down: number, outputRate: number): StagePlan {
  const outRate = (inRate * up) / down;
  const protoRate = inRate * up;
  const pass = PASS_EDGE * outputRate;
  // Whatever lies above this edge would fold into 0..outputRate/2 at the stage's output rate;
  // between it and outputRate/2 it folds above outputRate/2, where the sharp stage removes it.
  const stop = outRate - STOP_EDGE * outputRate;
  const half = Math.ceil(kaiserHalfSpanSeconds(WIDE_STAGE_DB, stop - pass) * protoRate);
  const taps = Math.ceil((2 * half + 1) / up);
  return {
    up,
    down,
    inRate,
    design: () => kaiserLowpass(protoRate, (pass + stop) / 2, half, kaiserBeta(WIDE_STAGE_DB)),
    cost: outRate * (up === 1 ? (taps + 1) / 2 : taps),
  };
}

function sharpHalving(inRate: number, outputRate: number): StagePlan {
  return { up: 1, down: 2, inRate, design: () => SHARP_DECIMATE_BY_2, cost: outputRate * 35 };
}

function sharpUpsampling(inputRate: number, outputRate: number): StagePlan {
  const g = gcd(inputRate, outputRate);
  const up = outputRate / g;
  const protoRate = inputRate * up;
  const half = Math.ceil((SHARP_HALF_SPAN_PERIODS / inputRate) * protoRate);
  return {
    up,
    down: inputRate / g,
    inRate: inputRate,
    design: () => kaiserLowpass(protoRate, SHARP_CUTOFF * inputRate, half, SHARP_BETA),
    cost: outputRate * Math.ceil((2 * half + 1) / up),
  };
}

/** Ratio from `from` (= fromNum / fromDen exactly) to the integer rate `to`, in lowest terms. */
function ratio(fromNum: number, fromDen: number, to: number): [up: number, down: number] {
  const g = gcd(to * fromDen, fromNum);
  return [(to * fromDen) / g, fromNum / g];
}

/** The cheapest cascade for integer rates `inputRate` ≠ `outputRate`. */
export function planStages(inputRate: number, outputRate: number): StagePlan[] {
  if (inputRate < outputRate) return [sharpUpsampling(inputRate, outputRate)];
  const mid = 2 * outputRate;
  if (inputRate === mid) return [sharpHalving(mid, outputRate)];
  let best: StagePlan[] = [];
  let bestCost = Infinity;
  // An optional integer decimation by d first, then whatever ratio remains to 2·outputRate.
  for (let d = 1; d === 1 || inputRate / d >= mid; d++) {
    const plan: StagePlan[] = [];
    if (d > 1) plan.push(wideStage(inputRate, 1, d, outputRate));
    const [up, down] = ratio(inputRate, d, mid);
    if (up !== 1 || down !== 1) plan.push(wideStage(inputRate / d, up, down, outputRate));
    plan.push(sharpHalving(mid, outputRate));
    const cost = plan.reduce((sum, s) => sum + s.cost, 0);
    if (cost < bestCost) [best, bestCost] = [plan, cost];
  }
  return best;
}
