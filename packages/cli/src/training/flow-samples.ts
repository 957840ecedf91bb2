import { createRandomGenerator } from '@sinkflow/core';
import type { VelocityModel } from '@sinkflow/fm';
import type { FlowTask } from './flow-task.js';
import { flowTrajectories } from './flow-trajectories.js';

/** What the report draws of one trained flow, on the plane of the first two coordinates. */
export interface FlowPicture {
  /** Paths `t -> x_t` of 48 fresh source points (Euler, 20 steps), each point `[x1, x2]`. */
  readonly trajectories: number[][][];
  /** The flow's samples (the paths' ends of `count` source points) and as many target points. */
  readonly samples: { readonly generated: number[][]; readonly target: number[][] };
  /** True when the task has more than two dimensions (the figures show coordinates 1 and 2). */
  readonly projected: boolean;
}

/**
 * Samples of a trained flow against the target, and a few of its trajectories, on the first two
 * coordinates (the whole picture for 2-D tasks, a projection otherwise): the report's sample and
 * trajectory figures [klein2025, Fig. 1]. The source points come from `seed`, the target points
 * from `seed + 1`; coordinates are rounded to 4 decimals (the picture is stored as JSON).
 *
 * @example
 * ```ts
 * const picture = await flowPicture({ model, task, seed: 7 });
 * picture.samples.generated.length; // 256
 * ```
 */
export async function flowPicture({
  model,
  task,
  count = 256,
  seed,
}: {
  readonly model: VelocityModel;
  readonly task: FlowTask;
  /** @default 256 */
  readonly count?: number;
  readonly seed: number;
}): Promise<FlowPicture> {
  const plane = (point: readonly number[]) => [point[0] ?? 0, point[1] ?? 0];
  const paths = await flowTrajectories({ model, task, count, seed });
  const round = (value: number) => Math.round(value * 1e4) / 1e4;
  const target = await task.target.sample({
    count,
    random: createRandomGenerator({ seed: seed + 1 }),
  });
  const d = task.d;
  return {
    trajectories: paths.slice(0, 48).map((path) => path.map(plane)),
    samples: {
      generated: paths.map((path) => plane(path.at(-1) ?? [])),
      target: Array.from({ length: count }, (_, row) =>
        plane([round(target[row * d] ?? 0), round(d > 1 ? (target[row * d + 1] ?? 0) : 0)]),
      ),
    },
    projected: d > 2,
  };
}
