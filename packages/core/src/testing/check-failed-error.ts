import { hasMarker, SinkflowError } from '../errors/sinkflow-error.js';

const symbol = Symbol.for('sinkflow.error.CheckFailedError');

/**
 * Thrown by the `./testing` helpers of sinkflow packages when the value under test fails a check:
 * {@link assertClose} for values outside their tolerance, the backend conformance suite of
 * `@sinkflow/ot/testing` for a backend that breaks its contract. `check` names the check; the
 * message (kept as the helper wrote it, so test output reads as before) says what was expected
 * and what was found.
 *
 * @example
 * ```ts
 * throw new CheckFailedError({ check: 'assertClose', message: '1 of 3 entries not close' });
 * // message: "1 of 3 entries not close"
 * ```
 */
export class CheckFailedError extends SinkflowError {
  readonly [symbol] = true;
  /** The check that failed (a helper's name, or a conformance case). */
  readonly check: string;

  constructor({ check, message }: { readonly check: string; readonly message: string }) {
    super(message);
    this.name = 'CheckFailedError';
    this.check = check;
  }

  /** True when `value` is a {@link CheckFailedError} from any copy of `@sinkflow/core`. */
  static override isInstance(value: unknown): value is CheckFailedError {
    return hasMarker(value, symbol);
  }
}
