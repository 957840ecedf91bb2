import { hasMarker, SinkflowError } from '@sinkflow/core';

const symbol = Symbol.for('sinkflow.error.WorkerJoinError');

/**
 * Thrown by `connectNatsCollective` when fewer than the requested number of idle workers joined
 * the run within `joinTimeoutMs` (none started, all busy with other runs, or they cannot reach
 * the server / are not allowed on its subjects).
 *
 * @example
 * ```ts
 * // message: "only 1 of 2 workers joined run 3f2a... on nats://10.0.0.5:4222 within 30000 ms: start more with `sinkflow worker --nats URL`"
 * ```
 */
export class WorkerJoinError extends SinkflowError {
  readonly [symbol] = true;
  /** Workers asked for, and workers that joined. */
  readonly requested: number;
  readonly joined: number;

  constructor(options: {
    readonly requested: number;
    readonly joined: number;
    readonly message: string;
  }) {
    super(options.message);
    this.name = 'WorkerJoinError';
    this.requested = options.requested;
    this.joined = options.joined;
  }

  /** True when `value` is a {@link WorkerJoinError} from any copy of the package. */
  static override isInstance(value: unknown): value is WorkerJoinError {
    return hasMarker(value, symbol);
  }
}
