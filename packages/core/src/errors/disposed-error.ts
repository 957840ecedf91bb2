import { hasMarker, SinkflowError } from './sinkflow-error.js';

const symbol = Symbol.for('sinkflow.error.DisposedError');

/**
 * Thrown when a resource is used after it was disposed or closed: a prepared backend kernel after
 * `dispose()`, a collective after `close()`. `functionName` names the public function that made
 * the resource, `resource` what it is, and `operation` (when known) the call that was refused.
 *
 * @example
 * ```ts
 * throw new DisposedError({ functionName: 'createJsBackend', resource: 'kernel', operation: 'logSumExp' });
 * // message: "createJsBackend: logSumExp on a disposed kernel"
 * ```
 */
export class DisposedError extends SinkflowError {
  readonly [symbol] = true;
  /** The public function that created the resource. */
  readonly functionName: string;
  /** What was disposed (`'kernel'`, `'collective'`, ...). */
  readonly resource: string;
  /** The refused call, when known. */
  readonly operation: string | undefined;

  constructor({
    functionName,
    resource,
    operation,
  }: {
    readonly functionName: string;
    readonly resource: string;
    readonly operation?: string;
  }) {
    super(
      `${functionName}: ${operation === undefined ? 'use of' : `${operation} on`} a disposed ${resource}`,
    );
    this.name = 'DisposedError';
    this.functionName = functionName;
    this.resource = resource;
    this.operation = operation;
  }

  /** True when `value` is a {@link DisposedError} from any copy of `@sinkflow/core`. */
  static override isInstance(value: unknown): value is DisposedError {
    return hasMarker(value, symbol);
  }
}
