import { InvalidArgumentError, requireInteger, requireOneOf } from '@sinkflow/core';
import type {
  ConditionalExpectationRequest,
  CouplingStatistics,
  KernelProblem,
  LogSumExpRequest,
  PreparedKernel,
  SampleColumnsRequest,
  SinkhornBackend,
  StatisticsRequest,
} from '@sinkflow/ot';
import type { Collective } from '../collective/collective.js';
import type { ShardBackendName, ShardReply, ShardRequest } from '../collective/shard-protocol.js';
import { ShardedReportBuilder } from '../internal/sharded-report-builder.js';
import { rowBlocks } from './row-blocks.js';
import type { ShardedReport } from './sharded-report.js';

/** Options of {@link createShardedBackend}. */
export interface ShardedBackendOptions {
  /** The workers (in process or on NATS). The backend does not close it. */
  readonly collective: Collective;
  /**
   * The backend each worker runs on its block: `'js'` (float64 reference, deterministic),
   * `'wasm'` (SIMD on threads) or `'auto'` (wasm where supported). @default 'auto'
   */
  readonly shardBackend?: ShardBackendName;
  /** Threads of each worker's wasm backend. @default the worker's `os.availableParallelism()` */
  readonly threadsPerShard?: number | undefined;
}

/** A {@link SinkhornBackend} that shards the rows of X across the workers of a collective. */
export interface ShardedBackend extends SinkhornBackend {
  /** Timings and traffic of the last prepared kernel (see {@link ShardedReport}). */
  report(): ShardedReport;
}

/**
 * A Sinkhorn backend (interface v1) whose kernel is split across P workers, so that
 * `createSinkhornProblem({ x, y, backend })` solves, samples and projects with the options and
 * output of the single-process solver. Worker p owns the rows `I_p` of X (contiguous blocks, see
 * {@link rowBlocks}) and all of Y, and recomputes its block of `K = X Y^T` on its local backend;
 * per pass only O(n + P m) numbers move [klein2025, Sec. 4]:
 *
 * - rows pass: broadcast `g~` (m); worker p returns `eps LSE_j((g~_j + K_ij) / eps)` for `i in I_p`;
 *   the driver concatenates the blocks;
 * - columns pass: worker p gets `f~_{I_p}` and returns its partial
 *   `l_pj = eps LSE_{i in I_p}((f~_i + K_ij) / eps)`; the driver combines them exactly, in rank
 *   order, with `combineLogSumExp` (`out_j = M_j + eps log sum_p exp((l_pj - M_j) / eps)`);
 * - statistics: row sums gathered, column sums and `<P, K>` summed in rank order;
 * - sampling and projections: each row goes to its owner; the Gumbel noise is keyed by the global
 *   row index, so the pairs are those of the single-process solver on the same local backend.
 *
 * With the float64 `js` shard backend the rows pass is bitwise that of `createJsBackend()`, and
 * the columns pass differs only by the rounding of the combination (~1e-16 relative).
 *
 * @example
 * ```ts
 * const collective = await connectNatsCollective({ servers: 'nats://127.0.0.1:4222', workers: 2 });
 * const backend = createShardedBackend({ collective });
 * const solution = await solveSinkhorn({ x, y, backend, epsilon: relativeEpsilon(0.05) });
 * backend.report().communicationShare; // e.g. 0.004
 * await collective.close();
 * ```
 */
export function createShardedBackend({
  collective,
  shardBackend = 'auto',
  threadsPerShard,
}: ShardedBackendOptions): ShardedBackend {
  const functionName = 'createShardedBackend';
  if (typeof collective !== 'object' || collective === null || !(collective.size >= 1)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'collective',
      message: 'must be a Collective with at least one worker',
      value: collective,
    });
  }
  requireOneOf(shardBackend, ['auto', 'js', 'wasm'], {
    functionName,
    argumentName: 'shardBackend',
  });
  if (threadsPerShard !== undefined)
    requireInteger(threadsPerShard, { functionName, argumentName: 'threadsPerShard', minimum: 1 });
  let current: ShardedReportBuilder | undefined;
  return {
    specificationVersion: 'v1',
    name: `sharded(${shardBackend})`,
    description: `${collective.size} ${collective.kind} workers, ${shardBackend} backend each`,
    async prepare(problem) {
      const builder = new ShardedReportBuilder(collective);
      current = builder;
      return prepareShardedKernel(collective, problem, shardBackend, threadsPerShard, builder);
    },
    report: () => (current ?? new ShardedReportBuilder(collective)).build(),
  };
}

