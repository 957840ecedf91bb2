import { InvalidArgumentError } from '@sinkflow/core';
import { checkEpsilon, checkRequestLengths, checkRowIndices } from '../check-requests.js';
import type { KernelProblem, SampleColumnsRequest } from '../sinkhorn-backend.js';
import type { KernelContext } from './kernel-context.js';
import { roundUp } from './memory-plan.js';
import { sideLayout, tileIndex, writePadded } from './pass-inputs.js';

/** Samples per kernel call (bounds the per-call memory to 12 bytes per sample of a chunk). */
const CHUNK = 1 << 20;

/**
 * Gumbel-max sampling on the WebAssembly kernels [gumbel1954]: for each sample s,
 * `out_s = argmax_j (g_j + K_{i_s j}) / eps + G(seed, i_s, j, k_s)` with the keyed noise of
 * `@sinkflow/core` (`counterGumbel`, Philox4x32-10 [salmon2011philox] bit for bit, and the host's
 * `Math.log`), exactly: the kernel prunes columns that cannot win with the bound G <= 37 and
 * filters the rest with an approximate noise before the exact comparison (see the sampling
 * kernel). The result depends neither on the column blocks nor on the number of threads.
 *
 * @example
 * ```ts
 * runSampleColumns(context, problem, { rows, draws, columnPotentials: g, epsilon, seed: 7, out });
 * ```
 * @internal
 */
export function runSampleColumns(
  context: KernelContext,
  problem: KernelProblem,
  request: SampleColumnsRequest,
): void {
  const functionName = 'createWasmBackend.sampleColumns';
  const { rows, draws, columnPotentials: g, seed, out } = request;
  checkRequestLengths(functionName, problem, 'rows', g.length, problem.n, [
    'columnPotentials',
    'out',
  ]);
  const epsilon = checkEpsilon(functionName, request.epsilon);
  checkSampleArguments(functionName, problem.n, request);
  const { plan, tuning } = context;
  const layout = sideLayout(context, 'rows');
  writePadded(context, plan.columnPotentials, g, plan.mPad);
  const key0 = seed % 2 ** 32;
  const key1 = (seed - key0) / 2 ** 32;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const count = Math.min(CHUNK, rows.length - start);
    const padded = roundUp(count, 4);
    const [rowList, drawList, output] = context.reserve([4 * padded, 4 * padded, 4 * padded]) as [
      number,
      number,
      number,
    ];
    const rowView = new Int32Array(context.buffer, rowList, padded);
    const drawView = new Uint32Array(context.buffer, drawList, padded);
    rowView.set(rows.subarray(start, start + count));
    drawView.set(draws.subarray(start, start + count));
    // Pad to whole items with copies of the last sample (their outputs are ignored).
    rowView.fill(rows[start + count - 1] as number, count);
    drawView.fill(draws[start + count - 1] as number, count);
    context.run(
      'sample',
      [
        plan.xRows,
        4 * plan.d,
        plan.d,
        plan.yPanels,
        plan.kernel,
        layout.kernelStride,
        context.mode === 'dense' ? 1 : 0,
        rowList,
        drawList,
        padded,
        plan.mPad,
        plan.columnPotentials,
        1 / epsilon,
        key0 | 0,
        key1 | 0,
        output,
        plan.counter,
        tuning.columnBlock,
        tileIndex(plan.d),
      ],
      padded * plan.mPad * (plan.d + 16),
    );
    out.set(new Int32Array(context.buffer, output, count), start);
  }
}

/** Rows in [0, n), draws and out of the same length, a seed in [0, 2^53). */
function checkSampleArguments(
  functionName: string,
  n: number,
  { rows, draws, seed, out }: SampleColumnsRequest,
): void {
  checkRowIndices(functionName, rows, n);
  if (!(draws instanceof Uint32Array) || draws.length !== rows.length) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'draws',
      message: `must be a Uint32Array of length ${rows.length}`,
      value: draws,
    });
  }
  if (!(out instanceof Int32Array) || out.length !== rows.length) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'out',
      message: `must be an Int32Array of length ${rows.length}`,
      value: out,
    });
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'seed',
      message: 'must be a safe integer >= 0',
      value: seed,
    });
  }
}
