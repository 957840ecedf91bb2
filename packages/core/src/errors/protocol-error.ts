import { hasMarker, SinkflowError } from './sinkflow-error.js';

const symbol = Symbol.for('sinkflow.error.ProtocolError');

/**
 * Thrown when a message between two sinkflow processes or threads (a shard frame, a sealed NATS
 * message, a worker thread's request or answer) does not follow the protocol that both ends
 * speak: bad magic bytes, a truncated frame, an unknown operation, a missing vector, an answer
 * that was not sealed, a chunk that breaks its message's limits. The receiver refuses the message
 * instead of acting on it. `channel` names the link (`'shard frame'`, `'sealed channel'`, ...).
 *
 * @example
 * ```ts
 * throw new ProtocolError({ channel: 'shard frame', message: 'bad magic' });
 * // message: "shard frame: protocol error: bad magic"
 * ```
 */
export class ProtocolError extends SinkflowError {
  readonly [symbol] = true;
  /** The link whose message broke the protocol. */
  readonly channel: string;

  constructor({
    channel,
    message,
    cause,
  }: { readonly channel: string; readonly message: string; readonly cause?: unknown }) {
    super(`${channel}: protocol error: ${message}`, { cause });
    this.name = 'ProtocolError';
    this.channel = channel;
  }

  /** True when `value` is a {@link ProtocolError} from any copy of `@sinkflow/core`. */
  static override isInstance(value: unknown): value is ProtocolError {
    return hasMarker(value, symbol);
  }
}
