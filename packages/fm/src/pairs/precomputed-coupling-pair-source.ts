import { createRandomGenerator, InvalidArgumentError, requireInteger } from '@sinkflow/core';
import type { DistributionSampler } from '../data/distribution-sampler.js';
import { drawPoints, requireSampler, streamSeed } from '../data/draw-points.js';
import { createOtRunner, type OtRunner } from '../internal/ot-runner.js';
import type { OtCouplingFacts } from '../internal/ot-task.js';
import { createStreamPairSource } from '../internal/stream-pair-source.js';
import type { CouplingReport, PairSource, PairSourceState } from './pair-source.js';
import { type SinkhornPairOptions, sinkhornSettings } from './sinkhorn-pair-options.js';

/** Options of {@link createPrecomputedCouplingPairSource}. */
export interface PrecomputedCouplingPairSourceOptions extends SinkhornPairOptions {
  /** `mu_0`, the noise. */
  readonly source: DistributionSampler;
  /** `mu_1`, the data (same dimension). */
  readonly target: DistributionSampler;
  /** `N`: points per side of the one large coupling. */
  readonly couplingSize: number;
  /** Pairs sampled per draw (one chunk of the stream). @default 2048 */
  readonly samplesPerChunk?: number;
  /** Where the solve and the sampling run (see {@link BatchOtPairSourceOptions.runOn}). @default 'worker' */
  readonly runOn?: 'worker' | 'main-thread';
  /** Draws prepared ahead of the one being consumed. @default 1 */
  readonly prefetch?: number;
  /**
   * Root seed: the `N` points come from the streams `split(0)` and `split(1)`, the sampling seed
   * of chunk `k` from `split(k + 2)`. @default 0
   */
  readonly seed?: number;
}

/**
 * One large coupling, paid once before training [klein2025]: `X_0 ~ mu_0^N`, `X_1 ~ mu_1^N`,
 * Sinkhorn once (epsilon relative or for a target entropy), the potentials `(f, g)` kept; then
 * every chunk is `samplesPerChunk` exact pairs `(i, j) ~ P_ij = exp((f_i + g_j - C_ij) / eps)`
 * (Gumbel-max over the row, P never formed), with a fresh seed per chunk. The solve happens in
 * `start()`; sampling runs in the worker ahead of training.
 *
 * Checkpoints keep the potentials (`state.arrays.f`, `g`): resuming re-draws the same `N` points
 * from the seed and does not solve again.
 *
 * @throws {@link InvalidArgumentError} naming the option.
 * @example
 * ```ts
 * const pairs = createPrecomputedCouplingPairSource({
 *   source: standardNormalSampler({ d: 32 }), target: data, couplingSize: 65536, targetEntropy: 0.1,
 * });
 * await pairs.start(); // solves once
 * pairs.statistics().otSecondsPerExample; // the one solve's seconds / N
 * ```
 */
