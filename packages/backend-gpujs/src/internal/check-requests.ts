import { InvalidArgumentError, requireInteger } from '@sinkflow/core';
import type { KernelProblem, KernelSide } from '@sinkflow/ot';

/** Checks a problem as every backend's `prepare` does: sizes, float32 clouds, a known mode. */
export function checkKernelProblem(functionName: string, problem: KernelProblem): void {
  const { x, y, n, m, d, mode } = problem;
  requireInteger(n, { functionName, argumentName: 'problem.n', minimum: 1 });
  requireInteger(m, { functionName, argumentName: 'problem.m', minimum: 1 });
  requireInteger(d, { functionName, argumentName: 'problem.d', minimum: 1 });
  for (const [name, cloud, count] of [
    ['problem.x', x, n],
    ['problem.y', y, m],
  ] as const) {
    if (!(cloud instanceof Float32Array) || cloud.length !== count * d) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: name,
        message: `must be a Float32Array of length ${name === 'problem.x' ? 'n' : 'm'} * d = ${count * d}`,
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

/** Checks that a pass's vectors span their sides: offsets the reduced one, outputs the kept one. */
export function checkLengths(
  functionName: string,
  { n, m }: { n: number; m: number },
  side: KernelSide,
  lengths: { readonly offsets: readonly [string, number]; readonly out: readonly [string, number] },
): void {
  const [reduced, kept] = side === 'rows' ? [m, n] : [n, m];
  for (const [[name, length], expected] of [
    [lengths.offsets, reduced],
    [lengths.out, kept],
  ] as const) {
    if (length !== expected) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: name,
        message: `must have length ${expected} for side '${side}'`,
        value: length,
      });
    }
  }
}

/** Checks that one vector has the length it must have. */
export function checkLength(
  functionName: string,
  argumentName: string,
  length: number,
  expected: number,
): void {
  if (length !== expected) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: `must have length ${expected}`,
      value: length,
    });
  }
}

/** Checks row indices (each an integer in [0, n)) and that `others` have the length of `rows`. */
export function checkRows(
  functionName: string,
  n: number,
  rows: Int32Array,
  others: readonly (readonly [string, number])[],
): void {
  for (const [name, length] of others) {
    if (length !== rows.length) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: name,
        message: `must have the length of rows (${rows.length})`,
        value: length,
      });
    }
  }
  for (const row of rows) {
    if (!(row >= 0 && row < n)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'rows',
        message: `must hold row indices in [0, ${n})`,
        value: row,
      });
    }
  }
}
