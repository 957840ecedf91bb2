import {
  createCheckerboardBenchmark,
  createCirclesBenchmark,
  createEightGaussiansBenchmark,
  createMoonsBenchmark,
  createPiecewiseAffineBenchmark,
  createSwissRollBenchmark,
} from '@sinkflow/benchmarks';
import { createPointCloud, createRandomGenerator } from '@sinkflow/core';

/** A 2-D cloud as the page keeps it: `n` points, row-major float32. */
export interface Cloud {
  readonly data: Float32Array;
  readonly n: number;
}

/** The clouds a side can show: the 2-D toys, the standard Gaussian, the clicked points. */
export const SOURCE_CHOICES = {
  gaussian: 'N(0, I)',
  '8gaussians': '8 Gaussians',
  moons: 'two moons',
  checkerboard: 'checkerboard',
  circles: 'circles',
  swissroll: 'swiss roll',
  clicked: 'clicked points',
} as const;

/** The target side adds the piecewise-affine map of the source cloud. */
export const TARGET_CHOICES = {
  ...SOURCE_CHOICES,
  'piecewise-affine': 'piecewise-affine map T(source)',
} as const;

export type CloudChoice = keyof typeof TARGET_CHOICES;

const toys = {
  '8gaussians': createEightGaussiansBenchmark,
  moons: createMoonsBenchmark,
  checkerboard: createCheckerboardBenchmark,
  circles: createCirclesBenchmark,
  swissroll: createSwissRollBenchmark,
} as const;

function toFloat32(data: ArrayLike<number>): Float32Array {
  return Float32Array.from(data);
}

/**
 * `count` points of a toy data set of `@sinkflow/benchmarks` (seeded, so a choice always shows the
 * same cloud), the standard Gaussian, or the piecewise-affine map `T(source)` of the given source.
 */
export function makeCloud(
  choice: CloudChoice,
  count: number,
  { seed, source, clicked }: { seed: number; source?: Cloud; clicked: readonly number[] },
): Cloud {
  const random = createRandomGenerator({ seed });
  if (choice === 'clicked') return { data: toFloat32(clicked), n: clicked.length / 2 };
  if (choice === 'gaussian') {
    const cloud = createMoonsBenchmark().sampleSource(count, random);
    return { data: toFloat32(cloud.data), n: cloud.n };
  }
  if (choice === 'piecewise-affine') {
    const from = source ?? makeCloud('gaussian', count, { seed: seed + 1, clicked });
    const map = createPiecewiseAffineBenchmark({ d: 2 });
    const image = map.transport(createPointCloud(from.data, { d: 2, n: from.n }));
    return { data: toFloat32(image.data), n: image.n };
  }
  const cloud = toys[choice]().sampleTarget(count, random);
  return { data: toFloat32(cloud.data), n: cloud.n };
}
