import { ProtocolError } from '@sinkflow/core';
import {
  assignPointClouds,
  type CouplingPotentials,
  createSinkhornProblem,
  type SinkhornProblem,
  type ValidatedSinkhornSettings,
} from '@sinkflow/ot';

/**
 * The settings every solve of a task uses: ot's validated `SinkhornSettings` (validated in the
 * caller, by `validateSinkhornSettings`, before any task is posted) and the cost.
 */
export interface OtSolveSettings extends ValidatedSinkhornSettings {
  readonly cost: 'dot' | 'sqeuclidean';
}

/** What the worker (or the main thread) is asked to do. */
export type OtTask =
  | { readonly type: 'ping' }
  | {
      /** Solve a fresh coupling on (x, y) and sample `count` pairs from it. */
      readonly type: 'couple';
      readonly x: Float32Array;
      readonly y: Float32Array;
      readonly n: number;
      readonly d: number;
      readonly settings: OtSolveSettings;
      /**
       * Start of the entropy search; null: where the previous search ended (`nextSearchStart`),
       * or the settings' `initialRelativeEpsilon` for the first.
       */
      readonly initialRelativeEpsilon: number | null;
      readonly count: number;
      readonly seed: number;
    }
  | {
      /** The exact assignment of (x, y); pairs (i, sigma(i)) in row order. */
      readonly type: 'assign';
      readonly x: Float32Array;
      readonly y: Float32Array;
      readonly n: number;
      readonly d: number;
    }
  | {
      /** Prepare a large coupling and keep it: solve, or take given potentials. */
      readonly type: 'prepare';
      readonly key: string;
      readonly x: Float32Array;
      readonly y: Float32Array;
      readonly n: number;
      readonly d: number;
      readonly settings: OtSolveSettings;
      readonly initialRelativeEpsilon: number;
      readonly potentials: CouplingPotentials | null;
    }
  | {
      /** Sample `count` pairs from a prepared coupling. */
      readonly type: 'sample';
      readonly key: string;
      readonly count: number;
      readonly seed: number;
    }
  | { readonly type: 'release'; readonly key: string };

/** Numbers describing one solved coupling (the data of a `CouplingReport` without its chunk). */
export interface OtCouplingFacts {
  readonly n: number;
  readonly renormalizedEntropy: number;
  readonly relativeEpsilon: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly transportCostSqEuclidean: number;
  readonly seconds: number;
  readonly initialRelativeEpsilon: number;
}

/** The answer to an {@link OtTask}. */
export type OtTaskResult =
  | { readonly type: 'pong' }
  | {
      readonly type: 'pairs';
      readonly x0: Float32Array;
      readonly x1: Float32Array;
      readonly count: number;
      /** Facts of a fresh coupling; null when sampled from a prepared one. */
      readonly facts: OtCouplingFacts | null;
      /** Seconds spent sampling (and gathering) the pairs. */
      readonly samplingSeconds: number;
    }
  | {
      readonly type: 'prepared';
      readonly f: Float64Array;
      readonly g: Float64Array;
      readonly epsilon: number;
      readonly facts: OtCouplingFacts;
    }
  | { readonly type: 'released' };

/**
 * @internal Where the entropy search of the next fresh coupling starts, given where the previous
 * one ended: that relative epsilon, but never below the configured start. Consecutive couplings of
 * a training run have nearly the same relative epsilon, so starting there saves solves when it is
 * large; when it is small (sharp targets, E <= 0.1) the first solve at it is a cold solve at a
 * small epsilon, which takes about twice the iterations of descending to it from the configured
 * start with the search's warm-started loose solves (piecewise-affine, d = 16, E = 0.05: 520-630
 * iterations against 240-280 at n = 1024 and 4096; E = 0.6: 20 against 70).
 */
export function nextSearchStart(previous: number, configured: number): number {
  return Math.max(previous, configured);
}

/** What the executor keeps between tasks (prepared couplings, the last searched epsilon). */
export interface OtMemory {
  readonly problems: Map<
    string,
    {
      readonly problem: SinkhornProblem;
      readonly potentials: CouplingPotentials;
      readonly x: Float32Array;
      readonly y: Float32Array;
      readonly d: number;
    }
  >;
  lastRelativeEpsilon: number | null;
}

/**
 * @internal Runs one OT task. The OT worker (`ot-worker.ts`, its own module entry) and the
 * main-thread runner call this same function, so results do not depend on where the task ran.
 */
