import { InvalidArgumentError } from '@sinkflow/core';

/**
 * @internal For each row block, the indices s of the requests whose row `rows[s]` belongs to it,
 * ascending. Throws an {@link InvalidArgumentError} naming `rows[s]` for a row outside [0, n).
 */
export function routeRows(
  rows: Int32Array,
  blocks: readonly { readonly start: number; readonly count: number }[],
  n: number,
  functionName: string,
): number[][] {
  const routes: number[][] = blocks.map(() => []);
  for (let s = 0; s < rows.length; s += 1) {
    const row = rows[s]!;
    if (!(Number.isInteger(row) && row >= 0 && row < n)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `rows[${s}]`,
        message: `must be a row index in [0, ${n})`,
        value: row,
      });
    }
    let low = 0;
    let high = blocks.length - 1;
    // The last block whose start is <= row (empty blocks share their start with the next one).
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (blocks[middle]!.start <= row) low = middle;
      else high = middle - 1;
    }
    routes[low]!.push(s);
  }
  return routes;
}
