import { InvalidArgumentError } from '@sinkflow/core';

import { checkRequestLengths, type KernelSide } from '@sinkflow/ot/backend';

/** Checks that a pass's vectors span their sides: offsets the reduced one, outputs the kept one. */
export function checkLengths(
  functionName: string,
  { n, m }: { n: number; m: number },
  side: KernelSide,
  lengths: { readonly offsets: readonly [string, number]; readonly out: readonly [string, number] },
): void {
  checkRequestLengths(functionName, { n, m }, side, lengths.offsets[1], lengths.out[1], [
    lengths.offsets[0],
    lengths.out[0],
  ]);
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
