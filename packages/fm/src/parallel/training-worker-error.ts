import { hasMarker, SinkflowError } from '@sinkflow/core';

const symbol = Symbol.for('sinkflow.error.TrainingWorkerError');

/**
 * Thrown by a data-parallel trainer (`workers > 1`) when one of its replicas fails: a worker
 * thread that could not start (the package not built, a backend that does not initialise there),
 * an error thrown while it computed its gradients or applied the update, a worker that exited. The
 * trainer terminates every worker before throwing, so nothing is left running. `worker` is the
 * replica's index (1 to `workers - 1`; replica 0 is the calling thread), `reason` the original
 * error's name and message, which `cause` carries (rebuilt on this side of the thread boundary).
 * The trainer's weights may be one update ahead of its step count after such an error: resume from
 * the last checkpoint.
 *
 * @example
 * ```ts
 * try { await trainer.train({ steps: 100 }); }
 * catch (error) { if (TrainingWorkerError.isInstance(error)) console.log(error.worker, error.reason); }
 * // message: "training worker 1 failed: Error: Based on the provided shape, [512,2], the tensor should have 1024 values but has 100"
 * ```
 */
export class TrainingWorkerError extends SinkflowError {
  readonly [symbol] = true;
  /** The failed replica (1 to `workers - 1`). */
  readonly worker: number;
  /** The cause as `Name: message`. */
  readonly reason: string;

  constructor({
    worker,
    reason,
    cause,
  }: { readonly worker: number; readonly reason: string; readonly cause?: unknown }) {
    super(`training worker ${worker} failed: ${reason}`, { cause });
    this.name = 'TrainingWorkerError';
    this.worker = worker;
    this.reason = reason;
  }

  /** True when `value` is a {@link TrainingWorkerError} from any copy of `@sinkflow/fm`. */
  static override isInstance(value: unknown): value is TrainingWorkerError {
    return hasMarker(value, symbol);
  }
}
