import { createRandomGenerator, requireInteger } from '@sinkflow/core';
import type { DistributionSampler } from '../data/distribution-sampler.js';
import { drawPoints, requireSampler } from '../data/draw-points.js';
import { createStreamPairSource } from '../internal/stream-pair-source.js';
import type { PairSource } from './pair-source.js';

/** Options of {@link createIndependentPairSource}. */
export interface IndependentPairSourceOptions {
  /** `mu_0`, the noise. */
  readonly source: DistributionSampler;
  /** `mu_1`, the data (same dimension). */
  readonly target: DistributionSampler;
  /** Pairs drawn at once (one chunk). @default 2048 */
  readonly chunkSize?: number;
  /** Root seed; chunk `k` draws from the streams `split(2k)` (source) and `split(2k + 1)` (target). @default 0 */
  readonly seed?: number;
}

/**
 * Independent pairs, the coupling `I_n / n` of I-FM [lipman2023; klein2025, Alg. 2 line 3]:
 * `x_0^k ~ mu_0` and `x_1^k ~ mu_1` drawn independently, paired in order. Chunk `k` of the
 * stream holds `chunkSize` pairs drawn from generators split off the root seed, so the stream is
 * the same whatever the training batch size, and restarts exactly from a checkpoint.
 *
 * @throws {@link InvalidArgumentError} naming the option (samplers of different dimensions, a
 * bad `chunkSize` or `seed`).
 * @example
 * ```ts
 * const pairs = createIndependentPairSource({
 *   source: standardNormalSampler({ d: 2 }), target: myData, seed: 0,
 * });
 * await pairs.start();
 * const { x0, x1 } = await pairs.next({ count: 512 });
 * ```
 */
export function createIndependentPairSource({
  source,
  target,
  chunkSize = 2048,
  seed = 0,
}: IndependentPairSourceOptions): PairSource {
  const functionName = 'createIndependentPairSource';
  const { d } = requireSampler(source, { functionName, argumentName: 'source' });
  requireSampler(target, { d, functionName, argumentName: 'target' });
  requireInteger(chunkSize, { functionName, argumentName: 'chunkSize', minimum: 1 });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  const root = createRandomGenerator({ seed });
  return createStreamPairSource({
    kind: 'independent',
    d,
    functionName,
    prefetch: 1,
    submit: async (index) => {
      const x0 = await drawPoints(source, {
        count: chunkSize,
        random: root.split(2 * index),
        d,
        functionName,
        argumentName: 'source',
      });
      const x1 = await drawPoints(target, {
        count: chunkSize,
        random: root.split(2 * index + 1),
        d,
        functionName,
        argumentName: 'target',
      });
      return {
        result: Promise.resolve({ x0, x1, count: chunkSize, coupling: null, samplingSeconds: 0 }),
      };
    },
  });
}