export function createPrecomputedCouplingPairSource({
  source,
  target,
  couplingSize: n,
  samplesPerChunk = 2048,
  runOn = 'worker',
  prefetch = 1,
  seed = 0,
  ...sinkhorn
}: PrecomputedCouplingPairSourceOptions): PairSource {
  const functionName = 'createPrecomputedCouplingPairSource';
  const { d } = requireSampler(source, { functionName, argumentName: 'source' });
  requireSampler(target, { d, functionName, argumentName: 'target' });
  requireInteger(n, { functionName, argumentName: 'couplingSize', minimum: 1 });
  requireInteger(samplesPerChunk, { functionName, argumentName: 'samplesPerChunk', minimum: 1 });
  requireInteger(prefetch, { functionName, argumentName: 'prefetch', minimum: 0 });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  const settings = sinkhornSettings(sinkhorn, functionName);
  const root = createRandomGenerator({ seed });
  const key = 'precomputed';
  let runner: OtRunner | null = null;
  let potentials: { f: Float64Array; g: Float64Array; epsilon: number } | null = null;
  let report: CouplingReport | null = null;

  const reportOf = (facts: OtCouplingFacts): CouplingReport => ({
    chunk: 0,
    n,
    renormalizedEntropy: facts.renormalizedEntropy,
    relativeEpsilon: facts.relativeEpsilon,
    converged: facts.converged,
    iterations: facts.iterations,
    transportCostSqEuclidean: facts.transportCostSqEuclidean,
    seconds: facts.seconds,
    secondsPerExample: facts.seconds / n,
  });

  const prepare = async (state: PairSourceState | undefined) => {
    const active = runner ?? (await createOtRunner({ runOn }));
    runner = active;
    const saved = state === undefined ? null : savedPotentials(state, n, functionName);
    if (potentials !== null && (saved === null || samePotentials(saved, potentials))) return;
    const x = await drawPoints(source, {
      count: n,
      random: root.split(0),
      d,
      functionName,
      argumentName: 'source',
    });
    const y = await drawPoints(target, {
      count: n,
      random: root.split(1),
      d,
      functionName,
      argumentName: 'target',
    });
    const answer = await active.run(
      {
        type: 'prepare',
        key,
        x,
        y,
        n,
        d,
        settings,
        initialRelativeEpsilon: settings.initialRelativeEpsilon,
        potentials: saved?.potentials ?? null,
      },
      [x.buffer as ArrayBuffer, y.buffer as ArrayBuffer],
    );
    if (answer.type !== 'prepared') {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'task',
        message: `unexpected answer '${answer.type}' from the OT runner`,
      });
    }
    potentials = { f: answer.f, g: answer.g, epsilon: answer.epsilon };
    // A restored coupling keeps the facts of its original solve (seconds, iterations, E).
    report = saved?.report ?? reportOf(answer.facts);
  };

  return createStreamPairSource({
    kind: 'precomputed',
    d,
    functionName,
    prefetch,
    async prepare(state, statistics) {
      await prepare(state);
      const active = runner as OtRunner;
      statistics.execution = active.execution;
      statistics.executionNote = active.note;
      statistics.addCoupling(report as CouplingReport);
    },
    async submit(index) {
      const result = (runner as OtRunner).run({
        type: 'sample',
        key,
        count: samplesPerChunk,
        seed: streamSeed(root.split(index + 2)),
      });
      return {
        result: result.then((answer) => {
          if (answer.type !== 'pairs') {
            throw new InvalidArgumentError({
              functionName,
              argumentName: 'task',
              message: `unexpected answer '${answer.type}' from the OT runner`,
            });
          }
          return {
            x0: answer.x0,
            x1: answer.x1,
            count: answer.count,
            coupling: null,
            samplingSeconds: answer.samplingSeconds,
          };
        }),
      };
    },
    saveExtra() {
      const facts = report as CouplingReport;
      const kept = potentials as { f: Float64Array; g: Float64Array; epsilon: number };
      return {
        extra: {
          epsilon: kept.epsilon,
          renormalizedEntropy: facts.renormalizedEntropy,
          relativeEpsilon: facts.relativeEpsilon,
          converged: facts.converged,
          iterations: facts.iterations,
          transportCostSqEuclidean: facts.transportCostSqEuclidean,
          seconds: facts.seconds,
        },
        arrays: { f: kept.f, g: kept.g },
      };
    },
    async dispose() {
      await runner?.dispose();
      runner = null;
      potentials = null;
    },
  });
}

function savedPotentials(
  state: PairSourceState,
  n: number,
  functionName: string,
): {
  readonly potentials: { f: Float64Array; g: Float64Array; epsilon: number };
  readonly report: CouplingReport;
} {
  const { f, g } = state.arrays;
  const number = (name: string): number => {
    const value = state.extra[name];
    if (typeof value !== 'number') {
      throw new InvalidArgumentError({
        functionName: `${functionName}.start`,
        argumentName: `state.extra.${name}`,
        message: 'must be a number',
        value,
      });
    }
    return value;
  };
  if (
    !(f instanceof Float64Array) ||
    !(g instanceof Float64Array) ||
    f.length !== n ||
    g.length !== n
  ) {
    throw new InvalidArgumentError({
      functionName: `${functionName}.start`,
      argumentName: 'state.arrays',
      message: `must hold the potentials f and g (Float64Array of length ${n})`,
    });
  }
  const seconds = number('seconds');
  return {
    potentials: { f, g, epsilon: number('epsilon') },
    report: {
      chunk: 0,
      n,
      renormalizedEntropy: number('renormalizedEntropy'),
      relativeEpsilon: number('relativeEpsilon'),
      converged: state.extra.converged === true,
      iterations: number('iterations'),
      transportCostSqEuclidean: number('transportCostSqEuclidean'),
      seconds,
      secondsPerExample: seconds / n,
    },
  };
}

function samePotentials(
  saved: { readonly potentials: { f: Float64Array; g: Float64Array; epsilon: number } },
  current: { f: Float64Array; g: Float64Array; epsilon: number },
): boolean {
  const { f, g, epsilon } = saved.potentials;
  return (
    epsilon === current.epsilon &&
    f.every((value, index) => value === current.f[index]) &&
    g.every((value, index) => value === current.g[index])
  );
}
