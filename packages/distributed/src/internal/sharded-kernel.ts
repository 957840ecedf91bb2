import { DisposedError, InvalidArgumentError, requireInteger } from '@sinkflow/core';
import type {
  ConditionalExpectationRequest,
  CouplingStatistics,
  KernelProblem,
  LogSumExpRequest,
  PreparedKernel,
  SampleColumnsRequest,
  StatisticsRequest,
} from '@sinkflow/ot/backend';
import { HALF_ENTRY_PRECISION } from '@sinkflow/ot/backend';

import type { Collective } from '../collective/collective.js';
import type {
  ShardBackendName,
  ShardReply,
  ShardRequest,
  ShardVector,
} from '../collective/shard-protocol.js';
import { WorkerFailedError } from '../errors/worker-failed-error.js';
import { type GridShard, gridShards, type ShardedLayout } from '../sharded/sharded-layout.js';
import { chooseColumnBlocks, columnBlockSeed } from './column-block-sampling.js';
import {
  combineColumnsPass,
  combineConditionalExpectations,
  combineRowsPass,
  replyVector,
  sumStatistics,
} from './grid-reductions.js';
import { routeRows } from './route-rows.js';
import type { ShardedReportBuilder } from './sharded-report-builder.js';

/**
 * @internal Prepares the sharded kernel of one problem on a grid of `R x C` workers (worker
 * `(a, b)` = rank `a C + b` owns `I_a x J_b`, see `gridShards`) and returns its passes; the
 * driver's reductions are in `grid-reductions.ts`. With `C = 1` (row sharding, the default) the
 * requests and reductions are those of the row-sharded kernel, and so are the results, bit for
 * bit; sampling then keys the noise by the global row (pairs of one process), whereas with
 * `C > 1` it samples in two stages (`column-block-sampling.ts`).
 */
