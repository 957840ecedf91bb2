import { createPointCloud, InvalidArgumentError } from '@sinkflow/core';
import type { DistributionSampler, TransportMap } from '@sinkflow/fm';
import type { PointMap } from '@sinkflow/metrics';
import { loadTask } from '../sweep/load-task.js';

/**
 * A benchmark seen from flow matching: the source `mu_0` and target `mu_1` as samplers of
 * `@sinkflow/fm`, and the benchmark's Monge map `T0` (when known) both as a pair-source map (for
 * the supervised reference) and as a metric's `PointMap` (for reconstruction).
 */
export interface FlowTask {
  readonly name: string;
  readonly d: number;
  readonly source: DistributionSampler;
  readonly target: DistributionSampler;
  /** `T0` on float32 batches, for `createSupervisedPairSource`; undefined when unknown. */
  readonly map: TransportMap | undefined;
  /** `T0` on float64 batches, for `reconstruction`; undefined when unknown. */
  readonly referenceMap: PointMap | undefined;
}

/**
 * Loads the benchmark `name` at dimension `d` (see `loadTask`; `options.benchmarkSeed`) as a
 * {@link FlowTask}.
 *
 * @throws {@link InvalidArgumentError} naming `argumentName` for an unknown benchmark.
 */
export async function loadFlowTask({
  name,
  d,
  options = {},
  argumentName = 'benchmark',
  functionName = 'loadFlowTask',
}: {
  readonly name: string;
  readonly d: number;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly argumentName?: string;
  readonly functionName?: string;
}): Promise<FlowTask> {
  let task: Awaited<ReturnType<typeof loadTask>>;
  try {
    task = await loadTask(name, d, options);
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error;
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: error.message
        .replace(/^.*?invalid argument '[^']+': /, '')
        .replace(/ \(received .*\)$/, ''),
      value: name,
    });
  }
  const transport = task.transport;
  const toFloat32 = (data: Float32Array | Float64Array): Float32Array =>
    data instanceof Float32Array ? data : Float32Array.from(data);
  return {
    name,
    d: task.d,
    source: {
      d: task.d,
      sample: ({ count, random }) => toFloat32(task.sampleSource(count, random).data),
    },
    target: {
      d: task.d,
      sample: ({ count, random }) => toFloat32(task.sampleTarget(count, random).data),
    },
    map:
      transport === undefined
        ? undefined
        : ({ x }) => toFloat32(transport(createPointCloud(x, { d: task.d })).data),
    referenceMap:
      transport === undefined
        ? undefined
        : (x) => transport(createPointCloud(x, { d: task.d })).data,
  };
}
