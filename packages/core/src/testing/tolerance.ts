import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { CheckFailedError } from './check-failed-error.js';

/** The floating-point format a computation ran in. */
export type Precision = 'float32' | 'float64';

/** A closeness criterion: `|actual - expected| <= absolute + relative * |expected|`. */
export interface Tolerance {
  /** Relative part, scaled by `|expected|`. */
  readonly relative: number;
  /** Absolute part, for expected values near zero. */
  readonly absolute: number;
}

/** Machine epsilon (spacing of floats at 1) of each precision: 2^-23 and 2^-52. */
export const machineEpsilon: Readonly<Record<Precision, number>> = {
  float32: 2 ** -23,
  float64: 2 ** -52,
};

/**
 * The default tolerance for a precision: `relative = absolute = 64 * eps`, i.e. about 7.6e-6 for
 * float32 and 1.4e-14 for float64. The factor 64 leaves room for the rounding of short reductions
 * (a few dozen operations); iterative algorithms should pass a tolerance derived from their own
 * error bound or stopping threshold instead.
 *
 * @example
 * ```ts
 * toleranceFor('float32'); // { relative: 7.62939453125e-6, absolute: 7.62939453125e-6 }
 * toleranceFor('float64', { relative: 1e-9 }); // { relative: 1e-9, absolute: 1.4210854715202004e-14 }
 * ```
 */
export function toleranceFor(precision: Precision, override: Partial<Tolerance> = {}): Tolerance {
  const epsilon = machineEpsilon[precision];
  return {
    relative: override.relative ?? 64 * epsilon,
    absolute: override.absolute ?? 64 * epsilon,
  };
}

/** The worst entry of a comparison, for the failure message. */
export interface CloseComparison {
  /** True when every entry is within tolerance (NaN matches NaN; infinities must be equal). */
  readonly ok: boolean;
  /** Number of entries compared. */
  readonly count: number;
  /** Number of entries outside the tolerance. */
  readonly failures: number;
  /** The entry with the largest ratio `|actual - expected| / allowed`, or undefined when empty. */
  readonly worst?: {
    readonly index: number;
    readonly actual: number;
    readonly expected: number;
    readonly delta: number;
    readonly allowed: number;
  };
}

/**
 * Compares numbers or arrays entry by entry under a {@link Tolerance} (or the default of a
 * {@link Precision}), in the style of numpy.testing.assert_allclose: entry `k` passes when
 * `|a_k - e_k| <= absolute + relative * |e_k|`; NaN passes only against NaN and an infinity only
 * against the same infinity.
 *
 * @example
 * ```ts
 * compareClose([1, 2], [1, 2 + 1e-7], { precision: 'float32' }).ok; // true
 * compareClose([1, 2], [1, 2 + 1e-7], { precision: 'float64' }).ok; // false
 * ```
 */
export function compareClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  {
    precision = 'float64',
    tolerance,
  }: { readonly precision?: Precision; readonly tolerance?: Partial<Tolerance> } = {},
): CloseComparison {
  const actualValues = typeof actual === 'number' ? [actual] : actual;
  const expectedValues = typeof expected === 'number' ? [expected] : expected;
  if (actualValues.length !== expectedValues.length) {
    throw new InvalidArgumentError({
      functionName: 'compareClose',
      argumentName: 'expected',
      message: `length mismatch (actual ${actualValues.length}, expected ${expectedValues.length})`,
    });
  }
  const { relative, absolute } = toleranceFor(precision, tolerance);
  let failures = 0;
  let worst: CloseComparison['worst'];
  let worstRatio = -1;
  for (let index = 0; index < actualValues.length; index += 1) {
    const a = actualValues[index] as number;
    const e = expectedValues[index] as number;
    const allowed = absolute + relative * Math.abs(e);
    const delta = Math.abs(a - e);
    let ratio: number;
    if (Number.isNaN(e) || Number.isNaN(a))
      ratio = Number.isNaN(e) && Number.isNaN(a) ? 0 : Number.POSITIVE_INFINITY;
    else if (!Number.isFinite(e) || !Number.isFinite(a))
      ratio = a === e ? 0 : Number.POSITIVE_INFINITY;
    else ratio = delta === 0 ? 0 : delta / allowed;
    if (ratio > 1) failures += 1;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = { index, actual: a, expected: e, delta, allowed };
    }
  }
  return { ok: failures === 0, count: actualValues.length, failures, worst };
}

/**
 * Throws a {@link CheckFailedError} describing the worst entry (index, actual, expected, delta, allowed) when
 * {@link compareClose} fails; works with any test runner.
 *
 * @example
 * ```ts
 * assertClose(solution.transportCost, fixture.cost, { precision: 'float64', tolerance: { relative: 1e-5 } });
 * ```
 */
export function assertClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  options: {
    readonly precision?: Precision;
    readonly tolerance?: Partial<Tolerance>;
    readonly label?: string;
  } = {},
): void {
  const comparison = compareClose(actual, expected, options);
  if (comparison.ok) return;
  const { worst, failures, count } = comparison;
  const label = options.label === undefined ? '' : `${options.label}: `;
  throw new CheckFailedError({
    check: 'assertClose',
    message:
      `${label}${failures} of ${count} entries not close (${options.precision ?? 'float64'}); worst at index ` +
      `${worst?.index}: actual ${worst?.actual}, expected ${worst?.expected}, |delta| ${worst?.delta} > allowed ${worst?.allowed}`,
  });
}
