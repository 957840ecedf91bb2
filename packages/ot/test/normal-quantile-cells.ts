import { normalCdf } from '../../../tools/vitest/normal-cdf.js';

/**
 * Closed forms of the hard semidiscrete problem in one dimension, cost 1/2 (x - y)^2, source
 * N(0, 1): the Laguerre cells of sorted points are intervals, so their masses are differences of
 * Phi at the boundaries (no sampling). Test helpers.
 */

/**
 * The boundaries between the cells of sorted points `y` under the dual `g`: between y_j and
 * y_{j+1}, 1/2 (x - y_j)^2 - g_j = 1/2 (x - y_{j+1})^2 - g_{j+1} at
 * x = (y_j + y_{j+1}) / 2 + (g_j - g_{j+1}) / (y_{j+1} - y_j).
 */
export function laguerreBoundaries1d(y: readonly number[], g: ArrayLike<number>): number[] {
  return y.slice(0, -1).map((left, j) => {
    const right = y[j + 1] as number;
    return (left + right) / 2 + ((g[j] as number) - (g[j + 1] as number)) / (right - left);
  });
}

/**
 * The exact chi-square marginal error `sum_j (p_j - 1/N)^2 / (1/N)` of `g` over N sorted points
 * of uniform weight. The cell of y_j is where the line `g_j - y_j^2 / 2 + x y_j` is the highest
 * (the common -x^2 / 2 dropped); with slopes y_j increasing it is the interval from the largest
 * crossing with a line before it to the smallest crossing with a line after it (empty when those
 * cross over), so the masses are exact even when some cells are empty.
 */
export function exactChiSquare1d(y: readonly number[], g: ArrayLike<number>): number {
  const n = y.length;
  const crossing = (a: number, b: number) =>
    ((y[a] as number) + (y[b] as number)) / 2 +
    ((g[a] as number) - (g[b] as number)) / ((y[b] as number) - (y[a] as number));
  let chiSquare = 0;
  for (let j = 0; j < n; j += 1) {
    let low = Number.NEGATIVE_INFINITY;
    let high = Number.POSITIVE_INFINITY;
    for (let k = 0; k < j; k += 1) low = Math.max(low, crossing(k, j));
    for (let k = j + 1; k < n; k += 1) high = Math.min(high, crossing(j, k));
    const mass = high > low ? normalCdf(high) - normalCdf(low) : 0;
    chiSquare += n * (mass - 1 / n) ** 2;
  }
  return chiSquare;
}
