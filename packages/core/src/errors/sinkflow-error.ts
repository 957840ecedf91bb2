const marker = 'sinkflow.error';
const symbol = Symbol.for(marker);

/**
 * The base class of every error that sinkflow throws on purpose.
 *
 * `SinkflowError.isInstance(value)` recognises sinkflow errors across copies of the package (two
 * installed versions, bundled duplicates), where `instanceof` would fail: the check is a
 * registry-wide symbol, not the class identity (the pattern of vercel/ai's `AISDKError`).
 *
 * @example
 * ```ts
 * try { validatePointCloud(cloud, { functionName: 'solve', argumentName: 'x' }); }
 * catch (error) { if (SinkflowError.isInstance(error)) console.log(error.message); }
 * ```
 */
export class SinkflowError extends Error {
  readonly [symbol] = true;

  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'SinkflowError';
  }

  /** True when `value` is a {@link SinkflowError} from any copy of `@sinkflow/core`. */
  static isInstance(value: unknown): value is SinkflowError {
    return hasMarker(value, symbol);
  }
}

/**
 * True when `value` is an object carrying the brand `brand` (a `Symbol.for` key) set to true: the
 * check behind every `isInstance` of sinkflow's errors, which works across copies of a package
 * where `instanceof` does not (the pattern of vercel/ai's `AISDKError`). Error classes in other
 * packages use it for their own brands.
 *
 * @example
 * ```ts
 * const brand = Symbol.for('sinkflow.error.MyError');
 * hasMarker({ [brand]: true }, brand); // true
 * hasMarker(new Error('x'), brand);    // false
 * ```
 */
export function hasMarker(value: unknown, brand: symbol): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    brand in value &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}
