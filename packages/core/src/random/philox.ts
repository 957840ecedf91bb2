import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** @internal Philox4x32 round multipliers (Random123 `PHILOX_M4x32_0`, `PHILOX_M4x32_1`). */
export const M0 = 0xd2511f53;
/** @internal */
export const M1 = 0xcd9e8d57;
/** @internal The 16-bit halves of the multipliers, for {@link mulHigh32}. */
export const M0_LOW = M0 & 0xffff;
/** @internal */
export const M0_HIGH = M0 >>> 16;
/** @internal */
export const M1_LOW = M1 & 0xffff;
/** @internal */
export const M1_HIGH = M1 >>> 16;
/**
 * @internal Weyl key increments (Random123 `PHILOX_W32_0`, `PHILOX_W32_1`: the fractional parts
 * of the golden ratio and of sqrt(3) - 1), as int32 bit patterns.
 */
export const W0 = 0x9e3779b9 | 0;
/** @internal */
export const W1 = 0xbb67ae85 | 0;

/**
 * @internal The number of rounds of Philox4x32-10: Random123's default, which keeps a safety margin over
 * the fewest rounds that pass TestU01's BigCrush [salmon2011philox].
 *
 * @example
 * ```ts
 * PHILOX_ROUNDS; // 10
 * ```
 */
export const PHILOX_ROUNDS = 10;

/**
 * High 32 bits of the 64-bit product of a uint32 `a` (given as its 16-bit halves) and a uint32
 * `b`, with 32-bit integer operations only (so that a WebAssembly port is a transcription).
 *
 * With `a = aH 2^16 + aL` and `b = bH 2^16 + bL`:
 * `a b = aH bH 2^32 + (aH bL + aL bH) 2^16 + aL bL`. Each partial product of 16-bit halves is
 * below 2^32, so `Math.imul` returns its exact bit pattern (read with `>>> 16` and `& 0xffff`).
 * The middle column sums the three contributions to bits 16..31 (less than 3 * 2^16, no
 * overflow); its carry and the high halves of the cross products go into the high word, and the
 * final `| 0` wraps the (mathematically < 2^32) sum to an int32 bit pattern.
 *
 * The low word needs no such care: it is `Math.imul(a, b)`.
 *
 * @internal
 * @example
 * ```ts
 * mulHigh32(0xffff, 0xffff, 0xffffffff) >>> 0; // 0xfffffffe, the high word of (2^32 - 1)^2
 * ```
 */
export function mulHigh32(aLow: number, aHigh: number, b: number): number {
  const bLow = b & 0xffff;
  const bHigh = b >>> 16;
  const lowLow = Math.imul(aLow, bLow);
  const lowHigh = Math.imul(aLow, bHigh);
  const highLow = Math.imul(aHigh, bLow);
  const middle = (lowLow >>> 16) + (lowHigh & 0xffff) + (highLow & 0xffff);
  return (Math.imul(aHigh, bHigh) + (lowHigh >>> 16) + (highLow >>> 16) + (middle >>> 16)) | 0;
}

/**
 * Philox4x32-10 on one counter block, allocation-free: writes the four output words (as int32 bit
 * patterns, read them with `>>> 0` for uint32) to `out[offset .. offset + 3]`.
 *
 * One round, on counter `(c0, c1, c2, c3)` and key `(k0, k1)` [salmon2011philox]:
 * `(hi0, lo0) = M0 * c0`, `(hi1, lo1) = M1 * c2` (32x32 -> 64-bit products), then
 * `(c0, c1, c2, c3) <- (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)`; between rounds the key is
 * bumped by the Weyl increments `(k0, k1) += (0x9E3779B9, 0xBB67AE85) mod 2^32`. Ten rounds, nine
 * bumps, as Random123's `philox4x32_R(10, ...)`.
 *
 * Arguments are not validated (hot path): pass integers in `[0, 2^32)` or their int32 patterns.
 * Use {@link philox4x32} for a checked call.
 *
 * @example
 * ```ts
 * const out = new Int32Array(4);
 * philox4x32Block(0, 0, 0, 0, 0, 0, out, 0);
 * out[0] >>> 0; // 0x6627e8d5
 * ```
 */
export function philox4x32Block(
  counter0: number,
  counter1: number,
  counter2: number,
  counter3: number,
  key0: number,
  key1: number,
  out: Int32Array | Uint32Array,
  offset: number,
): void {
  let c0 = counter0 | 0;
  let c1 = counter1 | 0;
  let c2 = counter2 | 0;
  let c3 = counter3 | 0;
  let k0 = key0 | 0;
  let k1 = key1 | 0;
  for (let round = 0; round < PHILOX_ROUNDS; round++) {
    if (round > 0) {
      k0 = (k0 + W0) | 0;
      k1 = (k1 + W1) | 0;
    }
    const high0 = mulHigh32(M0_LOW, M0_HIGH, c0);
    const low0 = Math.imul(M0, c0);
    const high1 = mulHigh32(M1_LOW, M1_HIGH, c2);
    const low1 = Math.imul(M1, c2);
    c0 = high1 ^ c1 ^ k0;
    c1 = low1;
    c2 = high0 ^ c3 ^ k1;
    c3 = low0;
  }
  out[offset] = c0;
  out[offset + 1] = c1;
  out[offset + 2] = c2;
  out[offset + 3] = c3;
}

/**
 * Philox4x32-10, the counter-based generator of Salmon et al. [salmon2011philox]: a keyed
 * bijection of 128-bit counters, `x = philox(counter, key)`, with a 4 x uint32 counter and a
 * 2 x uint32 key. Ten rounds of `(c0, c1, c2, c3) <- (hi(M1 c2) ^ c1 ^ k0, lo(M1 c2),
 * hi(M0 c0) ^ c3 ^ k1, lo(M0 c0))` with `M0 = 0xD2511F53`, `M1 = 0xCD9E8D57` and Weyl key bumps
 * `(k0, k1) += (0x9E3779B9, 0xBB67AE85)`. Bit-compatible with Random123's `philox4x32`
 * (checked against its published known-answer vectors).
 *
 * This is the checked, allocating entry point; hot loops use {@link philox4x32Block}.
 *
 * @throws {@link InvalidArgumentError} when `counter` does not hold 4 (or `key` 2) integers in
 * `[0, 2^32)`.
 * @example
 * ```ts
 * philox4x32([0, 0, 0, 0], [0, 0]); // Uint32Array [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
 * ```
 */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>): Uint32Array {
  const c = requireUint32Words(counter, 4, 'counter');
  const k = requireUint32Words(key, 2, 'key');
  const out = new Uint32Array(4);
  philox4x32Block(c[0]!, c[1]!, c[2]!, c[3]!, k[0]!, k[1]!, out, 0);
  return out;
}

/** Checks that `words` holds exactly `length` integers in `[0, 2^32)`. */
function requireUint32Words(
  words: ArrayLike<number>,
  length: number,
  argumentName: string,
): ArrayLike<number> {
  if (words === null || typeof words !== 'object' || words.length !== length) {
    throw new InvalidArgumentError({
      functionName: 'philox4x32',
      argumentName,
      message: `must hold ${length} unsigned 32-bit integers`,
      value: words,
    });
  }
  for (let index = 0; index < length; index++) {
    const word = words[index];
    if (typeof word !== 'number' || word >>> 0 !== word) {
      throw new InvalidArgumentError({
        functionName: 'philox4x32',
        argumentName: `${argumentName}[${index}]`,
        message: 'must be an integer in [0, 4294967295]',
        value: word,
      });
    }
  }
  return words;
}
