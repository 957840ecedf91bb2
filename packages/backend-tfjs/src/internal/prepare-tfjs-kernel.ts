import {
  BackendUnavailableError,
  DisposedError,
  InvalidArgumentError,
  requireInteger,
} from '@sinkflow/core';

import {
  checkEpsilon,
  checkKernelProblem,
  checkRowIndices,
  type KernelProblem,
  type KernelSide,
  type PreparedKernel,
} from '@sinkflow/ot/backend';
import { checkLength, checkSideLengths } from './check-requests.js';
import { conditionalExpectationPass } from './conditional-expectation-pass.js';
import { type KernelContext, rowBlockFor } from './kernel-context.js';
import { uploadKernelTensors } from './kernel-tensors.js';
import { logSumExpPass } from './log-sum-exp-pass.js';
import { sampleColumnsPass } from './sample-columns-pass.js';
import { statisticsPass } from './statistics-pass.js';
import type { TfModule } from './tfjs-module.js';

/** The settings a prepared kernel inherits from its backend. */
export interface KernelSettings {
  readonly tf: TfModule;
  /** The TensorFlow.js backend every pass runs on (`tf.getBackend()`). */
  readonly backendName: string;
  readonly rowBlock: number | 'auto';
  readonly columnBlock: number;
  /** Scores per block when `rowBlock` is 'auto'. */
  readonly blockEntries: number;
}

/**
 * Uploads one problem and returns its {@link PreparedKernel}. TensorFlow.js has one active
 * backend per process: each request first makes this kernel's backend the active one (a no-op
 * unless another was set since), so kernels on different tfjs backends can coexist.
 */
export async function prepareTfjsKernel(
  settings: KernelSettings,
  problem: KernelProblem,
): Promise<PreparedKernel> {
  const functionName = 'createTfjsBackend.prepare';
  checkKernelProblem(functionName, problem);
  const { tf } = settings;
  await activate(settings);
  let tensors: ReturnType<typeof uploadKernelTensors> | undefined = uploadKernelTensors(
    tf,
    problem,
    settings.columnBlock,
  );
  const rowBlocks: Record<KernelSide, number> = {
    rows: rowBlockFor(tensors.sides.rows, settings.rowBlock, settings.blockEntries),
    columns: rowBlockFor(tensors.sides.columns, settings.rowBlock, settings.blockEntries),
  };
  const context = async (name: string): Promise<KernelContext> => {
    if (tensors === undefined) throw disposedError(name);
    await activate(settings);
    if (tensors === undefined) throw disposedError(name);
    return {
      tf,
      tensors,
      rowBlock: (side) => rowBlocks[side],
      columnBlock: settings.columnBlock,
    };
  };
  const { n, m } = problem;

  return {
    mode: problem.mode,
    async logSumExp(request) {
      checkSideLengths('logSumExp', problem, request.side, request.offsets, request.out);
      checkEpsilon('logSumExp', request.epsilon);
      await logSumExpPass(await context('logSumExp'), request);
    },
    async statistics(request) {
      checkLength('statistics', 'rowPotentials', request.rowPotentials, n, 'n');
      checkLength('statistics', 'columnPotentials', request.columnPotentials, m, 'm');
      checkEpsilon('statistics', request.epsilon);
      return statisticsPass(await context('statistics'), request);
    },
    async sampleColumns(request) {
      const name = 'sampleColumns';
      checkLength(name, 'columnPotentials', request.columnPotentials, m, 'm');
      checkRowIndices(name, request.rows, n);
      checkLength(name, 'draws', request.draws, request.rows.length, 'the length of rows');
      checkLength(name, 'out', request.out, request.rows.length, 'the length of rows');
      checkEpsilon(name, request.epsilon);
      requireInteger(request.seed, { functionName: name, argumentName: 'seed', minimum: 0 });
      await sampleColumnsPass(await context(name), request);
    },
    async conditionalExpectation(request) {
      const name = 'conditionalExpectation';
      checkLength(name, 'columnPotentials', request.columnPotentials, m, 'm');
      checkRowIndices(name, request.rows, n);
      requireInteger(request.width, { functionName: name, argumentName: 'width', minimum: 1 });
      if (!(request.values instanceof Float32Array || request.values instanceof Float64Array)) {
        throw new InvalidArgumentError({
          functionName: name,
          argumentName: 'values',
          message: 'must be a Float32Array or a Float64Array',
          value: request.values,
        });
      }
      checkLength(name, 'values', request.values, m * request.width, 'm * width');
      checkLength(name, 'out', request.out, request.rows.length * request.width, 'rows * width');
      checkEpsilon(name, request.epsilon);
      await conditionalExpectationPass(await context(name), request);
    },
    async dispose() {
      if (tensors === undefined) return;
      for (const tensor of tensors.all) tensor.dispose();
      tensors = undefined;
    },
  };
}

/** Makes the kernel's tfjs backend the active one if another was set in between. */
async function activate({ tf, backendName }: KernelSettings): Promise<void> {
  if (tf.getBackend() === backendName) return;
  let ready = false;
  try {
    ready = await tf.setBackend(backendName);
  } catch {
    ready = false;
  }
  if (!ready) {
    throw new BackendUnavailableError({
      backend: `tfjs:${backendName}`,
      message: `tf.setBackend('${backendName}') failed when this kernel was used`,
    });
  }
}

/** The error of a request (`operation`) on a disposed kernel. */
function disposedError(operation: string): DisposedError {
  return new DisposedError({ functionName: 'createTfjsBackend', resource: 'kernel', operation });
}
