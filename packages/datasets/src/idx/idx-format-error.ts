import { hasMarker, SinkflowError } from '@sinkflow/core';

const symbol = Symbol.for('sinkflow.error.IdxFormatError');

/**
 * Thrown when bytes are not a well-formed IDX array [lecun1998mnist]: a short header, a magic
 * number whose first two bytes are not zero, an unknown type code, a zero or absurd dimension, or a
 * data section whose length differs from the product of the dimensions times the element size.
 * `source` names what was being read (a file path, or `'buffer'`).
 *
 * @example
 * ```ts
 * try { parseIdx(new Uint8Array([1, 2, 3])); }
 * catch (error) { if (IdxFormatError.isInstance(error)) console.log(error.message); }
 * // "cannot read buffer as IDX: 3 bytes, shorter than the 4-byte magic number"
 * ```
 */
export class IdxFormatError extends SinkflowError {
  readonly [symbol] = true;
  /** What was being read: a file path, or `'buffer'`. */
  readonly source: string;

  constructor({
    source,
    message,
    cause,
  }: { readonly source: string; readonly message: string; readonly cause?: unknown }) {
    super(`cannot read ${source} as IDX: ${message}`, { cause });
    this.name = 'IdxFormatError';
    this.source = source;
  }

  /** True when `value` is an {@link IdxFormatError} from any copy of `@sinkflow/datasets`. */
  static override isInstance(value: unknown): value is IdxFormatError {
    return hasMarker(value, symbol);
  }
}
