import { createRandomGenerator, InvalidArgumentError, requireInteger } from '@sinkflow/core';
import type { DistributionSampler } from '../data/distribution-sampler.js';
import { drawPoints, requireSampler, streamSeed } from '../data/draw-points.js';
import type { CouplingReport, PairSource, PairSourceKind } from '../pairs/pair-source.js';
import type { PairChunk } from './chunked-pair-stream.js';
import { createOtRunner, type OtRunner } from './ot-runner.js';
import {
  nextSearchStart,
  type OtCouplingFacts,
  type OtSolveSettings,
  type OtTask,
} from './ot-task.js';
import { createStreamPairSource } from './stream-pair-source.js';

/** @internal The options shared by the sources that solve one coupling per chunk. */
export interface FreshCouplingOptions {
  readonly source: DistributionSampler;
  readonly target: DistributionSampler;
  readonly couplingSize: number;
  readonly pairsPerCoupling: number;
  readonly runOn: 'worker' | 'main-thread';
  readonly prefetch: number;
  readonly seed: number;
}

/**
 * @internal A source whose chunk `k` is a fresh coupling: `n` points from each side (streams
 * `split(3k)` and `split(3k + 1)` of the root seed), an OT task on the runner (Sinkhorn and
 * sampling with the seed drawn from `split(3k + 2)`, or the exact assignment), pairs gathered.
 */
export function createFreshCouplingSource(
  kind: Extract<PairSourceKind, 'batch-ot' | 'exact'>,
  options: FreshCouplingOptions,
  {
    functionName,
    settings,
    initialRelativeEpsilon,
  }: {
    readonly functionName: string;
    readonly settings: OtSolveSettings | null;
    readonly initialRelativeEpsilon: number;
  },
): PairSource {
  const { source, target, couplingSize: n, pairsPerCoupling, runOn, prefetch, seed } = options;
  const { d } = requireSampler(source, { functionName, argumentName: 'source' });
  requireSampler(target, { d, functionName, argumentName: 'target' });
  requireInteger(n, { functionName, argumentName: 'couplingSize', minimum: 1 });
  requireInteger(pairsPerCoupling, { functionName, argumentName: 'pairsPerCoupling', minimum: 1 });
  if (kind === 'exact' && pairsPerCoupling !== n) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'pairsPerCoupling',
      message: `an assignment gives exactly couplingSize = ${n} pairs`,
      value: pairsPerCoupling,
    });
  }
  requireInteger(prefetch, { functionName, argumentName: 'prefetch', minimum: 0 });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  if (runOn !== 'worker' && runOn !== 'main-thread') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'runOn',
      message: "must be 'worker' or 'main-thread'",
      value: runOn,
    });
  }
  const root = createRandomGenerator({ seed });
  let runner: OtRunner | null = null;
  // The start of the entropy search for the next submitted coupling: explicit for the first
  // coupling after a start, then the previous search's result (kept by the runner).
  let nextInitial: number | null = initialRelativeEpsilon;
  let currentInitial = initialRelativeEpsilon;
  // The last chunk entered and where its search ended: the start of the next chunk's search. A
  // checkpoint taken when the position has moved past that chunk (its last pair used) saves this
  // start, not the entered chunk's own, so a resumed run solves the next chunk as the original did.
  let entered: { readonly index: number; readonly nextInitial: number } | null = null;
  const initials = new Map<number, { readonly initial: number; readonly result: number }>();

  const toReport = (index: number, facts: OtCouplingFacts): CouplingReport => ({
    chunk: index,
    n: facts.n,
    renormalizedEntropy: facts.renormalizedEntropy,
    relativeEpsilon: facts.relativeEpsilon,
    converged: facts.converged,
    iterations: facts.iterations,
    transportCostSqEuclidean: facts.transportCostSqEuclidean,
    seconds: facts.seconds,
    secondsPerExample: facts.seconds / facts.n,
  });

  return createStreamPairSource({
    kind,
    d,
    functionName,
    prefetch,
    async prepare(state, statistics) {
      if (runner === null) runner = await createOtRunner({ runOn });
      statistics.execution = runner.execution;
      statistics.executionNote = runner.note;
      const saved = state?.extra.initialRelativeEpsilon;
      nextInitial = typeof saved === 'number' ? saved : initialRelativeEpsilon;
      currentInitial = nextInitial;
      entered = null;
      initials.clear();
    },
    async submit(index) {
      const active = runner as OtRunner;
      const x = await drawPoints(source, {
        count: n,
        random: root.split(3 * index),
        d,
        functionName,
        argumentName: 'source',
      });
      const y = await drawPoints(target, {
        count: n,
        random: root.split(3 * index + 1),
        d,
        functionName,
        argumentName: 'target',
      });
      const task: OtTask =
        settings === null
          ? { type: 'assign', x, y, n, d }
          : {
              type: 'couple',
              x,
              y,
              n,
              d,
              settings,
              initialRelativeEpsilon: nextInitial,
              count: pairsPerCoupling,
              seed: streamSeed(root.split(3 * index + 2)),
            };
      nextInitial = null;
      const result = active.run(task, [x.buffer as ArrayBuffer, y.buffer as ArrayBuffer]);
      return {
        result: result.then((answer): PairChunk => {
          if (answer.type !== 'pairs' || answer.facts === null) {
            throw new InvalidArgumentError({
              functionName,
              argumentName: 'task',
              message: `unexpected answer '${answer.type}' from the OT runner`,
            });
          }
          initials.set(index, {
            initial: answer.facts.initialRelativeEpsilon,
            result: answer.facts.relativeEpsilon,
          });
          return {
            x0: answer.x0,
            x1: answer.x1,
            count: answer.count,
            coupling: toReport(index, answer.facts),
            samplingSeconds: answer.samplingSeconds,
          };
        }),
      };
    },
    entered(index) {
      const facts = initials.get(index);
      if (facts !== undefined) {
        currentInitial = facts.initial;
        entered = { index, nextInitial: nextSearchStart(facts.result, initialRelativeEpsilon) };
      }
      initials.delete(index);
    },
    saveExtra: (position) => {
      const extra: Record<string, number> = {};
      if (settings !== null && settings.targetEntropy !== null) {
        extra.initialRelativeEpsilon =
          entered !== null && position.chunk > entered.index ? entered.nextInitial : currentInitial;
      }
      return { extra, arrays: {} };
    },
    async dispose() {
      await runner?.dispose();
      runner = null;
    },
  });
}
