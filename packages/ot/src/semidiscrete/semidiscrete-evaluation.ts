import type { RandomGenerator } from '@sinkflow/core';
import type { ScoreKernel } from './semidiscrete-score-pass.js';
import {
  drawSource,
  rowOffset,
  type SemidiscreteSource,
  type SemidiscreteTarget,
  scoreOffsets,
} from './semidiscrete-target.js';

/** Rows per score pass when evaluating (bounds the scratch memory). */
export const EVALUATION_CHUNK = 4096;

/**
 * The stopping rule: the estimate is below `threshold` and resolves it (its standard error is at
 * most the threshold), so that a noisy evaluation never declares convergence.
 */
export function isConverged(evaluation: Evaluation, threshold: number): boolean {
  return evaluation.marginalError <= threshold && evaluation.standardError <= threshold;
}

/** One evaluation of the averaged dual on fresh draws (internal). */
export interface Evaluation {
  readonly marginalError: number;
  readonly noise: number;
  readonly standardError: number;
  readonly dualObjective: number;
}

/** The bias-corrected chi-square error and the dual value of `g` on fresh draws. */
export function evaluateMarginals(
  target: SemidiscreteTarget,
  kernel: ScoreKernel,
  input: {
    readonly g: Float64Array;
    readonly epsilon: number;
    readonly random: RandomGenerator;
    readonly source: SemidiscreteSource;
    readonly size: number;
    readonly functionName: string;
  },
): Evaluation {
  const { g, epsilon, random, source, size, functionName } = input;
  const n = target.count;
  const offsets = scoreOffsets(target, g, epsilon, new Float64Array(n));
  const sums = new Float64Array(n);
  const squares = new Float64Array(n);
  const value = new Float64Array(Math.min(size, EVALUATION_CHUNK));
  let fSum = 0;
  for (let done = 0; done < size; done += EVALUATION_CHUNK) {
    const count = Math.min(EVALUATION_CHUNK, size - done);
    const x = drawSource(source, count, target.d, random, functionName);
    kernel(target, {
      x,
      count,
      offsets,
      mode: epsilon > 0 ? 'softmax' : 'argmax',
      epsilon,
      value,
      assignmentSums: sums,
      assignmentSquares: epsilon > 0 ? squares : undefined,
    });
    // f(x) = u(x) - max_j s_j (hard) or u(x) - eps LSE_j(s_j / eps) (entropic).
    for (let i = 0; i < count; i += 1) fSum += rowOffset(target, x, i) - (value[i] as number);
  }
  let raw = 0;
  let noise = 0;
  let spread = 0;
  let gb = 0;
  for (let j = 0; j < n; j += 1) {
    const b = target.weights[j] as number;
    const p = (sums[j] as number) / size;
    // Unbiased variance of the mean: hard indicators have E[pi^2] = p.
    const second = epsilon > 0 ? (squares[j] as number) / size : p;
    const variance = Math.max(0, second - p * p) / (size - 1);
    const squaredError = (p - b) * (p - b);
    raw += squaredError / b;
    noise += variance / b;
    // Var((p_hat - b)^2) = 2 V^2 + 4 (p - b)^2 V for p_hat ~ N(p, V); covariances between cells
    // are left out (they are negative for the hard indicators).
    spread +=
      (2 * variance * variance + 4 * Math.max(0, squaredError - variance) * variance) / (b * b);
    gb += (g[j] as number) * b;
  }
  return {
    marginalError: Math.max(0, raw - noise),
    noise,
    standardError: Math.sqrt(spread),
    dualObjective: fSum / size + gb,
  };
}