export async function prepareShardedKernel({
  collective,
  problem,
  layout,
  shardBackend,
  threads,
  report,
}: {
  readonly collective: Collective;
  readonly problem: KernelProblem;
  readonly layout: ShardedLayout;
  readonly shardBackend: ShardBackendName;
  readonly threads: number | undefined;
  readonly report: ShardedReportBuilder;
}): Promise<PreparedKernel> {
  const { x, y, n, m, d, mode } = problem;
  const functionName = 'createShardedBackend.prepare';
  // dense16 is the wasm backend's kept half-precision kernel: only when every shard runs wasm.
  if (mode === 'dense16' && shardBackend !== 'wasm') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'problem.mode',
      message: `'dense16' needs shardBackend 'wasm' (this backend's shards run '${shardBackend}')`,
      value: mode,
    });
  }
  requireInteger(n, { functionName, argumentName: 'problem.n', minimum: 1 });
  requireInteger(m, { functionName, argumentName: 'problem.m', minimum: 1 });
  requireInteger(d, { functionName, argumentName: 'problem.d', minimum: 1 });
  if (
    !(x instanceof Float32Array) ||
    x.length !== n * d ||
    !(y instanceof Float32Array) ||
    y.length !== m * d
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'problem.x',
      message: 'x and y must be Float32Arrays of lengths n d and m d',
    });
  }
  const shards = gridShards(n, m, layout);
  const columnSharded = layout.columns > 1;
  // The row blocks I_a (the shards of column block 0), for routing per-row requests.
  const rowParts = shards
    .filter((shard) => shard.columnBlock === 0)
    .map((shard) => ({ start: shard.rowStart, count: shard.rowCount }));
  /** A column vector (or m x width values) restricted to the shard's columns J_b. */
  const columnsOf = <T extends ShardVector>(vector: T, shard: GridShard, width = 1): T =>
    columnSharded
      ? (vector.slice(
          shard.columnStart * width,
          (shard.columnStart + shard.columnCount) * width,
        ) as T)
      : vector;
  const rowsOf = (vector: Float64Array, shard: GridShard) =>
    vector.slice(shard.rowStart, shard.rowStart + shard.rowCount);

  const started = performance.now();
  const prepared = await collective.scatter(
    shards.map((shard) => ({
      header: {
        op: 'prepare',
        backend: shardBackend,
        threads,
        n,
        m,
        d,
        rowStart: shard.rowStart,
        rowCount: shard.rowCount,
        // Row sharding keeps the header of protocol v1 as it always was (all of Y).
        ...(columnSharded
          ? { columnStart: shard.columnStart, columnCount: shard.columnCount }
          : {}),
        mode,
      },
      vectors: {
        x: x.slice(shard.rowStart * d, (shard.rowStart + shard.rowCount) * d),
        y: columnsOf(y, shard, d),
      },
    })),
  );
  if (columnSharded) checkColumnBlocks(collective, shards, prepared);
  report.prepared(
    (performance.now() - started) / 1000,
    shards,
    prepared.map((reply) => String((reply.header.ok && reply.header.values?.description) || '')),
  );
  let disposed = false;
  const live = (operation: string) => {
    if (disposed) {
      throw new DisposedError({
        functionName: 'createShardedBackend',
        resource: 'kernel',
        operation,
      });
    }
  };
  /** One pass: scatter, then reduce in the driver; timed together (see `ShardedReport`). */
  const pass = async (
    requests: readonly ShardRequest[],
    reduce: (replies: readonly ShardReply[]) => void,
  ): Promise<readonly ShardReply[]> => {
    const start = performance.now();
    const replies = await collective.scatter(requests);
    reduce(replies);
    report.pass((performance.now() - start) / 1000, replies);
    return replies;
  };

  return {
    mode,
    ...(mode === 'dense16' ? { entryPrecision: HALF_ENTRY_PRECISION } : {}),
    async logSumExp({ side, offsets, epsilon, out, exact }: LogSumExpRequest) {
      live('logSumExp');
      checkLength('logSumExp', 'offsets', offsets, side === 'rows' ? m : n);
      checkLength('logSumExp', 'out', out, side === 'rows' ? n : m);
      if (side === 'rows') {
        await pass(
          shards.map((shard) => ({
            header: { op: 'logSumExp', side, epsilon, ...(exact === true ? { exact } : {}) },
            vectors: { offsets: columnsOf(offsets, shard) },
          })),
          (replies) => combineRowsPass(replies, shards, layout, epsilon, out),
        );
      } else {
        await pass(
          shards.map((shard) => ({
            header: { op: 'logSumExp', side, epsilon, ...(exact === true ? { exact } : {}) },
            vectors: { offsets: rowsOf(offsets, shard) },
          })),
          (replies) => combineColumnsPass(replies, shards, layout, epsilon, out),
        );
      }
    },

    async statistics({
      rowPotentials,
      columnPotentials,
      epsilon,
    }: StatisticsRequest): Promise<CouplingStatistics> {
      live('statistics');
      checkLength('statistics', 'rowPotentials', rowPotentials, n);
      checkLength('statistics', 'columnPotentials', columnPotentials, m);
      let result: CouplingStatistics | undefined;
      await pass(
        shards.map((shard) => ({
          header: { op: 'statistics', epsilon },
          vectors: {
            rowPotentials: rowsOf(rowPotentials, shard),
            columnPotentials: columnsOf(columnPotentials, shard),
          },
        })),
        (replies) => {
          result = sumStatistics(replies, shards, n, m);
        },
      );
      return result!;
    },

    async sampleColumns({
      rows,
      draws,
      columnPotentials,
      epsilon,
      seed,
      out,
    }: SampleColumnsRequest) {
      live('sampleColumns');
      checkLength('sampleColumns', 'columnPotentials', columnPotentials, m);
      checkLength('sampleColumns', 'draws', draws, rows.length);
      checkLength('sampleColumns', 'out', out, rows.length);
      const routes = routeRows(rows, rowParts, n, 'sampleColumns');
      if (!columnSharded) {
        // Row sharding: worker a samples its rows over all of Y with the global-row noise.
        await pass(
          routes.map((samples) => ({
            header: { op: 'sampleColumns', epsilon, seed },
            vectors: {
              rows: Int32Array.from(samples, (s) => rows[s]!),
              draws: Uint32Array.from(samples, (s) => draws[s]!),
              columnPotentials,
            },
          })),
          (replies) => {
            replies.forEach((reply, rank) => {
              const columns = reply.vectors.out as Int32Array;
              routes[rank]!.forEach((s, k) => {
                out[s] = columns[k]!;
              });
            });
          },
        );
        return;
      }
      // Grid, stage 1: every block's partial rows pass l_b(i), then the block of each sample.
      const blockRoutes: number[][] = shards.map(() => []);
      await pass(
        shards.map((shard) => ({
          header: { op: 'logSumExp', side: 'rows', epsilon },
          vectors: { offsets: columnsOf(columnPotentials, shard) },
        })),
        (replies) => {
          routes.forEach((samples, a) => {
            const logMasses = Array.from({ length: layout.columns }, (_, b) =>
              replyVector(replies[a * layout.columns + b]!, 'out', a * layout.columns + b),
            );
            const chosen = chooseColumnBlocks({
              samples,
              rows,
              draws,
              rowStart: rowParts[a]!.start,
              logMasses,
              epsilon,
              seed,
            });
            samples.forEach((s, k) => {
              blockRoutes[a * layout.columns + chosen[k]!]!.push(s);
            });
          });
        },
      );
      // Stage 2: worker (a, b) samples j in J_b for the samples that chose its block.
      await pass(
        shards.map((shard) => {
          const samples = blockRoutes[shard.rank]!;
          return {
            header: {
              op: 'sampleBlockColumns',
              epsilon,
              seed: columnBlockSeed(seed, shard.rank),
            },
            vectors: {
              rows: Int32Array.from(samples, (s) => rows[s]! - shard.rowStart),
              draws: Uint32Array.from(samples, (s) => draws[s]!),
              columnPotentials: columnsOf(columnPotentials, shard),
            },
          };
        }),
        (replies) => {
          replies.forEach((reply, rank) => {
            const columns = reply.vectors.out as Int32Array;
            const { columnStart } = shards[rank]!;
            blockRoutes[rank]!.forEach((s, k) => {
              out[s] = columnStart + columns[k]!;
            });
          });
        },
      );
    },

    async conditionalExpectation({
      rows,
      columnPotentials,
      epsilon,
      values,
      width,
      out,
    }: ConditionalExpectationRequest) {
      live('conditionalExpectation');
      checkLength('conditionalExpectation', 'columnPotentials', columnPotentials, m);
      checkLength('conditionalExpectation', 'out', out, rows.length * width);
      const routes = routeRows(rows, rowParts, n, 'conditionalExpectation');
      if (!columnSharded) {
        await pass(
          routes.map((samples) => ({
            header: { op: 'conditionalExpectation', epsilon, width },
            vectors: { rows: Int32Array.from(samples, (s) => rows[s]!), columnPotentials, values },
          })),
          (replies) => {
            replies.forEach((reply, rank) => {
              const block = reply.vectors.out as Float64Array;
              routes[rank]!.forEach((s, k) => {
                out.set(block.subarray(k * width, (k + 1) * width), s * width);
              });
            });
          },
        );
        return;
      }
      checkLength('conditionalExpectation', 'values', values, m * width);
      await pass(
        shards.map((shard) => ({
          header: { op: 'blockConditionalExpectation', epsilon, width },
          vectors: {
            rows: Int32Array.from(routes[shard.rowBlock]!, (s) => rows[s]! - shard.rowStart),
            columnPotentials: columnsOf(columnPotentials, shard),
            values: columnsOf(values, shard, width),
          },
        })),
        (replies) => combineConditionalExpectations(replies, layout, routes, epsilon, width, out),
      );
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      await collective.broadcast({ header: { op: 'dispose' }, vectors: {} });
    },
  };
}

/**
 * A worker of an older protocol v1 ignores the column block of `prepare` (it would build a kernel
 * over the wrong columns): each must echo its block.
 */
function checkColumnBlocks(
  collective: Collective,
  shards: readonly GridShard[],
  replies: readonly ShardReply[],
): void {
  replies.forEach((reply, rank) => {
    const values = reply.header.ok ? reply.header.values : undefined;
    const shard = shards[rank]!;
    if (values?.columnStart !== shard.columnStart || values?.columnCount !== shard.columnCount) {
      throw new WorkerFailedError({
        rank,
        workerId: collective.members[rank]?.id ?? `rank-${rank}`,
        operation: 'prepare',
        remoteName: 'UnsupportedLayout',
        remoteMessage:
          'the worker does not know column blocks (an older @sinkflow/distributed); update it or use layout { rows: P, columns: 1 }',
      });
    }
  });
}

function checkLength(
  functionName: string,
  argumentName: string,
  vector: ArrayLike<number>,
  length: number,
): void {
  if (vector.length !== length) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: `must have length ${length}`,
      value: vector.length,
    });
  }
}
