import { InvalidArgumentError } from '@sinkflow/core';

import { checkRequestLengths, type KernelProblem, type KernelSide } from '@sinkflow/ot/backend';

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
  checkRequestLengths(functionName, problem, side, offsets?.length ?? -1, out?.length ?? -1);
}
