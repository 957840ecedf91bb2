import { checkEpsilon, checkRequestLengths } from '../check-requests.js';
import type { KernelProblem, LogSumExpRequest } from '../sinkhorn-backend.js';
import type { KernelContext } from './kernel-context.js';
import { sideLayout, tileIndex, writeShiftedOffsets } from './pass-inputs.js';

/**
 * The soft-max pass on the WebAssembly kernels [klein2025]:
 *
 *   out_i = eps log sum_j exp((h_j + K_ij) / eps)
 *         = max h + eps (Ms_i ln 2 + ln S_i),   S_i = sum_j 2^((h'_j + K_ij) s - Ms_i),
 *
 * with s = log2(e) / eps, h' = h - max h (clamped) and Ms_i the integer shift the kernel keeps per
 * row (the rounded running maximum, so that rescaling S is an exact power of two). The kernel runs
 * over row groups on all threads; the host only prepares h' and takes the final logarithm.
 *
 * @example
 * ```ts
 * runLogSumExp(context, problem, { side: 'columns', offsets: f, epsilon: 0.05, out: gUpdate });
 * ```
 * @internal
 */
export function runLogSumExp(
  context: KernelContext,
  problem: KernelProblem,
  request: LogSumExpRequest,
): void {
  const functionName = 'createWasmBackend.logSumExp';
  const { side, offsets, out } = request;
  checkRequestLengths(functionName, problem, side, offsets.length, out.length);
  const epsilon = checkEpsilon(functionName, request.epsilon);
  const layout = sideLayout(context, side);
  const shifted = writeShiftedOffsets(
    context,
    offsets,
    layout.columnsPadded,
    epsilon,
    functionName,
  );
  if (shifted.kind !== 'finite') {
    out.fill(shifted.kind === 'invalid' ? Number.NaN : Number.NEGATIVE_INFINITY);
  } else {
    const { plan, tuning } = context;
    const common = [
      layout.rowsPadded,
      layout.columnsPadded,
      plan.offsets,
      plan.offsets32,
      Math.LOG2E / epsilon,
      // A bound of |K_ij| (Cauchy-Schwarz) for the rounding margin of the kernel's skip test.
      context.clouds.maximumNormX * context.clouds.maximumNormY,
      plan.outShift,
      plan.outSum,
      plan.counter,
      tuning.rowGroup,
      tuning.columnBlock,
    ];
    const work = layout.rowsPadded * layout.columnsPadded * (plan.d + 16);
    if (context.mode === 'dense') {
      context.run('lse_dense', [layout.kernel, layout.kernelStride, ...common], work);
    } else {
      context.run(
        'lse_online',
        [layout.rowPoints, 4 * plan.d, plan.d, layout.columnPanels, ...common, tileIndex(plan.d)],
        work,
      );
    }
    const shift = new Float64Array(context.buffer, plan.outShift, layout.rows);
    const sum = new Float64Array(context.buffer, plan.outSum, layout.rows);
    const scale = epsilon * Math.LN2;
    for (let i = 0; i < layout.rows; i += 1) {
      out[i] = shifted.top + (scale * (shift[i] as number) + epsilon * Math.log(sum[i] as number));
    }
  }
  // Non-finite coordinates: NaN wherever a NaN kernel value enters the sum (as the reference does).
  if (layout.badColumns.length > 0) out.fill(Number.NaN);
  for (const row of layout.badRows) out[row] = Number.NaN;
}
