import { describe, expect, it } from 'vitest';
import { DORMAND_PRINCE_TABLEAU } from '../src/index.js';

describe('DORMAND_PRINCE_TABLEAU', () => {
  const { alpha, beta, solution, error } = DORMAND_PRINCE_TABLEAU;
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

  it('satisfies the row-sum condition: each stage time alpha_i is the sum of its beta_i', () => {
    expect(beta.map((row) => row.length)).toEqual([1, 2, 3, 4, 5, 6]);
    beta.forEach((row, i) => {
      expect(sum(row)).toBeCloseTo(alpha[i] as number, 14);
    });
  });

  it('has consistent weights: the solution sums to 1, the error estimate to 0', () => {
    expect(sum(solution)).toBeCloseTo(1, 14);
    expect(sum(error)).toBeCloseTo(0, 14);
    // First same as last: the last stage is evaluated at the fifth-order solution.
    expect([...(beta[5] as readonly number[])]).toEqual(solution.slice(0, 6));
  });

  it('integrates polynomials up to degree 4 exactly in one step (order conditions sum b_i c_i^k)', () => {
    const c = [0, ...alpha];
    for (let k = 0; k <= 4; k += 1) {
      const quadrature = sum(solution.map((b, i) => b * (c[i] as number) ** k));
      expect(quadrature).toBeCloseTo(1 / (k + 1), 13);
    }
  });
});
