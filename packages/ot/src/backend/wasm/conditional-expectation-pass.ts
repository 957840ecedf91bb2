import { InvalidArgumentError } from '@sinkflow/core';
import { checkEpsilon, checkRequestLengths } from '../check-requests.js';
import type { ConditionalExpectationRequest, KernelProblem } from '../sinkhorn-backend.js';
import type { KernelContext } from './kernel-context.js';
import { roundUp } from './memory-plan.js';
import { sideLayout, tileIndex, writeShiftedOffsets } from './pass-inputs.js';

/**
 * The conditional expectation on the WebAssembly kernels (the barycentric projection when the
 * values are y) [klein2025]:
 *
 *   out_{s,:} = sum_j P_{i_s j} v_{j,:} / sum_j P_{i_s j},   P_ij proportional to exp((g_j + K_ij) / eps),
 *
 * with the soft-max pass's shifted exponentials as weights (the common factor cancels) and
 * float64 accumulation of the weighted values. Rows whose potentials are all -inf, and rows that
 * meet a non-finite coordinate, give NaN.
 *
 * @example
 * ```ts
 * runConditionalExpectation(context, problem, { rows, columnPotentials: g, epsilon, values: y, width: d, out });
 * ```
 * @internal
 */
export function runConditionalExpectation(
  context: KernelContext,
  problem: KernelProblem,
  request: ConditionalExpectationRequest,
): void {
  const functionName = 'createWasmBackend.conditionalExpectation';
  const { rows, columnPotentials: g, values, width, out } = request;
  checkRequestLengths(functionName, problem, 'rows', g.length, problem.n, [
    'columnPotentials',
    'out',
  ]);
  const epsilon = checkEpsilon(functionName, request.epsilon);
  checkExpectationArguments(functionName, problem, request);
  if (rows.length === 0) return;
  const { plan, tuning } = context;
  const layout = sideLayout(context, 'rows');
  const shifted = writeShiftedOffsets(context, g, plan.mPad, epsilon, functionName);
  if (shifted.kind !== 'finite' || layout.badColumns.length > 0) {
    out.fill(Number.NaN);
    return;
  }
  const widthPadded = roundUp(width, 2);
  const padded = roundUp(rows.length, 4);
  const threads = context.threads;
  const [rowList, valueTable, output, accumulators] = context.reserve([
    4 * padded,
    8 * plan.mPad * widthPadded,
    8 * padded * widthPadded,
    8 * 4 * widthPadded * threads,
  ]) as [number, number, number, number];
  const rowView = new Int32Array(context.buffer, rowList, padded);
  rowView.set(rows);
  rowView.fill(rows[rows.length - 1] as number, rows.length);
  const table = new Float64Array(context.buffer, valueTable, plan.mPad * widthPadded);
  table.fill(0);
  for (let j = 0; j < plan.m; j += 1) {
    for (let c = 0; c < width; c += 1) table[j * widthPadded + c] = values[j * width + c] as number;
  }
  context.run(
    'expectation',
    [
      plan.xRows,
      4 * plan.d,
      plan.d,
      plan.yPanels,
      plan.kernel,
      layout.kernelStride,
      context.mode === 'dense' ? 1 : 0,
      rowList,
      padded,
      plan.mPad,
      plan.offsets,
      plan.offsets32,
      Math.LOG2E / epsilon,
      valueTable,
      widthPadded,
      output,
      plan.counter,
      tuning.columnBlock,
      tileIndex(plan.d),
      accumulators,
      8 * 4 * widthPadded,
    ],
    padded * plan.mPad * (plan.d + 16 + widthPadded),
  );
  const result = new Float64Array(context.buffer, output, padded * widthPadded);
  const bad = new Set(layout.badRows);
  for (let s = 0; s < rows.length; s += 1) {
    const invalid = bad.has(rows[s] as number);
    for (let c = 0; c < width; c += 1)
      out[s * width + c] = invalid ? Number.NaN : (result[s * widthPadded + c] as number);
  }
}

/** `rows` in [0, n), `width` >= 1, `values` m x width, `out` rows x width. */
function checkExpectationArguments(
  functionName: string,
  problem: KernelProblem,
  { rows, values, width, out }: ConditionalExpectationRequest,
): void {
  if (!Number.isSafeInteger(width) || width < 1) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'width',
      message: 'must be an integer >= 1',
      value: width,
    });
  }
  if (!(rows instanceof Int32Array)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'rows',
      message: 'must be an Int32Array',
      value: rows,
    });
  }
  if (
    !(values instanceof Float32Array || values instanceof Float64Array) ||
    values.length !== problem.m * width
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'values',
      message: `must be a Float32Array or Float64Array of length m * width = ${problem.m * width}`,
      value: values,
    });
  }
  if (!(out instanceof Float64Array) || out.length !== rows.length * width) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'out',
      message: `must be a Float64Array of length rows.length * width = ${rows.length * width}`,
      value: out,
    });
  }
  for (let s = 0; s < rows.length; s += 1) {
    const row = rows[s] as number;
    if (row < 0 || row >= problem.n) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `rows[${s}]`,
        message: `must be a row index in [0, ${problem.n})`,
        value: row,
      });
    }
  }
}
