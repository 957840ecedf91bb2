import { InvalidArgumentError, type RandomGenerator } from '@sinkflow/core';
import type { DistributionSampler } from '@sinkflow/fm';

/** @internal Checks that an option is a {@link DistributionSampler} (of dimension `d` when given). */
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
    !Number.isInteger(candidate.d) ||
    (candidate.d as number) < 1
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

/** @internal `count` points of `sampler`, checked to be `count * d` finite float32 entries. */
export async function drawPoints(
  sampler: DistributionSampler,
  {
    count,
    random,
    functionName,
    argumentName,
  }: {
    readonly count: number;
    readonly random: RandomGenerator;
    readonly functionName: string;
    readonly argumentName: string;
  },
): Promise<Float32Array> {
  const points = await sampler.sample({ count, random });
  if (!(points instanceof Float32Array) || points.length !== count * sampler.d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.sample`,
      message: `must return a Float32Array of count * d = ${count * sampler.d} entries`,
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
  return points;
}
