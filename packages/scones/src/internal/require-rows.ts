import { InvalidArgumentError } from '@sinkflow/core';

/** @internal The number of rows of a row-major array of width `d`, or a typed error. */
export function requireRows(
  x: Float32Array | Float64Array,
  d: number,
  functionName: string,
  argumentName = 'x',
): number {
  const rows = x?.length / d;
  if (!(x instanceof Float32Array || x instanceof Float64Array) || !Number.isInteger(rows)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: `must be a Float32Array or Float64Array whose length is a multiple of ${d}`,
      value: x?.length,
    });
  }
  return rows;
}
