import type { ShardReply, ShardRequest } from './shard-protocol.js';

/** One worker of a run. */
export interface CollectiveMember {
  /** 0-based rank: the worker owns the rank-th block of rows. */
  readonly rank: number;
  /** A unique id (`w-HOST-PID-RANDOM` on NATS, `thread-R` in process). */
  readonly id: string;
  /** The machine it runs on. */
  readonly host: string;
}

/** Messages and bytes exchanged with one worker, and its compute time, since the run started. */
export interface MemberTraffic extends CollectiveMember {
  /** Requests answered. */
  readonly requests: number;
  /** Transport messages (NATS messages, chunks included) both ways. */
  readonly messages: number;
  /** Bytes sent to the worker (vectors and headers). */
  readonly bytesSent: number;
  /** Bytes received from it. */
  readonly bytesReceived: number;
  /** Seconds the worker spent in its local backend. */
  readonly computeSeconds: number;
}

/** Requests for a collective operation: one for every rank (in rank order). */
export interface CollectiveRequests {
  readonly requests: readonly ShardRequest[];
}

/**
 * The collective operations of a sharded run, seen from the driver (the process that runs the
 * Sinkhorn loop; the root of every collective). Every operation sends one request to each worker,
 * waits for all answers, and combines them in rank order, so results never depend on the order in
 * which messages arrive. An all-reduce lands at the driver, which hands the result to the workers
 * with its next request (reduce, then broadcast).
 *
 * Implementations: {@link createInProcessCollective} (worker threads) and
 * {@link connectNatsCollective} (worker processes on any machine, over a NATS server).
 * A worker that stops answering makes the pending operation reject with a `WorkerLostError`;
 * one that answers with an error, with a `WorkerFailedError`.
 *
 * @example
 * ```ts
 * const collective = await createInProcessCollective({ workers: 2 });
 * await collective.barrier();
 * await collective.close();
 * ```
 */
export interface Collective {
  /** `'in-process'` or `'nats'`. */
  readonly kind: string;
  /** The run's id; on NATS its subjects live under `PREFIX.run.RUNID.`. */
  readonly runId: string;
  /** P, the number of workers. */
  readonly size: number;
  readonly members: readonly CollectiveMember[];
  /** Resolves once every worker answered a liveness check. */
  barrier(): Promise<void>;
  /** The same request to every worker; their answers in rank order. */
  broadcast(request: ShardRequest): Promise<readonly ShardReply[]>;
  /** `requests[r]` to worker r; the answers in rank order. */
  scatter(requests: readonly ShardRequest[]): Promise<readonly ShardReply[]>;
  /**
   * Scatter, then concatenate the answers' vector `vector` in rank order into `out` (the row
   * blocks of a rows pass).
   */
  gather(
    options: CollectiveRequests & { readonly vector: string; readonly out: Float64Array },
  ): Promise<readonly ShardReply[]>;
  /**
   * Scatter, then combine the answers' partial log-sum-exps `vector` with
   * `combineLogSumExp` in rank order into `out`.
   */
  allReduceLogSumExp(
    options: CollectiveRequests & {
      readonly vector: string;
      readonly epsilon: number;
      readonly out: Float64Array;
    },
  ): Promise<readonly ShardReply[]>;
  /**
   * Scatter, then sum the answers' vector `vector` into `out` and their scalar `values` in rank
   * order (`out_j = (((v_0j + v_1j) + v_2j) + ...)`); returns the scalar sums.
   */
  allReduceSum(
    options: CollectiveRequests & {
      readonly vector: string;
      readonly out: Float64Array;
      readonly values?: readonly string[];
    },
  ): Promise<{ readonly replies: readonly ShardReply[]; readonly sums: Record<string, number> }>;
  /** Traffic and compute time per worker, in rank order. */
  traffic(): readonly MemberTraffic[];
  /** Releases the workers (they return to the pool) and the connection. Idempotent. */
  close(): Promise<void>;
}
