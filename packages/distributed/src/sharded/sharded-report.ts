import type { MemberTraffic } from '../collective/collective.js';
import type { ShardedLayout } from './sharded-layout.js';

/** One worker's part of a {@link ShardedReport}. */
export interface ShardedWorkerReport extends MemberTraffic {
  /** Its place `(a, b)` in the grid (`rank = a C + b`; `b = 0` with row sharding). */
  readonly rowBlock: number;
  readonly columnBlock: number;
  /** The rows of X it owns: `I_a = [rowStart, rowStart + rowCount)`. */
  readonly rowStart: number;
  readonly rowCount: number;
  /** The columns (points of Y) it owns: `J_b = [columnStart, columnStart + columnCount)` (all m with row sharding). */
  readonly columnStart: number;
  readonly columnCount: number;
  /** Its local backend (`'wasm, 2 threads'`, `'js'`), as it described itself. */
  readonly backend: string;
}

/**
 * Where the time of a sharded solve went. For every pass the driver measures its wall time and
 * each worker its compute time; the pass's critical compute is the slowest worker's. Then
 *
 *   communicationSeconds = passSeconds - computeSeconds,
 *   communicationShare   = communicationSeconds / passSeconds,
 *
 * i.e. everything that is not the slowest worker computing: serialisation, transfer (NATS), the
 * driver's fixed-order reductions, and waiting. The solver's own vector updates between passes
 * (O(n + m)) are not in `passSeconds`.
 */
export interface ShardedReport {
  /** The grid `R x C` (`{ rows: P, columns: 1 }` with row sharding). */
  readonly layout: ShardedLayout;
  /** The P workers, in rank order. */
  readonly workers: readonly ShardedWorkerReport[];
  /** Passes run (logSumExp, statistics, sampling, projection) since the kernel was prepared. */
  readonly passes: number;
  /** Driver wall-clock seconds inside passes. */
  readonly passSeconds: number;
  /** Sum over passes of the slowest worker's compute seconds. */
  readonly computeSeconds: number;
  readonly communicationSeconds: number;
  /** `communicationSeconds / passSeconds` (0 before any pass). */
  readonly communicationShare: number;
  /** Bytes sent to and received from all workers, including the one-time `prepare` (X, Y). */
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /**
   * Bytes both ways in passes only (without the one-time `prepare`): O(C n + R m) per pass
   * (O(n + P m) with row sharding).
   */
  readonly passBytes: number;
  /** Seconds spent preparing (sending X blocks and Y, workers building their kernels). */
  readonly prepareSeconds: number;
}
