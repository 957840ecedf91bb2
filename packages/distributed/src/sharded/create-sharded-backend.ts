import { InvalidArgumentError, requireInteger, requireOneOf } from '@sinkflow/core';
import type { SinkhornBackend } from '@sinkflow/ot';
import type { Collective } from '../collective/collective.js';
import type { ShardBackendName } from '../collective/shard-protocol.js';
import { prepareShardedKernel } from '../internal/sharded-kernel.js';
import { ShardedReportBuilder } from '../internal/sharded-report-builder.js';
import { resolveShardedLayout, type ShardedLayout } from './sharded-layout.js';
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
  /**
   * The grid `R x C` of workers (`R C = P`): worker `(a, b)`, rank `a C + b`, owns row block `I_a`
   * of X and column block `J_b` of Y (see {@link ShardedLayout}). `columns > 1` means no worker
   * holds all of Y. @default `{ rows: P, columns: 1 }` (row sharding)
   */
  readonly layout?: ShardedLayout | undefined;
}

/**
 * A {@link SinkhornBackend} that shards the kernel across the workers of a collective: the rows
 * of X, and the columns of Y too with a grid {@link ShardedLayout}.
 */
export interface ShardedBackend extends SinkhornBackend {
  /** Timings and traffic of the last prepared kernel (see {@link ShardedReport}). */
  report(): ShardedReport;
}

/**
 * A Sinkhorn backend (interface v1) whose kernel is split across P workers, so that
 * `createSinkhornProblem({ x, y, backend })` solves, samples and projects with the options and
 * output of the single-process solver.
 *
 * Row sharding (the default layout): worker p owns the rows `I_p` of X (contiguous blocks, see
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
 * Grid layout `{ rows: R, columns: C }` (`R C = P`): worker `(a, b)` owns `I_a x J_b` and only
 * `Y_{J_b}` (memory O((n / R + m / C) d)); per pass O(C n + R m) numbers move:
 *
 * - rows pass: worker `(a, b)` gets `g~_{J_b}` and returns `l_abi = eps LSE_{j in J_b}((g~_j +
 *   K_ij) / eps)`; the driver combines `b = 0..C-1` exactly (`combineLogSumExp`) for each `I_a`;
 * - columns pass: symmetric, `f~_{I_a}` in, partials over `I_a` out, combined over `a = 0..R-1`;
 * - statistics: row sums summed over b, column sums over a, `<P, K>` over all, in fixed order;
 * - projections: `E(i) = sum_b w_b E_b(i) / sum_b w_b` with the block means `E_b` and weights
 *   `w_b = exp((l_b(i) - max_b l_b(i)) / eps)` (each block's share of the row's mass);
 * - sampling: two stages, exact in distribution (not the pairs of one process): the block b with
 *   probability `sum_{j in J_b} P_ij / sum_j P_ij` by Gumbel-max over `l_b(i) / eps` with noise
 *   keyed by `(seed, i, b, draw)` in a domain of its own, then j inside `J_b` on worker `(a, b)`.
 *   Deterministic: same seed, same pairs, whatever the order in which messages arrive.
 *
 * @example
 * ```ts
 * const collective = await connectNatsCollective({ servers: 'nats://127.0.0.1:4222', workers: 2 });
 * const backend = createShardedBackend({ collective, layout: { rows: 1, columns: 2 } });
 * const solution = await solveSinkhorn({ x, y, backend, epsilon: relativeEpsilon(0.05) });
 * backend.report().communicationShare; // e.g. 0.004
 * await collective.close();
 * ```
 */
export function createShardedBackend({
  collective,
  shardBackend = 'auto',
  threadsPerShard,
  layout,
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
  const grid = resolveShardedLayout(layout, collective.size, functionName);
  const shape = grid.columns === 1 ? '' : ` in a ${grid.rows} x ${grid.columns} grid`;
  let current: ShardedReportBuilder | undefined;
  return {
    specificationVersion: 'v1',
    name: `sharded(${shardBackend})`,
    description: `${collective.size} ${collective.kind} workers${shape}, ${shardBackend} backend each`,
    // The half-precision kernel is the wasm backend's: offered when every shard runs it.
    kernelModes: shardBackend === 'wasm' ? ['dense', 'dense16', 'online'] : ['dense', 'online'],
    async prepare(problem) {
      const report = new ShardedReportBuilder(collective, grid);
      current = report;
      return prepareShardedKernel({
        collective,
        problem,
        layout: grid,
        shardBackend,
        threads: threadsPerShard,
        report,
      });
    },
    report: () => (current ?? new ShardedReportBuilder(collective, grid)).build(),
  };
}
