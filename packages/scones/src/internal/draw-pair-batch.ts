import type { RandomGenerator } from '@sinkflow/core';
import { type DistributionSampler, drawPoints } from '@sinkflow/fm';

/**
 * @internal One minibatch of Algorithm 1 [daniels2021]: `count` points of `source` (from
 * `sourceRandom`), then `count` of `target` (from `targetRandom`); errors name `functionName` and
 * `source` or `target`.
 */
export async function drawPairBatch(
  source: DistributionSampler,
  target: DistributionSampler,
  {
    count,
    sourceRandom,
    targetRandom,
    functionName,
  }: {
    readonly count: number;
    readonly sourceRandom: RandomGenerator;
    readonly targetRandom: RandomGenerator;
    readonly functionName: string;
  },
): Promise<{ readonly xs: Float32Array; readonly ys: Float32Array }> {
  const xs = await drawPoints(source, {
    d: source.d,
    count,
    random: sourceRandom,
    functionName,
    argumentName: 'source',
  });
  const ys = await drawPoints(target, {
    d: target.d,
    count,
    random: targetRandom,
    functionName,
    argumentName: 'target',
  });
  return { xs, ys };
}