export async function executeOtTask(memory: OtMemory, task: OtTask): Promise<OtTaskResult> {
  const now = () => performance.now() / 1000;
  const gather = (
    source: Float32Array,
    indices: ArrayLike<number> | null,
    count: number,
    d: number,
  ): Float32Array => {
    const out = new Float32Array(count * d);
    for (let k = 0; k < count; k += 1) {
      const row = indices === null ? k : (indices[k] as number);
      out.set(source.subarray(row * d, row * d + d), k * d);
    }
    return out;
  };
  const solve = async (
    problem: SinkhornProblem,
    settings: OtSolveSettings,
    initialRelativeEpsilon: number,
  ) => {
    const { threshold, maxIterations, innerIterations, momentumStart } = settings;
    const solveOptions = { threshold, maxIterations, innerIterations, momentumStart };
    const started = now();
    if (settings.targetEntropy !== null) {
      const search = await problem.solveForEntropy({
        ...solveOptions,
        targetEntropy: settings.targetEntropy,
        entropyTolerance: settings.entropyTolerance,
        initialRelativeEpsilon,
        maxSolves: settings.maxSolves,
      });
      memory.lastRelativeEpsilon = search.solution.relativeEpsilon;
      let iterations = 0;
      for (const step of search.steps) iterations += step.iterations;
      return { solution: search.solution, iterations, seconds: now() - started };
    }
    const solution = await problem.solve({
      ...solveOptions,
      ...(settings.epsilon === null ? {} : { epsilon: settings.epsilon }),
    });
    return { solution, iterations: solution.iterations, seconds: solution.seconds };
  };
  switch (task.type) {
    case 'ping':
      return { type: 'pong' };
    case 'couple': {
      const { x, y, n, d, settings, count, seed } = task;
      const initial =
        task.initialRelativeEpsilon ??
        (memory.lastRelativeEpsilon === null
          ? settings.initialRelativeEpsilon
          : nextSearchStart(memory.lastRelativeEpsilon, settings.initialRelativeEpsilon));
      const problem = await createSinkhornProblem({
        x: { data: x, n, d },
        y: { data: y, n, d },
        cost: settings.cost,
      });
      try {
        const { solution, iterations, seconds } = await solve(problem, settings, initial);
        const sampleStarted = now();
        const pairs = await problem.samplePairs({ potentials: solution, count, seed });
        const x0 = gather(x, pairs.rows, count, d);
        const x1 = gather(y, pairs.columns, count, d);
        return {
          type: 'pairs',
          x0,
          x1,
          count,
          samplingSeconds: now() - sampleStarted,
          facts: {
            n,
            renormalizedEntropy: solution.renormalizedEntropy,
            relativeEpsilon: solution.relativeEpsilon,
            converged: solution.converged,
            iterations,
            transportCostSqEuclidean: solution.transportCostSqEuclidean,
            seconds,
            initialRelativeEpsilon: initial,
          },
        };
      } finally {
        await problem.dispose();
      }
    }
    case 'assign': {
      const { x, y, n, d } = task;
      const result = assignPointClouds({
        x: { data: x, n, d },
        y: { data: y, n, d },
        cost: 'sqeuclidean',
      });
      return {
        type: 'pairs',
        x0: gather(x, null, n, d),
        x1: gather(y, result.permutation, n, d),
        count: n,
        samplingSeconds: 0,
        facts: {
          n,
          renormalizedEntropy: 0,
          relativeEpsilon: 0,
          converged: true,
          iterations: 0,
          transportCostSqEuclidean: result.cost,
          seconds: result.seconds,
          initialRelativeEpsilon: 0,
        },
      };
    }
    case 'prepare': {
      const { key, x, y, n, d, settings, potentials } = task;
      const previous = memory.problems.get(key);
      if (previous !== undefined) {
        memory.problems.delete(key);
        await previous.problem.dispose();
      }
      const problem = await createSinkhornProblem({
        x: { data: x, n, d },
        y: { data: y, n, d },
        cost: settings.cost,
      });
      try {
        let kept: CouplingPotentials;
        let facts: OtCouplingFacts;
        if (potentials === null) {
          const { solution, iterations, seconds } = await solve(
            problem,
            settings,
            task.initialRelativeEpsilon,
          );
          kept = { f: solution.f, g: solution.g, epsilon: solution.epsilon };
          facts = {
            n,
            renormalizedEntropy: solution.renormalizedEntropy,
            relativeEpsilon: solution.relativeEpsilon,
            converged: solution.converged,
            iterations,
            transportCostSqEuclidean: solution.transportCostSqEuclidean,
            seconds,
            initialRelativeEpsilon: task.initialRelativeEpsilon,
          };
        } else {
          kept = potentials;
          const summary = await problem.summarize(potentials);
          facts = {
            n,
            renormalizedEntropy: summary.renormalizedEntropy,
            relativeEpsilon: potentials.epsilon / problem.geometry.costStd,
            converged: true,
            iterations: 0,
            transportCostSqEuclidean: summary.transportCostSqEuclidean,
            seconds: 0,
            initialRelativeEpsilon: task.initialRelativeEpsilon,
          };
        }
        memory.problems.set(key, { problem, potentials: kept, x, y, d });
        return {
          type: 'prepared',
          f: Float64Array.from(kept.f),
          g: Float64Array.from(kept.g),
          epsilon: kept.epsilon,
          facts,
        };
      } catch (error) {
        await problem.dispose();
        throw error;
      }
    }
    case 'sample': {
      const entry = memory.problems.get(task.key);
      if (entry === undefined) {
        throw new ProtocolError({
          channel: 'OT worker',
          message: `no prepared coupling '${task.key}'`,
        });
      }
      const started = now();
      const pairs = await entry.problem.samplePairs({
        potentials: entry.potentials,
        count: task.count,
        seed: task.seed,
      });
      return {
        type: 'pairs',
        x0: gather(entry.x, pairs.rows, task.count, entry.d),
        x1: gather(entry.y, pairs.columns, task.count, entry.d),
        count: task.count,
        facts: null,
        samplingSeconds: now() - started,
      };
    }
    case 'release': {
      const entry = memory.problems.get(task.key);
      memory.problems.delete(task.key);
      if (entry !== undefined) await entry.problem.dispose();
      return { type: 'released' };
    }
  }
}
