import { InvalidArgumentError, requireInteger, requirePositiveNumber } from '@sinkflow/core';
import type { KernelMode, KernelProblem, KernelSide } from '../backend/sinkhorn-backend.js';

/**
 * Checks the shapes of a {@link KernelProblem}, as every backend's `prepare` must (exported for
 * backend packages): an object with positive integer sizes `n, m, d`, float32 clouds of length
 * `n d` and `m d`, and a mode among `modes` (the backend's {@link SinkhornBackend.kernelModes}).
 *
 * @throws InvalidArgumentError naming `problem`, `problem.n`, `problem.x`, ... and the function.
 * @example
 * ```ts
 * checkKernelProblem('createMyBackend.prepare', { x, y, n: 3, m: 2, d: 2, mode: 'online' });
 * ```
 */
export function checkKernelProblem(
  functionName: string,
  problem: KernelProblem,
  modes: readonly KernelMode[] = ['dense', 'online'],
): void {
  if (problem === null || typeof problem !== 'object') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'problem',
      message: 'must be an object { x, y, n, m, d, mode }',
      value: problem,
    });
  }
  const { x, y, n, m, d, mode } = problem;
  requireInteger(n, { functionName, argumentName: 'problem.n', minimum: 1 });
  requireInteger(m, { functionName, argumentName: 'problem.m', minimum: 1 });
  requireInteger(d, { functionName, argumentName: 'problem.d', minimum: 1 });
  if (!(x instanceof Float32Array) || x.length !== n * d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'problem.x',
      message: `must be a Float32Array of length n * d = ${n * d}`,
      value: x,
    });
  }
  if (!(y instanceof Float32Array) || y.length !== m * d) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'problem.y',
      message: `must be a Float32Array of length m * d = ${m * d}`,
      value: y,
    });
  }
  if (!modes.includes(mode)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'problem.mode',
      message: `must be one of ${modes.map((name) => `'${name}'`).join(', ')} for this backend`,
      value: mode,
    });
  }
}

/**
 * Checks that the vectors of a pass have the lengths of its side (exported for backend packages):
 * for side `'rows'` the offsets have length m and the output length n; for `'columns'` the
 * reverse. `names` are the argument names used in the error.
 *
 * @throws InvalidArgumentError naming the offending vector.
 * @example
 * ```ts
 * checkRequestLengths('logSumExp', { n: 3, m: 2 }, 'rows', offsets.length, out.length); // 2 and 3
 * ```
 */
export function checkRequestLengths(
  functionName: string,
  problem: Pick<KernelProblem, 'n' | 'm'>,
  side: KernelSide,
  offsetsLength: number,
  outLength: number,
  [offsetsName, outName]: readonly [string, string] = ['offsets', 'out'],
): void {
  const [reduced, kept] = side === 'rows' ? [problem.m, problem.n] : [problem.n, problem.m];
  if (offsetsLength !== reduced) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: offsetsName,
      message: `must have length ${reduced} for side '${side}'`,
      value: offsetsLength,
    });
  }
  if (outLength !== kept) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: outName,
      message: `must have length ${kept} for side '${side}'`,
      value: outLength,
    });
  }
}

/**
 * Checks row indices, as every backend's sampling and projection passes must (exported for
 * backend packages): an Int32Array whose entries are integers in `[0, n)`.
 *
 * @throws InvalidArgumentError naming `rows` or the first bad `rows[k]`.
 * @example
 * ```ts
 * checkRowIndices('sampleColumns', new Int32Array([0, 2]), 3);
 * ```
 */
export function checkRowIndices(
  functionName: string,
  rows: unknown,
  n: number,
): asserts rows is Int32Array {
  if (!(rows instanceof Int32Array)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'rows',
      message: 'must be an Int32Array of row indices',
      value: rows,
    });
  }
  for (let k = 0; k < rows.length; k += 1) {
    const row = rows[k] as number;
    if (row < 0 || row >= n) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `rows[${k}]`,
        message: `must be a row index in [0, ${n})`,
        value: row,
      });
    }
  }
}

/**
 * Checks the epsilon of a kernel request, as every backend pass must: a positive finite number.
 *
 * @throws InvalidArgumentError naming `epsilon` and the function.
 * @example
 * ```ts
 * checkEpsilon('logSumExp', 0.05); // 0.05
 * ```
 */
export function checkEpsilon(functionName: string, epsilon: unknown): number {
  return requirePositiveNumber(epsilon, { functionName, argumentName: 'epsilon' });
}
