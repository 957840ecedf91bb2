import { InvalidArgumentError, type RandomGenerator } from '@sinkflow/core';
import type { DistributionSampler } from './distribution-sampler.js';

/**
 * `count` points from `sampler` with `random`, checked: a Float32Array of `count * d` finite
 * entries (a fresh copy when the sampler returned a view, so that it can be transferred). What
 * every trainer uses to draw minibatches from a user's {@link DistributionSampler}.
 *
 * @throws {@link InvalidArgumentError} naming `<argumentName>.sample` when the sampler returns
 *   the wrong length or a non-finite coordinate.
 * @example
 * ```ts
 * const xs = await drawPoints(source, { count: 256, random, d: source.d, functionName: 'train', argumentName: 'source' });
 * ```
 */
export async function drawPoints(
  sampler: DistributionSampler,
  {
    count,
    random,
    d,
    functionName,
    argumentName,
  }: {
    readonly count: number;
    readonly random: RandomGenerator;
    readonly d: number;
    readonly functionName: string;
    readonly argumentName: string;
  },
): Promise<Float32Array> {
  const points = await sampler.sample({ count, random });
  if (!(points instanceof Float32Array) || points.length !== count * d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.sample`,
      message: `must return a Float32Array of count * d = ${count * d} entries`,
      value: points,
    });
  }
  for (let index = 0; index < points.length; index += 1) {
    if (!Number.isFinite(points[index])) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `${argumentName}.sample`,
        message: `returned a non-finite coordinate at index ${index}`,
        value: points[index],
      });
    }
  }
  const whole = points.byteOffset === 0 && points.byteLength === points.buffer.byteLength;
  return whole ? points : points.slice();
}

/**
 * Checks that an option is a {@link DistributionSampler} (`{ d, sample({ count, random }) }`
 * with an integer `d >= 1`), of dimension `d` when given.
 *
 * @throws {@link InvalidArgumentError} naming `argumentName` (or `argumentName.d`).
 * @example
 * ```ts
 * const target = requireSampler(options.target, { d: 2, functionName: 'train', argumentName: 'target' });
 * ```
 */
export function requireSampler(
  sampler: unknown,
  {
    d,
    functionName,
    argumentName,
  }: { readonly d?: number; readonly functionName: string; readonly argumentName: string },
): DistributionSampler {
  const candidate = sampler as Partial<DistributionSampler> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.sample !== 'function' ||
    typeof candidate.d !== 'number' ||
    !Number.isInteger(candidate.d) ||
    candidate.d < 1
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: 'must be a distribution sampler { d, sample({ count, random }) }',
      value: sampler,
    });
  }
  if (d !== undefined && candidate.d !== d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.d`,
      message: `must equal the source dimension ${d}`,
      value: candidate.d,
    });
  }
  return candidate as DistributionSampler;
}

/** @internal A seed in `[0, 2^32)` for the pair sampler, drawn from its own stream. */
export function streamSeed(random: RandomGenerator): number {
  return random.integer(2 ** 32);
}
