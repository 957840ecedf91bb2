import { hasMarker, SinkflowError } from './sinkflow-error.js';

const symbol = Symbol.for('sinkflow.error.InternalError');

/**
 * Thrown when an invariant that sinkflow relies on does not hold: a state the code cannot reach
 * unless it has a bug, a component that broke its contract with another (a kernel export that is
 * missing, a worker thread that trapped), or an installation that lacks a file it needs. It is
 * never the caller's input (that is an {@link InvalidArgumentError}) and never a backend that
 * cannot run here (a {@link BackendUnavailableError}); the command line reports it as an
 * internal failure (exit code 1). `where` names the function or component that found it.
 *
 * @example
 * ```ts
 * throw new InternalError({ where: 'networkSimplex', message: 'unbounded cycle' });
 * // message: "networkSimplex: unbounded cycle (internal error)"
 * ```
 */
export class InternalError extends SinkflowError {
  readonly [symbol] = true;
  /** The function or component that found the broken invariant. */
  readonly where: string;

  constructor({
    where,
    message,
    cause,
  }: { readonly where: string; readonly message: string; readonly cause?: unknown }) {
    super(`${where}: ${message} (internal error)`, { cause });
    this.name = 'InternalError';
    this.where = where;
  }

  /** True when `value` is an {@link InternalError} from any copy of `@sinkflow/core`. */
  static override isInstance(value: unknown): value is InternalError {
    return hasMarker(value, symbol);
  }
}
