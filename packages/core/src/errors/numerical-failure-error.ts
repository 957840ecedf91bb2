import { hasMarker, SinkflowError } from './sinkflow-error.js';

const symbol = Symbol.for('sinkflow.error.NumericalFailureError');

/**
 * Thrown when a computation whose result has no room for a failure report could not produce one:
 * a flow map whose ODE solver stopped before its end time (adaptive steps exhausted, non-finite
 * states). Solvers that can return their status report non-convergence as data instead
 * (`converged: false`, `completed: false`) and never throw this. `functionName` names the public
 * function, `status` the solver's reason.
 *
 * @example
 * ```ts
 * throw new NumericalFailureError({
 *   functionName: 'flowMap', status: 'non-finite', message: 'the euler solver stopped at t = 0.3',
 * });
 * // message: "flowMap: the euler solver stopped at t = 0.3 (non-finite)"
 * ```
 */
export class NumericalFailureError extends SinkflowError {
  readonly [symbol] = true;
  /** The public function whose computation failed. */
  readonly functionName: string;
  /** The reason the underlying solver gave. */
  readonly status: string;

  constructor({
    functionName,
    status,
    message,
  }: { readonly functionName: string; readonly status: string; readonly message: string }) {
    super(`${functionName}: ${message} (${status})`);
    this.name = 'NumericalFailureError';
    this.functionName = functionName;
    this.status = status;
  }

  /** True when `value` is a {@link NumericalFailureError} from any copy of `@sinkflow/core`. */
  static override isInstance(value: unknown): value is NumericalFailureError {
    return hasMarker(value, symbol);
  }
}
