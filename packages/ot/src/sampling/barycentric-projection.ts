import { checkRowIndices } from '../backend/check-requests.js';
import { type PreparedProblem, reducePotentials } from '../problem/prepared-problem.js';
import type { CouplingPotentials } from '../solver/sinkhorn-solution.js';

/**
 * @internal The barycentric projection `T(x_i) = sum_j P_ij y_j / sum_j P_ij` [peyre2019,
 * Remark 10.3], in the coordinates of the column cloud as given (before shift and PCA), for the
 * requested rows (all rows by default). Returns `rows.length x d` row-major, float64.
 */
export async function barycentricProjectionPrepared(
  problem: PreparedProblem,
  {
    potentials,
    rows,
  }: { readonly potentials: CouplingPotentials; readonly rows?: Int32Array | undefined },
  functionName: string,
): Promise<Float64Array> {
  const { n } = problem.geometry;
  const selected = rows ?? Int32Array.from({ length: n }, (_, i) => i);
  checkRowIndices(functionName, selected, n);
  const reduced = reducePotentials(problem, potentials, functionName);
  const width = problem.y.d;
  const out = new Float64Array(selected.length * width);
  await problem.kernel.conditionalExpectation({
    rows: selected,
    columnPotentials: reduced.g,
    epsilon: reduced.epsilon,
    values: problem.y.data,
    width,
    out,
  });
  return out;
}
