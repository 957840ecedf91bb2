import { hasMarker, SinkflowError } from '@sinkflow/core';

const symbol = Symbol.for('sinkflow.error.InvalidReplyError');

/**
 * Thrown when a recruited worker's answer does not fit the request it answers and the block the
 * worker was given (a vector of the wrong type or length, an extra vector, a NaN or +Infinity
 * where the operation cannot produce one, a sampled column outside the worker's block, a reply
 * larger than the request allows): the driver refuses to fold it into the run. Names the worker,
 * the operation and what was rejected.
 *
 * @example
 * ```ts
 * // message: "worker 1 (w-gpu2-4711-a1b2c3) answered 'logSumExp' with an invalid reply: vector 'out' holds NaN at 17"
 * ```
 */
export class InvalidReplyError extends SinkflowError {
  readonly [symbol] = true;
  readonly rank: number;
  readonly workerId: string;
  /** The operation that was answered (`prepare`, `logSumExp`, ...). */
  readonly operation: string;
  /** What was rejected: a vector or value name, or `reply` for the whole message. */
  readonly field: string;
  /** Why. */
  readonly reason: string;

  constructor(options: {
    readonly rank: number;
    readonly workerId: string;
    readonly operation: string;
    readonly field: string;
    readonly reason: string;
  }) {
    super(
      `worker ${options.rank} (${options.workerId}) answered '${options.operation}' with an invalid reply: ${options.field === 'reply' ? '' : `${options.field} `}${options.reason}`,
    );
    this.name = 'InvalidReplyError';
    this.rank = options.rank;
    this.workerId = options.workerId;
    this.operation = options.operation;
    this.field = options.field;
    this.reason = options.reason;
  }

  /** True when `value` is an {@link InvalidReplyError} from any copy of the package. */
  static override isInstance(value: unknown): value is InvalidReplyError {
    return hasMarker(value, symbol);
  }
}
