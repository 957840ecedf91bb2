import { SinkflowError } from '@sinkflow/core';

const symbol = Symbol.for('sinkflow.lab.NotConvergedError');

/**
 * Thrown by a command whose numerical result is not trustworthy: a Sinkhorn solve that did not
 * converge or diverged, or an entropy search that did not reach its target. The command has
 * already printed what it found (and written its JSON summary, with `converged: false`); the
 * command line prints this one-line message on stderr and exits 3. `--allow-unconverged` makes
 * such a result a success (exit 0), as before this contract.
 *
 * @example
 * ```ts
 * throw new NotConvergedError('marginal error 1.2e+0 above --threshold 1e-3 after 10 iterations');
 * ```
 */
export class NotConvergedError extends SinkflowError {
  readonly [symbol] = true;

  constructor(message: string) {
    super(message);
    this.name = 'NotConvergedError';
  }

  /** True when `value` is a {@link NotConvergedError}. */
  static override isInstance(value: unknown): value is NotConvergedError {
    return typeof value === 'object' && value !== null && symbol in value;
  }
}
