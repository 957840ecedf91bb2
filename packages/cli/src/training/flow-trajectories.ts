import { createRandomGenerator } from '@sinkflow/core';
import { createModelVelocityField, integrate, type VelocityModel } from '@sinkflow/fm';
import type { FlowTask } from './flow-task.js';

/**
 * Paths `t -> x_t` of `count` fresh source points under the trained flow, by Euler steps from
 * t = 0 to 1 (the report draws them for 2-D tasks, as the paper's trajectory figures): one array
 * of `steps + 1` points (each `d` numbers, rounded to 4 decimals) per path.
 */
export async function flowTrajectories({
  model,
  task,
  count = 48,
  steps = 20,
  seed,
}: {
  readonly model: VelocityModel;
  readonly task: FlowTask;
  /** @default 48 */
  readonly count?: number;
  /** @default 20 */
  readonly steps?: number;
  readonly seed: number;
}): Promise<number[][][]> {
  const x0 = Float64Array.from(
    await task.source.sample({ count, random: createRandomGenerator({ seed }) }),
  );
  const d = task.d;
  const round = (value: number) => Math.round(value * 1e4) / 1e4;
  const snapshot = (x: Float64Array, path: number) =>
    Array.from(x.subarray(path * d, path * d + d), round);
  const paths = Array.from({ length: count }, (_, path) => [snapshot(x0, path)]);
  await integrate({
    field: createModelVelocityField({ model }),
    x0,
    method: 'euler',
    steps,
    onStep: ({ x1 }) => {
      for (let path = 0; path < count; path += 1) paths[path]?.push(snapshot(x1, path));
    },
  });
  return paths;
}
