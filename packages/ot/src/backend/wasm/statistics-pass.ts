import { checkEpsilon, checkRequestLengths } from '../check-requests.js';
import type { CouplingStatistics, KernelProblem, StatisticsRequest } from '../sinkhorn-backend.js';
import type { KernelContext } from './kernel-context.js';
import { sideLayout, tileIndex, writePadded } from './pass-inputs.js';

/**
 * The statistics pass on the WebAssembly kernels: row sums, column sums and <P, K> of
 * P_ij = exp((f_i + g_j + K_ij) / eps) in one sweep over the rows [klein2025]. Each P_ij is a
 * full-range float64 exponential (relative error 4e-11 from its polynomial, after the float64
 * argument (f_i + g_j) + K_ij); column sums are accumulated per thread and added here.
 *
 * NaN or +Infinity potentials, and non-finite coordinates, give NaN in the sums they enter.
 *
 * @example
 * ```ts
 * const { rowSums, columnSums, kernelMoment } = runStatistics(context, problem, { rowPotentials: f, columnPotentials: g, epsilon });
 * ```
 * @internal
 */
export function runStatistics(
  context: KernelContext,
  problem: KernelProblem,
  request: StatisticsRequest,
): CouplingStatistics {
  const functionName = 'createWasmBackend.statistics';
  const { rowPotentials: f, columnPotentials: g } = request;
  checkRequestLengths(functionName, problem, 'rows', g.length, f.length, [
    'columnPotentials',
    'rowPotentials',
  ]);
  const epsilon = checkEpsilon(functionName, request.epsilon);
  const { plan, tuning } = context;
  const layout = sideLayout(context, 'rows');
  const threads = context.threads;
  writePadded(context, plan.rowPotentials, f, plan.nPad);
  writePadded(context, plan.columnPotentials, g, plan.mPad);
  context.clearColumnSums();
  new Float64Array(context.buffer, plan.moments, threads).fill(0);
  context.run(
    'statistics',
    [
      plan.xRows,
      4 * plan.d,
      plan.d,
      plan.yPanels,
      plan.kernel,
      layout.kernelStride,
      context.mode === 'dense' ? 1 : 0,
      plan.nPad,
      plan.mPad,
      plan.rowPotentials,
      plan.columnPotentials,
      Math.LOG2E / epsilon,
      plan.rowSums,
      plan.columnSums,
      plan.moments,
      plan.counter,
      tuning.rowGroup,
      tuning.columnBlock,
      tileIndex(plan.d),
    ],
    plan.nPad * plan.mPad * (plan.d + 32),
  );
  const rowSums = new Float64Array(context.buffer, plan.rowSums, plan.n).slice();
  const columnSums = context.columnSums();
  let kernelMoment = 0;
  for (const moment of new Float64Array(context.buffer, plan.moments, threads))
    kernelMoment += moment;
  const badRows = new Set(layout.badRows);
  const badColumns = new Set(layout.badColumns);
  f.forEach((value, i) => {
    if (Number.isNaN(value) || value === Number.POSITIVE_INFINITY) badRows.add(i);
  });
  g.forEach((value, j) => {
    if (Number.isNaN(value) || value === Number.POSITIVE_INFINITY) badColumns.add(j);
  });
  if (badRows.size > 0 || badColumns.size > 0) {
    if (badColumns.size > 0) rowSums.fill(Number.NaN);
    if (badRows.size > 0) columnSums.fill(Number.NaN);
    for (const i of badRows) rowSums[i] = Number.NaN;
    for (const j of badColumns) columnSums[j] = Number.NaN;
    kernelMoment = Number.NaN;
  }
  return { rowSums, columnSums, kernelMoment };
}
