import {
  DisposedError,
  InvalidArgumentError,
  type PointCloud,
  requireInteger,
} from '@sinkflow/core';
import { defaultScoreKernel } from './default-score-kernel.js';
import {
  prepareDual,
  type SampledPartners,
  type SamplePartnersOptions,
  sampleWithDual,
} from './sample-partners.js';

/**
 * Options of {@link createPartnerSampler}: the points and the fitted dual of
 * {@link SamplePartnersOptions}, without the rows.
 *
 * @example
 * ```ts
 * const options: PartnerSamplerOptions = { y, g: solution.g, epsilon: solution.epsilon, capacity: 1024 };
 * ```
 */
export interface PartnerSamplerOptions extends Omit<SamplePartnersOptions, 'x' | 'seed' | 'draw'> {
  /** Rows per kernel batch (larger requests run in batches of this many). @default 4096 */
  readonly capacity?: number | undefined;
}

/**
 * A prepared sampler: {@link samplePartners} for many batches of rows against one fitted dual.
 *
 * @example
 * ```ts
 * const { indices } = sampler.sample({ x: noise, seed: 3 });
 * ```
 */
export interface PartnerSampler {
  /** The partners of the rows `x` (and the map), as {@link samplePartners} with the same seed and draw. */
  sample(options: {
    readonly x: PointCloud;
    readonly seed?: number | undefined;
    readonly draw?: number | undefined;
  }): SampledPartners;
  /** Releases the memory and threads; `sample` then throws. */
  dispose(): Promise<void>;
}

/**
 * Prepares {@link samplePartners} for many batches [mousavi2025semidiscrete]: the N points and the
 * offsets `h_j` of the dual `g` are loaded once into the memory of the score kernel (the
 * WebAssembly SIMD kernels on all threads where the host has WebAssembly and shared memory, else
 * the TypeScript reference), and each `sample` call writes its rows into the same memory. The
 * partners are those of {@link samplePartners} (argmax, or Gumbel-max with the keyed noise of
 * `@sinkflow/core`), up to float32 ties of the scores.
 *
 * @throws {@link InvalidArgumentError} naming the bad argument.
 * @example
 * ```ts
 * const sampler = await createPartnerSampler({ y, g: solution.g, epsilon: solution.epsilon });
 * const { indices } = sampler.sample({ x: noise, seed: 3 });
 * await sampler.dispose();
 * ```
 */
export async function createPartnerSampler(
  options: PartnerSamplerOptions,
): Promise<PartnerSampler> {
  const functionName = 'createPartnerSampler';
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options',
      message: 'must be an options object',
      value: options,
    });
  }
  const { y, g, cost = 'dot', epsilon = 0, capacity = 4096 } = options;
  requireInteger(capacity, { functionName, argumentName: 'capacity', minimum: 1 });
  const dual = prepareDual({ y, g, cost, epsilon }, functionName);
  const prepared = await defaultScoreKernel.prepare(dual.target, capacity);
  let alive = true;
  return {
    sample({ x, seed = 0, draw = 0 }) {
      if (!alive) {
        throw new DisposedError({ functionName, resource: 'sampler', operation: 'sample' });
      }
      return sampleWithDual(prepared.kernel, dual, { x, seed, draw }, `${functionName}.sample`);
    },
    async dispose() {
      if (!alive) return;
      alive = false;
      await prepared.dispose();
    },
  };
}
