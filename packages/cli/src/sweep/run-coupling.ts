import { createPointCloud, createRandomGenerator, type PointCloud } from '@sinkflow/core';
import { createSinkhornProblem, type SinkhornSolution } from '@sinkflow/ot';
import { loadTask } from './load-task.js';
import { type RunSpec, sinkhornSettingsOfRun } from './sweep-config.js';

/** The metrics of one coupling run. */
export type CouplingMetrics = Readonly<Record<string, number | boolean | null>>;

/** A coupling run's metrics and the data behind them (the demo writes them to files). */
export interface CouplingRunOutput {
  readonly metrics: CouplingMetrics;
  readonly x: PointCloud;
  readonly y: PointCloud;
  readonly pairs: { readonly rows: Int32Array; readonly columns: Int32Array };
}

/**
 * One `coupling` run of a sweep: n source and n target points from the benchmark, the Sinkhorn
 * coupling at the run's target entropy (calibrated, [klein2025]) or relative epsilon, n pairs
 * sampled from it, and what the paper plots against E: the E reached, the Sinkhorn time per
 * example, the mean squared length of the sampled pairs, and, where the benchmark knows its Monge
 * map T0, how far the sampled partner `y_j` of `x_i` lies from `T0(x_i)` and how far the barycentric
 * projection of the coupling lies from T0. Independent pairs (the I-FM pairing) are measured the
 * same way as the reference.
 */
export async function runCoupling(
  spec: RunSpec,
  { onProgress }: { readonly onProgress?: (message: string) => void } = {},
): Promise<CouplingRunOutput> {
  const { benchmark, d, n, targetEntropy, seed } = spec.config;
  const task = await loadTask(benchmark, d, spec.config.options);
  const random = createRandomGenerator({ seed });
  const x = task.sampleSource(n, random.split(0));
  const y = task.sampleTarget(n, random.split(1));
  onProgress?.(`sampled ${n} source and ${n} target points from ${benchmark} (d = ${d})`);
  const problem = await createSinkhornProblem({ x, y, cost: 'dot' });
  try {
    const started = performance.now();
    let solution: SinkhornSolution;
    let solves = 1;
    if (targetEntropy !== null) {
      const result = await problem.solveForEntropy({ targetEntropy });
      solution = result.solution;
      solves = result.steps.length;
    } else {
      solution = await problem.solve(sinkhornSettingsOfRun(spec.config));
    }
    const sinkhornSeconds = (performance.now() - started) / 1000;
    onProgress?.(
      `coupling at E = ${solution.renormalizedEntropy.toFixed(3)} in ${sinkhornSeconds.toFixed(2)} s (${solves} solves)`,
    );
    const pairs = await problem.samplePairs({ potentials: solution, count: n, seed });
    // The I-FM pairing: each source point with an independent uniformly drawn target point.
    const independent = Int32Array.from({ length: n }, () => random.integer(n));
    const identity = Int32Array.from({ length: n }, (_, i) => i);
    const pairCost = meanHalfSquaredDistance(x, pairs.rows, y, pairs.columns);
    const independentPairCost = meanHalfSquaredDistance(x, identity, y, independent);
    let pairMapError: number | null = null;
    let independentPairMapError: number | null = null;
    let projectionError: number | null = null;
    if (task.transport !== undefined) {
      const images = task.transport(x);
      pairMapError = 2 * meanHalfSquaredDistance(images, pairs.rows, y, pairs.columns);
      independentPairMapError = 2 * meanHalfSquaredDistance(images, identity, y, independent);
      const rows = Int32Array.from({ length: Math.min(n, 1024) }, (_, i) => i);
      const projection = await problem.barycentricProjection({ potentials: solution, rows });
      projectionError =
        2 *
        meanHalfSquaredDistance(
          images,
          rows,
          createPointCloud(Float32Array.from(projection), { d }),
          rows,
        );
    }
    const metrics: CouplingMetrics = {
      renormalizedEntropy: solution.renormalizedEntropy,
      relativeEpsilon: solution.relativeEpsilon,
      epsilon: solution.epsilon,
      iterations: solution.iterations,
      converged: solution.converged,
      solves,
      sinkhornSeconds,
      sinkhornSecondsPerExample: sinkhornSeconds / n,
      transportCostSqEuclidean: solution.transportCostSqEuclidean,
      pairCost,
      independentPairCost,
      pairMapError,
      independentPairMapError,
      projectionError,
    };
    return { metrics, x, y, pairs };
  } finally {
    await problem.dispose();
  }
}

/** `(1/K) sum_k 1/2 ||a_{i_k} - b_{j_k}||^2` over paired rows. */
function meanHalfSquaredDistance(
  a: PointCloud,
  aRows: Int32Array,
  b: PointCloud,
  bRows: Int32Array,
): number {
  const d = a.d;
  let sum = 0;
  for (let k = 0; k < aRows.length; k += 1) {
    const i = aRows[k] as number;
    const j = bRows[k] as number;
    let squared = 0;
    for (let c = 0; c < d; c += 1) {
      const delta = (a.data[i * d + c] as number) - (b.data[j * d + c] as number);
      squared += delta * delta;
    }
    sum += 0.5 * squared;
  }
  return sum / aRows.length;
}
