import { createRandomGenerator, requireInteger } from '@sinkflow/core';
import { checkRowIndices } from '../backend/check-requests.js';
import { type PreparedProblem, reducePotentials } from '../problem/prepared-problem.js';
import type { CouplingPotentials } from '../solver/sinkhorn-solution.js';

/** Index pairs `(i, j)` drawn from a coupling. */
export interface SampledPairs {
  /** `i`, drawn from the row marginal `a`. */
  readonly rows: Int32Array;
  /** `j`, drawn from row `i` of P: `P(j | i) = P_ij / sum_j P_ij`. */
  readonly columns: Int32Array;
}

/**
 * @internal Exact sampling of `count` pairs from `P = exp((f + g - C) / eps)` without forming P
 * [klein2025, Sec. 3]: rows `i ~ a` from the sequential generator seeded with `seed`, then the
 * column of sample `s` by Gumbel-max over the row, `argmax_j (g~_j + K_ij) / eps + G(seed, i, j, s)`,
 * with the counter-based Gumbel noise keyed by the sample index `s` [gumbel1954]. The result
 * depends only on (potentials, count, seed): not on the backend's blocks or threads.
 */
export async function samplePairsPrepared(
  problem: PreparedProblem,
  {
    potentials,
    count,
    seed,
  }: { readonly potentials: CouplingPotentials; readonly count: number; readonly seed: number },
  functionName: string,
): Promise<SampledPairs> {
  requireInteger(count, { functionName, argumentName: 'count', minimum: 0, maximum: 2 ** 32 - 1 });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  const reduced = reducePotentials(problem, potentials, functionName);
  const rows = drawRows(problem.geometry.a, problem.geometry.uniformWeights, count, seed);
  const draws = Uint32Array.from({ length: count }, (_, s) => s);
  const columns = new Int32Array(count);
  await problem.kernel.sampleColumns({
    rows,
    draws,
    columnPotentials: reduced.g,
    epsilon: reduced.epsilon,
    seed,
    out: columns,
  });
  return { rows, columns };
}

/**
 * @internal `samplesPerRow` columns for each given row: sample `t` of row `i` uses the noise
 * `G(seed, i, j, t)`, so a row's samples do not depend on which other rows are asked for.
 * Returns a `rows.length x samplesPerRow` row-major array of column indices.
 */
export async function sampleColumnsForRowsPrepared(
  problem: PreparedProblem,
  {
    potentials,
    rows,
    samplesPerRow = 1,
    seed,
  }: {
    readonly potentials: CouplingPotentials;
    readonly rows: Int32Array;
    readonly samplesPerRow?: number;
    readonly seed: number;
  },
  functionName: string,
): Promise<Int32Array> {
  requireInteger(samplesPerRow, { functionName, argumentName: 'samplesPerRow', minimum: 1 });
  requireInteger(seed, { functionName, argumentName: 'seed', minimum: 0 });
  checkRowIndices(functionName, rows, problem.geometry.n);
  const reduced = reducePotentials(problem, potentials, functionName);
  const total = rows.length * samplesPerRow;
  const repeatedRows = new Int32Array(total);
  const draws = new Uint32Array(total);
  for (let r = 0; r < rows.length; r += 1) {
    for (let t = 0; t < samplesPerRow; t += 1) {
      repeatedRows[r * samplesPerRow + t] = rows[r] as number;
      draws[r * samplesPerRow + t] = t;
    }
  }
  const out = new Int32Array(total);
  await problem.kernel.sampleColumns({
    rows: repeatedRows,
    draws,
    columnPotentials: reduced.g,
    epsilon: reduced.epsilon,
    seed,
    out,
  });
  return out;
}

/** Rows `i ~ a`: uniform integers, or inverse-CDF search on the cumulative weights. */
function drawRows(a: Float64Array, uniform: boolean, count: number, seed: number): Int32Array {
  const random = createRandomGenerator({ seed });
  const n = a.length;
  if (uniform) return Int32Array.from({ length: count }, () => random.integer(n));
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i += 1) {
    total += a[i] as number;
    cumulative[i] = total;
  }
  const rows = new Int32Array(count);
  for (let s = 0; s < count; s += 1) {
    const target = random.uniform() * total;
    let low = 0;
    let high = n - 1;
    // Smallest i with cumulative[i] > target: never a zero-weight row.
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    rows[s] = low;
  }
  return rows;
}
