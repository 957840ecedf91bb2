import { InvalidArgumentError, requireInteger } from '@sinkflow/core';
import { rowBlocks } from './row-blocks.js';

/**
 * How a sharded kernel splits `K = X Y^T` across `P = rows x columns` workers: a grid of
 * `rows` blocks of the rows of X by `columns` blocks of the columns of Y (the points of Y).
 *
 * - `{ rows: P, columns: 1 }` (the default): row sharding. Worker p owns rows `I_p` of X and all
 *   of Y: memory O((n / P + m) d) per worker, O(n + P m) numbers per pass.
 * - `{ rows: R, columns: C }`: a grid. Worker `(a, b)` (rank `a C + b`) owns rows `I_a` of X and
 *   columns `J_b` of Y, both from {@link rowBlocks} (`rowBlocks(n, R)[a]`, `rowBlocks(m, C)[b]`):
 *   memory O((n / R + m / C) d) per worker, O(C n + R m) numbers per pass. No worker needs all
 *   of Y.
 *
 * @example
 * ```ts
 * const layout: ShardedLayout = { rows: 2, columns: 2 }; // 4 workers, each a quarter of K
 * ```
 */
export interface ShardedLayout {
  /** R, the number of row blocks of X. */
  readonly rows: number;
  /** C, the number of column blocks of Y. */
  readonly columns: number;
}

/** The block of `K` one worker of a {@link ShardedLayout} owns. */
export interface GridShard {
  /** Its rank in the collective: `a C + b`. */
  readonly rank: number;
  /** a, the index of its row block (`0 <= a < R`). */
  readonly rowBlock: number;
  /** b, the index of its column block (`0 <= b < C`). */
  readonly columnBlock: number;
  /** Its rows of X: `I_a = [rowStart, rowStart + rowCount)`. */
  readonly rowStart: number;
  readonly rowCount: number;
  /** Its columns (points of Y): `J_b = [columnStart, columnStart + columnCount)`. */
  readonly columnStart: number;
  readonly columnCount: number;
}

/**
 * The blocks of a {@link ShardedLayout} over an n x m kernel, in rank order (`rank = a C + b`):
 * worker `(a, b)` owns `I_a x J_b` with `I_a = rowBlocks(n, R)[a]` and `J_b = rowBlocks(m, C)[b]`
 * (block sizes differ by at most one; a block is empty when R > n or C > m).
 *
 * @example
 * ```ts
 * gridShards(10, 6, { rows: 2, columns: 2 }).map((s) => [s.rowStart, s.rowCount, s.columnStart, s.columnCount]);
 * // [[0, 5, 0, 3], [0, 5, 3, 3], [5, 5, 0, 3], [5, 5, 3, 3]]
 * ```
 */
export function gridShards(n: number, m: number, layout: ShardedLayout): readonly GridShard[] {
  const rowParts = rowBlocks(n, layout.rows);
  const columnParts = rowBlocks(m, layout.columns);
  return rowParts.flatMap((rowPart, a) =>
    columnParts.map((columnPart, b) => ({
      rank: a * layout.columns + b,
      rowBlock: a,
      columnBlock: b,
      rowStart: rowPart.start,
      rowCount: rowPart.count,
      columnStart: columnPart.start,
      columnCount: columnPart.count,
    })),
  );
}

/**
 * @internal Checks a layout against the collective's size P (`rows x columns = P`); the default
 * is row sharding `{ rows: P, columns: 1 }`.
 */
export function resolveShardedLayout(
  layout: ShardedLayout | undefined,
  workers: number,
  functionName: string,
): ShardedLayout {
  if (layout === undefined) return { rows: workers, columns: 1 };
  if (typeof layout !== 'object' || layout === null) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'layout',
      message: 'must be an object { rows, columns }',
      value: layout,
    });
  }
  const rows = requireInteger(layout.rows, {
    functionName,
    argumentName: 'layout.rows',
    minimum: 1,
  });
  const columns = requireInteger(layout.columns, {
    functionName,
    argumentName: 'layout.columns',
    minimum: 1,
  });
  if (rows * columns !== workers) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'layout',
      message: `must have rows x columns = ${workers}, the collective's number of workers`,
      value: `${rows} x ${columns}`,
    });
  }
  return { rows, columns };
}
