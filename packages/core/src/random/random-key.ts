import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { requireInteger } from '../validation/argument-checks.js';

/** @internal 2^32, the modulus of one Philox word. */
export const TWO_POW_32 = 4294967296;

/**
 * @internal Domain tags: the fourth Philox counter word, which keeps the streams of different uses of the
 * same key disjoint. Tags with the top bit set are reserved for `@sinkflow/core`; the keyed
 * (counter-based) functions accept any user domain in `[0, 2^31)`.
 *
 * - `counterDefault` (0): the keyed draws `counterUniform(seed, i, j, k)`, used by the Sinkhorn
 *   pair sampler for the Gumbel noise of coupling entry `(i, j)`, draw `k`.
 * - `sequential` (0x80000001): the blocks of a sequential generator.
 * - `splitKey` (0x80000002): the derivation of a child key in `split(streamId)`.
 *
 * @example
 * ```ts
 * RANDOM_DOMAIN.sequential; // 2147483649
 * ```
 */
export const RANDOM_DOMAIN = {
  counterDefault: 0,
  sequential: 0x80000001,
  splitKey: 0x80000002,
} as const;

/**
 * The largest domain a caller may pass to the keyed functions: `2^31 - 1` (larger tags are
 * reserved, see {@link RANDOM_DOMAIN}).
 *
 * @example
 * ```ts
 * counterUniform(1, 0, 0, 0, MAXIMUM_USER_DOMAIN); // allowed; MAXIMUM_USER_DOMAIN + 1 throws
 * ```
 */
export const MAXIMUM_USER_DOMAIN = 0x7fffffff;

/**
 * A Philox key: two words in `[0, 2^32)`.
 *
 * @example
 * ```ts
 * const key: PhiloxKey = [42, 0]; // the key of seed 42
 * ```
 */
export type PhiloxKey = readonly [key0: number, key1: number];

/**
 * Splits a seed (a safe integer in `[0, 2^53)`) into the Philox key
 * `(seed mod 2^32, floor(seed / 2^32))`, so distinct seeds give distinct keys.
 *
 * @throws {@link InvalidArgumentError} when `seed` is not a non-negative safe integer.
 * @example
 * ```ts
 * seedToKey(2 ** 32 + 5, { functionName: 'f', argumentName: 'seed' }); // [5, 1]
 * ```
 */
export function seedToKey(
  seed: unknown,
  context: { readonly functionName: string; readonly argumentName: string },
): PhiloxKey {
  const value = requireInteger(seed, { ...context, minimum: 0 });
  const low = value % TWO_POW_32;
  return [low, (value - low) / TWO_POW_32];
}

/**
 * True when `value` is an integer in `[0, 2^32)`. `value >>> 0` is the uint32 of the number; it
 * equals the value only for such integers (and is false for non-numbers, NaN, fractions,
 * negatives and values of 2^32 and above), one branch in hot paths.
 *
 * @example
 * ```ts
 * isUint32(4294967295); // true
 * isUint32(-1); // false
 * ```
 */
export function isUint32(value: unknown): value is number {
  return typeof value === 'number' && value >>> 0 === value;
}

/**
 * Throws the {@link InvalidArgumentError} for an index or word that is not an integer in
 * `[0, maximum]` (by default `2^32 - 1`). Called only on the failure path of {@link isUint32}.
 *
 * @example
 * ```ts
 * throwBadUint32(-1, { functionName: 'counterUniform', argumentName: 'row' }); // throws
 * ```
 */
export function throwBadUint32(
  value: unknown,
  context: { readonly functionName: string; readonly argumentName: string },
  maximum = TWO_POW_32 - 1,
): never {
  throw new InvalidArgumentError({
    ...context,
    message: `must be an integer in [0, ${maximum}]`,
    value,
  });
}
