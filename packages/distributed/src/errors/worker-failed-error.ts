import { hasMarker, SinkflowError } from '@sinkflow/core';

const symbol = Symbol.for('sinkflow.error.WorkerFailedError');

/**
 * Thrown when a worker answered a request with an error (its local backend threw, it ran out of
 * memory preparing its block, it speaks another protocol version). Names the worker and carries
 * the worker's own error name and message.
 *
 * @example
 * ```ts
 * // message: "worker 0 (thread-0) failed 'prepare': RangeError: Array buffer allocation failed"
 * ```
 */
export class WorkerFailedError extends SinkflowError {
  readonly [symbol] = true;
  readonly rank: number;
  readonly workerId: string;
  /** The operation that failed (`prepare`, `logSumExp`, ...). */
  readonly operation: string;
  /** The worker's error name and message. */
  readonly remoteName: string;
  readonly remoteMessage: string;

  constructor(options: {
    readonly rank: number;
    readonly workerId: string;
    readonly operation: string;
    readonly remoteName: string;
    readonly remoteMessage: string;
  }) {
    super(
      `worker ${options.rank} (${options.workerId}) failed '${options.operation}': ${options.remoteName}: ${options.remoteMessage}`,
    );
    this.name = 'WorkerFailedError';
    this.rank = options.rank;
    this.workerId = options.workerId;
    this.operation = options.operation;
    this.remoteName = options.remoteName;
    this.remoteMessage = options.remoteMessage;
  }

  /** True when `value` is a {@link WorkerFailedError} from any copy of the package. */
  static override isInstance(value: unknown): value is WorkerFailedError {
    return hasMarker(value, symbol);
  }
}
