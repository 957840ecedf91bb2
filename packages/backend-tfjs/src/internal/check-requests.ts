import { InvalidArgumentError, requireInteger, requirePositiveNumber } from '@sinkflow/core';
import type { KernelProblem, KernelSide } from '@sinkflow/ot';

/**
 * Checks the shapes of a {@link KernelProblem} as every sinkflow backend does: positive integer
 * sizes, float32 clouds of length `n d` and `m d`, and a known mode.
 */
export function checkKernelProblem(functionName: string, problem: KernelProblem): void {
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
  for (const [name, cloud, count] of [
    ['x', x, n],
    ['y', y, m],
  ] as const) {
    if (!(cloud instanceof Float32Array) || cloud.length !== count * d) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `problem.${name}`,
        message: `must be a Float32Array of length ${name === 'x' ? 'n' : 'm'} * d = ${count * d}`,
        value: cloud,
      });
    }
  }
  if (mode !== 'dense' && mode !== 'online') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'problem.mode',
      message: "must be 'dense' or 'online'",
      value: mode,
    });
  }
}

/** Throws unless `vector` has `expected` entries. */
export function checkLength(
  functionName: string,
  argumentName: string,
  vector: ArrayLike<number>,
  expected: number,
  what: string,
): void {
  if (vector?.length !== expected) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: `must have length ${expected} (${what})`,
      value: vector,
    });
  }
}

/** Lengths of a pass over one side: offsets span the other side, the output spans this side. */
export function checkSideLengths(
  functionName: string,
  problem: KernelProblem,
  side: KernelSide,
  offsets: ArrayLike<number>,
  out: ArrayLike<number>,
): void {
  if (side !== 'rows' && side !== 'columns') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'side',
      message: "must be 'rows' or 'columns'",
      value: side,
    });
  }
  const [reduced, kept] = side === 'rows' ? [problem.m, problem.n] : [problem.n, problem.m];
  checkLength(functionName, 'offsets', offsets, reduced, `side '${side}'`);
  checkLength(functionName, 'out', out, kept, `side '${side}'`);
}

/** `epsilon` must be a positive finite number. */
export function checkEpsilon(functionName: string, epsilon: number): void {
  requirePositiveNumber(epsilon, { functionName, argumentName: 'epsilon' });
}

/** Every entry of `rows` must be a row index in `[0, n)`. */
export function checkRows(functionName: string, rows: Int32Array, n: number): void {
  if (!(rows instanceof Int32Array)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'rows',
      message: 'must be an Int32Array',
      value: rows,
    });
  }
  for (let s = 0; s < rows.length; s += 1) {
    const row = rows[s] as number;
    if (row < 0 || row >= n) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `rows[${s}]`,
        message: `must be a row index in [0, ${n})`,
        value: row,
      });
    }
  }
}
