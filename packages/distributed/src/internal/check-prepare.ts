import { InvalidArgumentError } from '@sinkflow/core';
import type { ShardRequestHeader } from '../collective/shard-protocol.js';

/**
 * @internal Checks a `prepare` request against the problem it announces, before a shard builds
 * anything: `n, m, d >= 1` integers, the row block `[rowStart, rowStart + rowCount)` inside
 * `[0, n)`, the column block inside `[0, m)`, `x` of `rowCount d` and `y` of `columnCount d`
 * finite float32 values, a known mode.
 *
 * @throws InvalidArgumentError naming the field (the shard answers it as its error).
 */
export function checkPrepare(
  header: Extract<ShardRequestHeader, { op: 'prepare' }>,
  x: Float32Array,
  y: Float32Array,
): void {
  const { n, m, d, rowStart, rowCount, mode } = header;
  const columnStart = header.columnStart ?? 0;
  const columnCount = header.columnCount ?? m;
  const fail = (argumentName: string, message: string): never => {
    throw new InvalidArgumentError({ functionName: 'prepare', argumentName, message });
  };
  const integer = (name: string, value: unknown, minimum: number) => {
    if (!(Number.isSafeInteger(value) && (value as number) >= minimum))
      fail(name, `${name} must be an integer >= ${minimum} (got ${value})`);
  };
  integer('n', n, 1);
  integer('m', m, 1);
  integer('d', d, 1);
  integer('rowStart', rowStart, 0);
  integer('rowCount', rowCount, 0);
  integer('columnStart', columnStart, 0);
  integer('columnCount', columnCount, 0);
  if (rowStart + rowCount > n)
    fail('rowCount', `rows [${rowStart}, ${rowStart + rowCount}) exceed n = ${n}`);
  if (columnStart + columnCount > m) {
    fail('columnCount', `columns [${columnStart}, ${columnStart + columnCount}) exceed m = ${m}`);
  }
  if (mode !== 'dense' && mode !== 'dense16' && mode !== 'online')
    fail('mode', `mode must be 'dense', 'dense16' or 'online' (got ${String(mode)})`);
  if (x.length !== rowCount * d) fail('x', `x has ${x.length} values, expected ${rowCount} x ${d}`);
  if (y.length !== columnCount * d)
    fail('y', `y has ${y.length} values, expected ${columnCount} x ${d}`);
  for (const [name, values] of [
    ['x', x],
    ['y', y],
  ] as const) {
    for (let k = 0; k < values.length; k += 1) {
      if (!Number.isFinite(values[k]))
        fail(name, `${name} holds a non-finite value (${values[k]}) at ${k}`);
    }
  }
}
