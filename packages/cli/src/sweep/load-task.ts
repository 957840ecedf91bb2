import { BENCHMARK_NAMES, type BenchmarkName } from '@sinkflow/benchmarks';
import { createBenchmark } from '@sinkflow/benchmarks/node';
import { InvalidArgumentError, type PointCloud, type RandomGenerator } from '@sinkflow/core';

/** What a run needs from a benchmark: samplers and, where known, the Monge map T0. */
export interface RunTask {
  readonly d: number;
  sampleSource(n: number, random: RandomGenerator): PointCloud;
  sampleTarget(n: number, random: RandomGenerator): PointCloud;
  readonly transport?: ((x: PointCloud) => PointCloud) | undefined;
}

/** The environment variable naming the W2 benchmark's checkpoints folder (`Mix3toMix10`). */
export const W2_CHECKPOINTS_ENV = 'SINKFLOW_W2_CHECKPOINTS';

/**
 * The benchmark `name` at dimension `d` (from `@sinkflow/benchmarks`; benchmark seed and the W2
 * checkpoints folder from the run's options `benchmarkSeed` and `checkpoints`, the folder else
 * from {@link W2_CHECKPOINTS_ENV}), as a {@link RunTask}.
 */
export async function loadTask(
  name: string,
  d: number,
  options: Readonly<Record<string, unknown>>,
): Promise<RunTask> {
  if (!(BENCHMARK_NAMES as readonly string[]).includes(name)) {
    throw new InvalidArgumentError({
      functionName: 'loadTask',
      argumentName: 'benchmark',
      message: `must be one of ${BENCHMARK_NAMES.join(', ')}`,
      value: name,
    });
  }
  const benchmarkSeed = typeof options.benchmarkSeed === 'number' ? options.benchmarkSeed : 0;
  // The W2 checkpoints' folder: the run's option, else the environment (so that a committed sweep
  // config names no machine's path and its runs' ids do not depend on one).
  const checkpointsDirectory =
    typeof options.checkpoints === 'string'
      ? options.checkpoints
      : process.env[W2_CHECKPOINTS_ENV] || undefined;
  if (name === 'w2-mix3to10' && checkpointsDirectory === undefined) {
    throw new InvalidArgumentError({
      functionName: 'loadTask',
      argumentName: 'options.checkpoints',
      message: `w2-mix3to10 needs the folder of the published Mix3toMix10 .pt files [korotin2021]: set ${W2_CHECKPOINTS_ENV} to that folder (a sweep may give options.checkpoints instead)`,
    });
  }
  const benchmark = await createBenchmark({
    name: name as BenchmarkName,
    d,
    benchmarkSeed,
    checkpointsDirectory,
  });
  return {
    d: benchmark.d,
    sampleSource: (n, random) => benchmark.sampleSource(n, random),
    sampleTarget: (n, random) => benchmark.sampleTarget(n, random),
    transport: benchmark.groundTruth === 'brenier-map' ? (x) => benchmark.transport(x) : undefined,
  };
}
