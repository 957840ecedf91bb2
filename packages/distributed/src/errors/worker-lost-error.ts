import { hasMarker, SinkflowError } from '@sinkflow/core';

const symbol = Symbol.for('sinkflow.error.WorkerLostError');

/**
 * Thrown (the solve rejects with it) when a worker of a sharded run stops answering: its process
 * exited or lost its connection (NATS reports no subscriber for its run any more), it did not
 * answer a liveness ping for `workerTimeoutMs`, or its thread died. The message names the worker
 * (rank, id, host) so that the operator knows which machine to look at; the potentials of the last
 * checkpoint stay on disk and a restarted run resumes from them.
 *
 * @example
 * ```ts
 * try { await solveWithCheckpoints({ problem, checkpointDirectory: 'ckpt' }); }
 * catch (error) { if (WorkerLostError.isInstance(error)) console.error(error.rank, error.workerId); }
 * // message: "worker 1 (w-host-4242-ab12 on host) is lost: it did not answer for 5000 ms"
 * ```
 */
export class WorkerLostError extends SinkflowError {
  readonly [symbol] = true;
  /** The rank (0-based block index) of the worker. */
  readonly rank: number;
  /** The worker's id (`w-HOST-PID-RANDOM` for NATS workers, `thread-R` in process). */
  readonly workerId: string;
  /** Why it is considered lost. */
  readonly reason: string;

  constructor({
    rank,
    workerId,
    host,
    reason,
    cause,
  }: {
    readonly rank: number;
    readonly workerId: string;
    readonly host?: string | undefined;
    readonly reason: string;
    readonly cause?: unknown;
  }) {
    super(
      `worker ${rank} (${workerId}${host === undefined ? '' : ` on ${host}`}) is lost: ${reason}`,
      { cause },
    );
    this.name = 'WorkerLostError';
    this.rank = rank;
    this.workerId = workerId;
    this.reason = reason;
  }

  /** True when `value` is a {@link WorkerLostError} from any copy of the package. */
  static override isInstance(value: unknown): value is WorkerLostError {
    return hasMarker(value, symbol);
  }
}
