import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import type { ShardedReport } from '@sinkflow/distributed';
import type { KernelMode, SinkhornSolution } from '@sinkflow/ot';
import type { CloudFingerprint } from './cloud-fingerprint.js';

/** The whole entropy search of `solve --target-entropy`: every solve, not only the last one. */
export interface SearchReport {
  /** Sinkhorn solves run by the search. */
  readonly solves: number;
  /** Iterations summed over every solve. */
  readonly iterations: number;
  /** Wall-clock seconds of the whole search. */
  readonly seconds: number;
  /** Whether the renormalized entropy reached the target within the search's tolerance. */
  readonly reached: boolean;
}

/**
 * The JSON summary of `sinkflow solve` (docs/command-line.md, the command-line contract), also saved as
 * `solve.json` next to the potentials. JSON has no NaN: a quantity that is not finite (a diverged
 * solve) is `null`, and `diverged` says so.
 */
export interface SolveSummary {
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly cost: 'dot' | 'sqeuclidean';
  readonly epsilon: number;
  readonly relativeEpsilon: number;
  readonly costStd: number;
  /** Iterations of the solve whose potentials these are (see `search` for the whole search). */
  readonly iterations: number;
  readonly converged: boolean;
  /** True when the solve produced NaN or infinite errors, potentials or costs. */
  readonly diverged: boolean;
  readonly marginalError: number | null;
  readonly transportCost: number | null;
  readonly transportCostSqEuclidean: number | null;
  readonly regularizedCost: number | null;
  readonly entropy: number | null;
  readonly renormalizedEntropy: number | null;
  /** Wall-clock seconds of the solving: the whole search under `--target-entropy`. */
  readonly seconds: number;
  /**
   * Wall-clock seconds of the whole command up to its summary: reading the clouds, choosing the
   * backend (the `--backend auto` calibration, when it runs), preparing the kernel and solving.
   */
  readonly totalSeconds: number;
  /** Wall-clock seconds of the backend choice (the calibration, or reusing a kept one; 0 for a name). */
  readonly backendSeconds: number;
  readonly backend: string;
  /** Why that backend (with the calibration times behind `--backend auto`). */
  readonly backendReason: string;
  /** The kernel mode the solve ran in (ot's `KernelMode`). */
  readonly mode: KernelMode;
  readonly targetEntropy: number | null;
  /** The entropy search (solves, iterations, seconds, reached), or null without a target. */
  readonly search: SearchReport | null;
  readonly pcaComponents: number | null;
  /** Workers, timings and traffic of a sharded solve (`--nats`), else null. */
  readonly sharding: ShardedReport | null;
  /** What X and Y were: `sample` refuses potentials used with other clouds. */
  readonly fingerprints: { readonly x: CloudFingerprint; readonly y: CloudFingerprint };
}

/** A number, or null where it is NaN or infinite (JSON cannot hold those). */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** True when every entry of the potentials is finite. */
export function potentialsAreFinite(solution: Pick<SinkhornSolution, 'f' | 'g'>): boolean {
  return solution.f.every(Number.isFinite) && solution.g.every(Number.isFinite);
}

/**
 * The summary of a solution: every quantity the command line reports, non-finite ones as null,
 * and `diverged` true where the solver said so or where any potential or quantity is not finite.
 *
 * @example
 * ```ts
 * summarizeSolve({ solution, backendReason, totalSeconds: 6.2, backendSeconds: 0.1,
 *   targetEntropy: null, search: null, pcaComponents: null, sharding: null, fingerprints });
 * ```
 */
export function summarizeSolve({
  solution,
  backendReason,
  totalSeconds,
  backendSeconds,
  targetEntropy,
  search,
  pcaComponents,
  sharding,
  fingerprints,
}: {
  readonly solution: SinkhornSolution;
  readonly backendReason: string;
  readonly totalSeconds: number;
  readonly backendSeconds: number;
  readonly targetEntropy: number | null;
  readonly search: SearchReport | null;
  readonly pcaComponents: number | null;
  readonly sharding: ShardedReport | null;
  readonly fingerprints: SolveSummary['fingerprints'];
}): SolveSummary {
  const quantities = {
    marginalError: finiteOrNull(solution.marginalError),
    transportCost: finiteOrNull(solution.transportCost),
    transportCostSqEuclidean: finiteOrNull(solution.transportCostSqEuclidean),
    regularizedCost: finiteOrNull(solution.regularizedCost),
    entropy: finiteOrNull(solution.entropy),
    renormalizedEntropy: finiteOrNull(solution.renormalizedEntropy),
  };
  const diverged =
    solution.diverged ||
    !potentialsAreFinite(solution) ||
    Object.values(quantities).some((value) => value === null);
  return {
    n: solution.n,
    m: solution.m,
    d: solution.d,
    cost: solution.cost,
    epsilon: solution.epsilon,
    relativeEpsilon: solution.relativeEpsilon,
    costStd: solution.costStd,
    iterations: solution.iterations,
    converged: solution.converged && !diverged,
    diverged,
    ...quantities,
    seconds: search?.seconds ?? solution.seconds,
    totalSeconds,
    backendSeconds,
    backend: solution.backend,
    backendReason,
    mode: solution.mode,
    targetEntropy,
    search,
    pcaComponents,
    sharding,
    fingerprints,
  };
}

/**
 * Reads `DIR/solve.json` for `sample` and checks that its potentials can be used: a positive
 * epsilon and a cost, not from a diverged solve, and cloud fingerprints to compare against.
 *
 * @throws {@link InvalidArgumentError} naming `flag` (`--potentials`) with the reason.
 */
export async function readSolveRecord(
  command: string,
  flag: string,
  directory: string,
): Promise<SolveSummary> {
  const path = join(directory, 'solve.json');
  const fail = (message: string): never => {
    throw new InvalidArgumentError({
      functionName: `sinkflow ${command}`,
      argumentName: flag,
      message,
    });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    fail(
      `cannot read ${path} (${error instanceof Error ? error.message : String(error)}); run 'sinkflow solve --save-potentials DIR' first`,
    );
  }
  const summary = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<
    Record<keyof SolveSummary, unknown>
  >;
  if (
    typeof summary.epsilon !== 'number' ||
    !(summary.epsilon > 0) ||
    !Number.isFinite(summary.epsilon) ||
    (summary.cost !== 'dot' && summary.cost !== 'sqeuclidean')
  ) {
    fail(`${path} lacks a positive epsilon and a cost`);
  }
  if (summary.diverged === true) {
    fail(
      `${path} records a diverged solve (marginal error ${String(summary.marginalError)}); its potentials cannot be sampled, solve again with a larger epsilon`,
    );
  }
  const fingerprints = summary.fingerprints as Partial<SolveSummary['fingerprints']> | undefined;
  if (
    typeof fingerprints !== 'object' ||
    fingerprints === null ||
    !fingerprints.x ||
    !fingerprints.y
  ) {
    fail(
      `${path} has no fingerprints of X and Y (saved by an older sinkflow); solve again with --save-potentials`,
    );
  }
  return summary as unknown as SolveSummary;
}
