import { createGaussianBenchmark, type GaussianBenchmark } from '@sinkflow/benchmarks';
import type { DistributionSampler } from '@sinkflow/fm';
import { selectBackend } from '@sinkflow/fm';
import { entropicJointCovariance } from '@sinkflow/metrics';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** The wasm backend (about 7 times faster than cpu here), cpu when wasm cannot load. */
export async function useFastBackend(): Promise<void> {
  tf.env().set('PROD', true);
  await selectBackend({ preference: ['wasm', 'cpu'], log: null });
}

/** The Gaussian benchmark's source and target as float32 samplers. */
export function gaussianSamplers(benchmark: GaussianBenchmark): {
  source: DistributionSampler;
  target: DistributionSampler;
} {
  return {
    source: {
      d: benchmark.d,
      sample: ({ count, random }) => Float32Array.from(benchmark.sampleSource(count, random).data),
    },
    target: {
      d: benchmark.d,
      sample: ({ count, random }) => Float32Array.from(benchmark.sampleTarget(count, random).data),
    },
  };
}

export const benchmark2d = createGaussianBenchmark({ d: 2 });

/**
 * The closed-form conditional `y | x` of the entropic coupling (cost ||x - y||^2, lambda KL):
 * `N(C^T S0^{-1} x, S1 - C^T S0^{-1} C)` from the joint covariance [[S0, C], [C^T, S1]].
 */
export function closedFormConditional(
  benchmark: GaussianBenchmark,
  lambda: number,
  x: readonly number[],
): { mean: number[]; covariance: number[] } {
  const d = benchmark.d;
  if (d !== 2) throw new Error('closedFormConditional: d = 2 only');
  const joint = entropicJointCovariance({
    sourceCovariance: benchmark.sourceCovariance,
    targetCovariance: benchmark.targetCovariance,
    epsilon: lambda,
  });
  const at = (i: number, j: number) => joint[i * 4 + j] as number;
  const s0 = [at(0, 0), at(0, 1), at(1, 0), at(1, 1)];
  const det = (s0[0] as number) * (s0[3] as number) - (s0[1] as number) * (s0[2] as number);
  const inverse = [
    (s0[3] as number) / det,
    -(s0[1] as number) / det,
    -(s0[2] as number) / det,
    (s0[0] as number) / det,
  ];
  const c = [at(0, 2), at(0, 3), at(1, 2), at(1, 3)]; // C[i][j] = Cov(x_i, y_j)
  // K = C^T S0^{-1} (2 x 2): K[j][k] = sum_i C[i][j] inv[i][k]
  const k: number[] = [0, 0, 0, 0];
  for (let j = 0; j < 2; j += 1)
    for (let l = 0; l < 2; l += 1)
      for (let i = 0; i < 2; i += 1)
        k[j * 2 + l] =
          (k[j * 2 + l] as number) + (c[i * 2 + j] as number) * (inverse[i * 2 + l] as number);
  const mean = [0, 1].map(
    (j) => (k[j * 2] as number) * (x[0] as number) + (k[j * 2 + 1] as number) * (x[1] as number),
  );
  const covariance = [0, 0, 0, 0];
  for (let j = 0; j < 2; j += 1)
    for (let l = 0; l < 2; l += 1) {
      let sum = 0;
      for (let i = 0; i < 2; i += 1) sum += (k[j * 2 + i] as number) * (c[i * 2 + l] as number);
      covariance[j * 2 + l] = at(2 + j, 2 + l) - sum;
    }
  return { mean, covariance };
}

/** Mean and covariance (n - 1) of rows of width 2. */
export function moments2(points: ArrayLike<number>): { mean: number[]; covariance: number[] } {
  const n = points.length / 2;
  const mean: number[] = [0, 0];
  for (let i = 0; i < n; i += 1)
    for (let j = 0; j < 2; j += 1)
      mean[j] = (mean[j] as number) + (points[2 * i + j] as number) / n;
  const covariance: number[] = [0, 0, 0, 0];
  for (let i = 0; i < n; i += 1)
    for (let j = 0; j < 2; j += 1)
      for (let l = 0; l < 2; l += 1)
        covariance[j * 2 + l] =
          (covariance[j * 2 + l] as number) +
          (((points[2 * i + j] as number) - (mean[j] as number)) *
            ((points[2 * i + l] as number) - (mean[l] as number))) /
            (n - 1);
  return { mean, covariance };
}

/** Asserts that a TensorFlow.js routine leaves no tensor behind. */
export async function expectNoTensorLeak<T>(routine: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await routine();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

/** Mean of a slice of a history. */
export function windowMean(values: Float64Array, from: number, to: number): number {
  const start = Math.floor(from * values.length);
  const end = Math.floor(to * values.length);
  let sum = 0;
  for (let k = start; k < end; k += 1) sum += values[k] as number;
  return sum / (end - start);
}
