import { ProtocolError } from '@sinkflow/core';
import { combineLogSumExp } from '@sinkflow/ot/backend';
import type { ShardReply } from '../collective/shard-protocol.js';
import type { GridShard, ShardedLayout } from '../sharded/sharded-layout.js';

/**
 * @internal The driver's fixed-order reductions of a grid layout (`rank = a C + b`). Every one
 * reads the replies in a fixed order (`b = 0..C-1` within a row block, `a = 0..R-1` within a
 * column block, rank order overall), so results never depend on message arrival. With one column
 * block (row sharding) each reduces to what the row-sharded kernel always did: a rows pass is the
 * concatenation, a columns pass `combineLogSumExp` over ranks, sums in rank order.
 */

/** The Float64Array `name` of a reply (a worker that answered without it is a protocol error). */
export function replyVector(reply: ShardReply, name: string, rank: number): Float64Array {
  const part = reply.vectors[name];
  if (!(part instanceof Float64Array))
    throw new ProtocolError({
      channel: `worker ${rank}`,
      message: `answered without the vector '${name}'`,
    });
  return part;
}

/**
 * Rows pass: `out_i = eps log sum_b exp(l_abi / eps)` for `i in I_a`, from the partials
 * `l_abi = eps LSE_{j in J_b}((h_j + K_ij) / eps)` of workers `(a, 0..C-1)` (`combineLogSumExp`).
 */
export function combineRowsPass(
  replies: readonly ShardReply[],
  shards: readonly GridShard[],
  layout: ShardedLayout,
  epsilon: number,
  out: Float64Array,
): void {
  for (let a = 0; a < layout.rows; a += 1) {
    const first = shards[a * layout.columns]!;
    const parts = Array.from({ length: layout.columns }, (_, b) =>
      replyVector(replies[a * layout.columns + b]!, 'out', a * layout.columns + b),
    );
    combineLogSumExp(parts, epsilon, out.subarray(first.rowStart, first.rowStart + first.rowCount));
  }
}

/**
 * Columns pass: `out_j = eps log sum_a exp(l_abj / eps)` for `j in J_b`, from the partials
 * `l_abj = eps LSE_{i in I_a}((h_i + K_ij) / eps)` of workers `(0..R-1, b)`.
 */
export function combineColumnsPass(
  replies: readonly ShardReply[],
  shards: readonly GridShard[],
  layout: ShardedLayout,
  epsilon: number,
  out: Float64Array,
): void {
  for (let b = 0; b < layout.columns; b += 1) {
    const first = shards[b]!;
    const parts = Array.from({ length: layout.rows }, (_, a) =>
      replyVector(replies[a * layout.columns + b]!, 'out', a * layout.columns + b),
    );
    combineLogSumExp(
      parts,
      epsilon,
      out.subarray(first.columnStart, first.columnStart + first.columnCount),
    );
  }
}

/**
 * Statistics: row sums `sum_b (P 1)_{ab}` (b = 0..C-1), column sums `sum_a (P^T 1)_{ab}`
 * (a = 0..R-1) and `<P, K> = sum_r <P, K>_r` (rank order), all left to right in float64.
 */
export function sumStatistics(
  replies: readonly ShardReply[],
  shards: readonly GridShard[],
  n: number,
  m: number,
): { rowSums: Float64Array; columnSums: Float64Array; kernelMoment: number } {
  const rowSums = new Float64Array(n);
  const columnSums = new Float64Array(m);
  let kernelMoment = 0;
  replies.forEach((reply, rank) => {
    const shard = shards[rank]!;
    addBlock(rowSums, replyVector(reply, 'rowSums', rank), shard.rowStart, shard.columnBlock === 0);
    addBlock(
      columnSums,
      replyVector(reply, 'columnSums', rank),
      shard.columnStart,
      shard.rowBlock === 0,
    );
    const value = reply.header.ok ? reply.header.values?.kernelMoment : undefined;
    if (typeof value !== 'number') {
      throw new ProtocolError({
        channel: `worker ${rank}`,
        message: 'answered without kernelMoment',
      });
    }
    kernelMoment += value;
  });
  return { rowSums, columnSums, kernelMoment };
}

/** `out[start + k] = part[k]` for the first part of a block, `+= part[k]` for the next ones. */
function addBlock(out: Float64Array, part: Float64Array, start: number, first: boolean): void {
  if (first) {
    out.set(part, start);
    return;
  }
  for (let k = 0; k < part.length; k += 1) out[start + k] = out[start + k]! + part[k]!;
}

/**
 * Conditional expectations as a mixture over column blocks. Worker `(a, b)` answers, for each
 * requested row i, the mean `E_b(i) = sum_{j in J_b} P_ij v_j / sum_{j in J_b} P_ij` and the
 * block's log-mass `l_b(i) = eps LSE_{j in J_b}((g~_j + K_ij) / eps)`. With
 * `M = max_b l_b(i)` and `w_b = exp((l_b(i) - M) / eps)` (proportional to the block's mass
 * `sum_{j in J_b} P_ij`),
 *
 *   E(i) = sum_b w_b E_b(i) / sum_b w_b,
 *
 * exact up to rounding, summed in the order b = 0..C-1. A block of zero mass (`w_b = 0`) is
 * skipped (its mean is 0/0); a row of zero mass in every block gives NaN, as in one process.
 *
 * `routes[a]` lists the request indices s (into `out`) whose row lies in row block a, in the
 * order the requests of row block a were sent.
 */
export function combineConditionalExpectations(
  replies: readonly ShardReply[],
  layout: ShardedLayout,
  routes: readonly (readonly number[])[],
  epsilon: number,
  width: number,
  out: Float64Array,
): void {
  const { rows: rowBlockCount, columns } = layout;
  const weights = new Float64Array(columns);
  for (let a = 0; a < rowBlockCount; a += 1) {
    const means = Array.from({ length: columns }, (_, b) =>
      replyVector(replies[a * columns + b]!, 'out', a * columns + b),
    );
    const logMasses = Array.from({ length: columns }, (_, b) =>
      replyVector(replies[a * columns + b]!, 'logMass', a * columns + b),
    );
    routes[a]!.forEach((s, k) => {
      let maximum = Number.NEGATIVE_INFINITY;
      let nan = false;
      for (let b = 0; b < columns; b += 1) {
        const value = logMasses[b]![k]!;
        if (Number.isNaN(value)) nan = true;
        else if (value > maximum) maximum = value;
      }
      const target = out.subarray(s * width, (s + 1) * width);
      if (nan || maximum === Number.NEGATIVE_INFINITY || maximum === Number.POSITIVE_INFINITY) {
        target.fill(Number.NaN);
        return;
      }
      let total = 0;
      for (let b = 0; b < columns; b += 1) {
        const weight = Math.exp((logMasses[b]![k]! - maximum) / epsilon);
        weights[b] = weight;
        total += weight;
      }
      target.fill(0);
      for (let b = 0; b < columns; b += 1) {
        const weight = weights[b]!;
        if (weight === 0) continue;
        const mean = means[b]!;
        for (let c = 0; c < width; c += 1) target[c] = target[c]! + weight * mean[k * width + c]!;
      }
      for (let c = 0; c < width; c += 1) target[c] = target[c]! / total;
    });
  }
}
