import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readNpyFile, writeNpyFile } from '@sinkflow/core/node';
import { createSinkhornProblem, type SinkhornProgress } from '@sinkflow/ot';
import { readJsonIfPresent } from '../sweep/run-files.js';

/** How one coupling of the study is solved and sampled. */
export interface ImageCouplingSettings {
  /** Points per side. */
  readonly n: number;
  /** The renormalized entropy to reach [klein2025]. */
  readonly targetEntropy: number;
  /** Principal components of the cost (`undefined`: the full 784 pixels). */
  readonly pcaComponents: number | undefined;
  /** Exact pairs drawn from the coupling for training. */
  readonly pairs: number;
  /** Seed of the pair draws. */
  readonly seed: number;
}

/** What the coupling's `coupling.json` records. */
export interface ImageCouplingFacts {
  readonly settings: ImageCouplingSettings;
  /** E of the solution (null only if the search made no solve). */
  readonly renormalizedEntropy: number | null;
  readonly relativeEpsilon: number | null;
  readonly reached: boolean;
  readonly converged: boolean;
  readonly solves: number;
  readonly iterations: number;
  readonly backend: string;
  readonly mode: string;
  readonly modeReason: string;
  /** Seconds of the entropy search (all solves, PCA and kernel preparation included). */
  readonly solveSeconds: number;
  /** Seconds drawing the pairs. */
  readonly samplingSeconds: number;
  /** `solveSeconds / n`: the paper's Sinkhorn cost per example [klein2025]. */
  readonly secondsPerExample: number;
}

/**
 * The coupling of `n` noise rows `x0` and `n` image rows `x1` at a renormalized entropy, with the
 * paper's cost `C = -<x0, x1>` [klein2025] (on `pcaComponents` principal components when given),
 * solved once by `solveForEntropy` of `@sinkflow/ot` (kernel mode `auto` under
 * `memoryBudgetBytes`: dense, half-precision dense16 or online) and sampled into `pairs` exact
 * pairs `(i, j) ~ P`. Saved in `directory` (rows.npy, columns.npy, coupling.json, written to a
 * temporary folder then renamed): a later call with the same settings loads them instead.
 *
 * @example
 * ```ts
 * const { rows, columns, facts } = await loadOrSolveImageCoupling({ directory, x0, x1, d: 784, settings });
 * facts.renormalizedEntropy; // about settings.targetEntropy
 * ```
 */
export async function loadOrSolveImageCoupling({
  directory,
  x0,
  x1,
  d,
  settings,
  memoryBudgetBytes,
  onProgress,
}: {
  readonly directory: string;
  readonly x0: Float32Array;
  readonly x1: Float32Array;
  readonly d: number;
  readonly settings: ImageCouplingSettings;
  readonly memoryBudgetBytes?: number | undefined;
  readonly onProgress?: (progress: SinkhornProgress) => void;
}): Promise<{
  readonly rows: Int32Array;
  readonly columns: Int32Array;
  readonly facts: ImageCouplingFacts;
  readonly loaded: boolean;
}> {
  const saved = await readJsonIfPresent<ImageCouplingFacts>(join(directory, 'coupling.json'));
  if (saved !== null && JSON.stringify(saved.settings) === JSON.stringify(settings)) {
    const rows = (await readNpyFile(join(directory, 'rows.npy'))).data as Int32Array;
    const columns = (await readNpyFile(join(directory, 'columns.npy'))).data as Int32Array;
    return { rows, columns, facts: saved, loaded: true };
  }
  const { n, targetEntropy, pcaComponents, pairs, seed } = settings;
  const started = performance.now();
  const problem = await createSinkhornProblem({
    x: { data: x0, n, d },
    y: { data: x1, n, d },
    cost: 'dot',
    ...(pcaComponents === undefined ? {} : { pcaComponents }),
    ...(memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes }),
  });
  try {
    const search = await problem.solveForEntropy({
      targetEntropy,
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    const solveSeconds = (performance.now() - started) / 1000;
    const sampling = performance.now();
    const drawn = await problem.samplePairs({ potentials: search.solution, count: pairs, seed });
    const samplingSeconds = (performance.now() - sampling) / 1000;
    // The answer is the converged step closest to the target (see EntropySolveResult.solution).
    const answer =
      search.steps
        .filter((step) => step.converged)
        .sort(
          (p, q) =>
            Math.abs(p.renormalizedEntropy - targetEntropy) -
            Math.abs(q.renormalizedEntropy - targetEntropy),
        )[0] ?? search.steps.at(-1);
    const facts: ImageCouplingFacts = {
      settings,
      renormalizedEntropy: answer?.renormalizedEntropy ?? null,
      relativeEpsilon: answer?.relativeEpsilon ?? null,
      reached: search.reached,
      converged: search.solution.converged,
      solves: search.search.solves,
      iterations: search.search.iterations,
      backend: problem.backend,
      mode: problem.mode,
      modeReason: problem.modeReason,
      solveSeconds,
      samplingSeconds,
      secondsPerExample: solveSeconds / n,
    };
    const temporary = `${directory}.tmp-${process.pid}`;
    await rm(temporary, { recursive: true, force: true });
    await mkdir(temporary, { recursive: true });
    await writeNpyFile(join(temporary, 'rows.npy'), {
      dtype: 'int32',
      shape: [pairs],
      data: drawn.rows,
    });
    await writeNpyFile(join(temporary, 'columns.npy'), {
      dtype: 'int32',
      shape: [pairs],
      data: drawn.columns,
    });
    await writeFile(join(temporary, 'coupling.json'), `${JSON.stringify(facts, null, 2)}\n`);
    await rm(directory, { recursive: true, force: true });
    await rename(temporary, directory);
    return { rows: drawn.rows, columns: drawn.columns, facts, loaded: false };
  } finally {
    await problem.dispose();
  }
}
