import type { ShardRequestHeader } from '../collective/shard-protocol.js';

/**
 * @internal The bytes a worker needs for the block that a `prepare` request announces:
 *
 *   2 x 4 (r + c) d   the clouds of its block (float32; the decoded request and the shard's copy)
 * + 8 r c             the kernel block in `dense` mode (float64)
 * + 4 (s + r) d       the prefix kernel of row-sharded sampling (rows before the block are zeros)
 *
 * with `r = rowCount`, `c = columnCount` (m for row sharding), `s = rowStart`. A lower bound on
 * what the local backend allocates (its padding and scratch come on top), compared against the
 * worker's memory ceiling before anything is prepared.
 */
export function shardMemoryBytes(header: Extract<ShardRequestHeader, { op: 'prepare' }>): number {
  const { m, d, rowStart, rowCount, mode } = header;
  const columnCount = header.columnCount ?? m;
  const clouds = 2 * 4 * (rowCount + columnCount) * d;
  const bytesPerEntry = mode === 'dense' ? 8 : mode === 'dense16' ? 2 : 0;
  const kernel = bytesPerEntry * rowCount * columnCount;
  const prefix = columnCount === m ? 4 * (rowStart + rowCount) * d : 0;
  return clouds + kernel + prefix;
}

/** @internal `bytes` in MiB for messages (`1 MiB`, `2.5 MiB`). */
export function formatMebibytes(bytes: number): string {
  const mebibytes = bytes / 2 ** 20;
  return `${Number.isInteger(mebibytes) ? mebibytes : mebibytes.toFixed(1)} MiB`;
}
