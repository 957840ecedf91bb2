import { DisposedError, InvalidArgumentError } from '@sinkflow/core';

import {
  checkEpsilon,
  checkKernelProblem,
  type KernelProblem,
  type PreparedKernel,
} from '@sinkflow/ot/backend';
import type { GpujsMode } from '../gpujs-mode.js';
import { type KernelLimits, kernelLimits, planBlocks } from './block-plan.js';
import { checkLength, checkLengths, checkRows } from './check-requests.js';
import { runConditionalExpectation } from './conditional-expectation-pass.js';
import { computeKernelMatrix } from './dense-kernel-matrix.js';
import type { GpujsModule } from './gpujs-module.js';
import { createKernelSet } from './kernel-set.js';
import { runLogSumExp } from './log-sum-exp-pass.js';
import type { PassContext } from './pass-context.js';
import { runSampleColumns } from './sample-columns-pass.js';
import { runStatistics } from './statistics-pass.js';

/** The settings a prepared kernel runs with (resolved by `createGpujsBackend`). */
export interface PrepareSettings {
  readonly gpujs: GpujsModule;
  readonly mode: GpujsMode;
  readonly tile: number;
  readonly threads: number | undefined;
  /** Size caps of one kernel call. @default kernelLimits(mode) (tests pass tiny ones) */
  readonly limits?: KernelLimits;
}

/**
 * Prepares one problem: copies the clouds (the caller may reuse its arrays), creates a gpu.js
 * `GPU` instance in the backend's mode and, in `dense` mode, computes K and K^T once. Passes run
 * one at a time (a queue), since they share the instance's compiled kernels; `dispose` waits for
 * the pass in flight, then destroys the instance, and every later call rejects.
 */
export async function prepareGpujsKernel(
  problem: KernelProblem,
  { gpujs, mode: gpujsMode, tile, threads, limits = kernelLimits(gpujsMode) }: PrepareSettings,
): Promise<PreparedKernel> {
  const functionName = 'createGpujsBackend.prepare';
  checkKernelProblem(functionName, problem);
  const { n, m, d, mode } = problem;
  const x = problem.x.slice();
  const y = problem.y.slice();
  const kernels = createKernelSet({ gpujs, mode: gpujsMode, threads });
  const dense = mode === 'dense';
  let matrices: { kernel: Float32Array; transpose: Float32Array } | undefined;
  if (dense) {
    try {
      matrices = await computeKernelMatrix({ kernels, limits, x, y, n, m, d });
    } catch (error) {
      await kernels.destroy();
      throw error;
    }
  }
  const plan = (keptCount: number, reducedCount: number) =>
    planBlocks({ keptCount, reducedCount, tile, limits, dense });
  const context: PassContext = {
    mode,
    n,
    m,
    d,
    tile,
    limits,
    kernels,
    rows: { plan: plan(n, m), kept: x, reduced: y, kernelRows: matrices?.kernel },
    columns: { plan: plan(m, n), kept: y, reduced: x, kernelRows: matrices?.transpose },
  };

  let disposed = false;
  let tail: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(pass: () => Promise<T>): Promise<T> => {
    if (disposed) return Promise.reject(disposedError());
    const result = tail.then(() => {
      if (disposed) throw disposedError();
      return pass();
    });
    tail = result.catch(() => undefined);
    return result;
  };

  return {
    mode,
    async logSumExp(request) {
      const { side, offsets, epsilon, out } = request;
      if (side !== 'rows' && side !== 'columns') {
        throw new InvalidArgumentError({
          functionName: 'logSumExp',
          argumentName: 'side',
          message: "must be 'rows' or 'columns'",
          value: side,
        });
      }
      checkLengths('logSumExp', context, side, {
        offsets: ['offsets', offsets.length],
        out: ['out', out.length],
      });
      checkEpsilon('logSumExp', epsilon);
      return enqueue(() => runLogSumExp(context, side, offsets, epsilon, out));
    },
    async statistics(request) {
      checkLengths('statistics', context, 'rows', {
        offsets: ['columnPotentials', request.columnPotentials.length],
        out: ['rowPotentials', request.rowPotentials.length],
      });
      checkEpsilon('statistics', request.epsilon);
      return enqueue(() => runStatistics(context, request));
    },
    async sampleColumns(request) {
      checkLength('sampleColumns', 'columnPotentials', request.columnPotentials.length, m);
      checkRows('sampleColumns', n, request.rows, [
        ['draws', request.draws.length],
        ['out', request.out.length],
      ]);
      checkEpsilon('sampleColumns', request.epsilon);
      return enqueue(() => runSampleColumns(context, request));
    },
    async conditionalExpectation(request) {
      const { rows, width, values, out } = request;
      checkLength('conditionalExpectation', 'columnPotentials', request.columnPotentials.length, m);
      checkRows('conditionalExpectation', n, rows, []);
      checkEpsilon('conditionalExpectation', request.epsilon);
      if (!Number.isSafeInteger(width) || width < 1 || values.length !== m * width) {
        throw new InvalidArgumentError({
          functionName: 'conditionalExpectation',
          argumentName: 'values',
          message: `must hold m * width = ${m} * ${width} values (width a positive integer)`,
          value: values.length,
        });
      }
      if (out.length !== rows.length * width) {
        throw new InvalidArgumentError({
          functionName: 'conditionalExpectation',
          argumentName: 'out',
          message: `must have length rows.length * width = ${rows.length * width}`,
          value: out.length,
        });
      }
      return enqueue(() => runConditionalExpectation(context, request));
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await tail;
      await kernels.destroy();
    },
  };
}

/** The error of a request on a disposed kernel. */
function disposedError(): DisposedError {
  return new DisposedError({ functionName: 'createGpujsBackend', resource: 'kernel' });
}