async function prepareShardedKernel(
  collective: Collective,
  problem: KernelProblem,
  shardBackend: ShardBackendName,
  threads: number | undefined,
  report: ShardedReportBuilder,
): Promise<PreparedKernel> {
  const { x, y, n, m, d, mode } = problem;
  const functionName = 'createShardedBackend.prepare';
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
  const blocks = rowBlocks(n, collective.size);
  const started = performance.now();
  const prepared = await collective.scatter(
    blocks.map(({ start, count }) => ({
      header: {
        op: 'prepare',
        backend: shardBackend,
        threads,
        n,
        m,
        d,
        rowStart: start,
        rowCount: count,
        mode,
      },
      vectors: { x: x.slice(start * d, (start + count) * d), y },
    })),
  );
  report.prepared(
    (performance.now() - started) / 1000,
    blocks,
    prepared.map((reply) => String((reply.header.ok && reply.header.values?.description) || '')),
  );
  let disposed = false;
  const live = (operation: string) => {
    if (disposed) throw new Error(`createShardedBackend: ${operation} on a disposed kernel`);
  };
  const timed = async <T extends { replies: readonly ShardReply[] } | readonly ShardReply[]>(
    run: () => Promise<T>,
  ): Promise<T> => {
    const start = performance.now();
    const result = await run();
    const replies = Array.isArray(result) ? result : (result as { replies: ShardReply[] }).replies;
    report.pass((performance.now() - start) / 1000, replies as readonly ShardReply[]);
    return result;
  };
  const perBlock = (make: (block: { start: number; count: number }) => ShardRequest) =>
    blocks.map(make);

  return {
    mode,
    async logSumExp({ side, offsets, epsilon, out }: LogSumExpRequest) {
      live('logSumExp');
      checkLength('logSumExp', 'offsets', offsets, side === 'rows' ? m : n);
      checkLength('logSumExp', 'out', out, side === 'rows' ? n : m);
      if (side === 'rows') {
        const request: ShardRequest = {
          header: { op: 'logSumExp', side, epsilon },
          vectors: { offsets },
        };
        await timed(() =>
          collective.gather({ requests: blocks.map(() => request), vector: 'out', out }),
        );
      } else {
        await timed(() =>
          collective.allReduceLogSumExp({
            requests: perBlock(({ start, count }) => ({
              header: { op: 'logSumExp', side, epsilon },
              vectors: { offsets: offsets.slice(start, start + count) },
            })),
            vector: 'out',
            epsilon,
            out,
          }),
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
      const requests = perBlock(({ start, count }) => ({
        header: { op: 'statistics', epsilon },
        vectors: { rowPotentials: rowPotentials.slice(start, start + count), columnPotentials },
      }));
      const columnSums = new Float64Array(m);
      const { replies, sums } = await timed(() =>
        collective.allReduceSum({
          requests,
          vector: 'columnSums',
          out: columnSums,
          values: ['kernelMoment'],
        }),
      );
      const rowSums = new Float64Array(n);
      replies.forEach((reply, rank) => {
        rowSums.set(reply.vectors.rowSums as Float64Array, blocks[rank]!.start);
      });
      return { rowSums, columnSums, kernelMoment: sums.kernelMoment! };
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
      const routes = route(rows, blocks, n, 'sampleColumns');
      const replies = await timed(() =>
        collective.scatter(
          routes.map((samples) => ({
            header: { op: 'sampleColumns', epsilon, seed },
            vectors: {
              rows: Int32Array.from(samples, (s) => rows[s]!),
              draws: Uint32Array.from(samples, (s) => draws[s]!),
              columnPotentials,
            },
          })),
        ),
      );
      replies.forEach((reply, rank) => {
        const columns = reply.vectors.out as Int32Array;
        routes[rank]!.forEach((s, k) => {
          out[s] = columns[k]!;
        });
      });
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
      const routes = route(rows, blocks, n, 'conditionalExpectation');
      const replies = await timed(() =>
        collective.scatter(
          routes.map((samples) => ({
            header: { op: 'conditionalExpectation', epsilon, width },
            vectors: { rows: Int32Array.from(samples, (s) => rows[s]!), columnPotentials, values },
          })),
        ),
      );
      replies.forEach((reply, rank) => {
        const block = reply.vectors.out as Float64Array;
        routes[rank]!.forEach((s, k) => {
          out.set(block.subarray(k * width, (k + 1) * width), s * width);
        });
      });
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      await collective.broadcast({ header: { op: 'dispose' }, vectors: {} });
    },
  };
}

/** For each block, the indices s of the requests whose row belongs to it (ascending). */
function route(
  rows: Int32Array,
  blocks: readonly { start: number; count: number }[],
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
