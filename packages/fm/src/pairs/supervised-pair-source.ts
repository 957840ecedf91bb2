import { createRandomGenerator, InvalidArgumentError, requireInteger } from '@sinkflow/core';
import type { DistributionSampler } from '../data/distribution-sampler.js';
import { drawPoints, requireSampler } from '../data/draw-points.js';
import { createStreamPairSource } from '../internal/stream-pair-source.js';
import type { PairSource } from './pair-source.js';

/**
 * A known transport map `T` applied to a row-major batch: returns `T(x_k)` for each of the
 * `count` rows of `x` (`count * d` float32 entries).
 *
 * @example
 * ```ts
 * const double: TransportMap = ({ x }) => x.map((value) => 2 * value);
 * ```
 */
export type TransportMap = (options: {
  readonly x: Float32Array;
  readonly count: number;
  readonly d: number;
}) => Float32Array | Promise<Float32Array>;

/** Options of {@link createSupervisedPairSource}. */
export interface SupervisedPairSourceOptions {
  /** `mu_0`. */
  readonly source: DistributionSampler;
  /** The ground-truth map `T_0`, so that `x_1 = T_0(x_0)`. */
  readonly map: TransportMap;
  /** Pairs drawn at once (one chunk). @default 2048 */
  readonly chunkSize?: number;
  /** Root seed; chunk `k` draws `x_0` from the stream `split(k)`. @default 0 */
  readonly seed?: number;
}

/**
 * Ground-truth pairs `(x_0, T_0(x_0))`, `x_0 ~ mu_0`: the paper's perfectly supervised
 * reference, marked ▲ in its figures [klein2025, Sec. 4.2] (an upper bound on what any coupling can
 * give when `T_0` is the Monge map).
 *
 * @throws {@link InvalidArgumentError} naming the option (`map` not a function, a bad
 * `chunkSize` or `seed`); `next` throws when `map` returns the wrong length.
 * @example
 * ```ts
 * const pairs = createSupervisedPairSource({
 *   source: standardNormalSampler({ d: 2 }),
 *   map: ({ x }) => x.map((value) => 3 * value + 1), // T(x) = 3x + 1
 * });
 * await pairs.start();
 * ```
 */
export function createSupervisedPairSource({
  source,
  map,
  chunkSize = 2048,
  seed = 0,
}: SupervisedPairSourceOptions): PairSource {
  const functionName = 'createSupervisedPairSource';
  const { d } = requireSampler(source, { functionName, argumentName: 'source' });
  if (typeof map !== 'function') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'map',
      message: 'must be a function ({ x, count, d }) => Float32Array',
      value: map,
    });
  }
  requireInteger(chunkSize, { functionName, argumentName: 'chunkSize', minimum: 1 });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  const root = createRandomGenerator({ seed });
  return createStreamPairSource({
    kind: 'supervised',
    d,
    functionName,
    prefetch: 1,
    submit: async (index) => {
      const x0 = await drawPoints(source, {
        count: chunkSize,
        random: root.split(index),
        d,
        functionName,
        argumentName: 'source',
      });
      const x1 = await map({ x: x0.slice(), count: chunkSize, d });
      if (!(x1 instanceof Float32Array) || x1.length !== chunkSize * d) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: 'map',
          message: `must return a Float32Array of count * d = ${chunkSize * d} entries`,
          value: x1,
        });
      }
      return {
        result: Promise.resolve({ x0, x1, count: chunkSize, coupling: null, samplingSeconds: 0 }),
      };
    },
  });
}
