import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandomGenerator } from '@sinkflow/core';
import { readNpyFile, writeNpyFile } from '@sinkflow/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { sinkflow } from './run-cli-helper.js';

// sinkflow semidiscrete and sample --semidiscrete [mousavi2025semidiscrete], in one dimension,
// where the hard semidiscrete coupling of N(0, 1) with N sorted equal-weight points is the
// quantile map: x goes to the point of rank floor(Phi(x) N).
const directory = mkdtempSync(join(tmpdir(), 'sinkflow-semidiscrete-'));
const path = (name: string) => join(directory, name);
const N = 40;
/** Phi(x) = (1 + erf(x / sqrt 2)) / 2, erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
// The chi-square error t bounds how far the cells' cumulative mass can drift from the quantiles:
// by Cauchy-Schwarz at most sqrt(t) of the mass, sqrt(t) N indices. 1e-3 keeps that near one index
// (2e-2 allowed about 6 of the 40, which a fit may use).
const fitArgs = ['--y', path('y.npy'), '--threshold', '1e-3', '--batch-size', '256'];

beforeAll(async () => {
  // Sorted points: y_j = 3 j / N (any increasing set has the quantile map as its hard coupling).
  const y = Float32Array.from({ length: N }, (_, j) => (3 * j) / N);
  await writeNpyFile(path('y.npy'), { data: y, shape: [N, 1], dtype: 'float32' });
  const other = Float32Array.from({ length: N }, (_, j) => j);
  await writeNpyFile(path('other.npy'), { data: other, shape: [N, 1], dtype: 'float32' });
  const random = createRandomGenerator({ seed: 9 });
  const x = Float32Array.from({ length: 2000 }, () => random.normal());
  await writeNpyFile(path('x.npy'), { data: x, shape: [2000, 1], dtype: 'float32' });
});

describe('sinkflow semidiscrete and sample --semidiscrete', () => {
  it('fits the hard dual, saves it, and pairs each noise point with its quantile partner', async () => {
    const fit = await sinkflow('semidiscrete', ...fitArgs, '--save', path('fit'), '--json', '-');
    expect(fit.code, fit.stderr).toBe(0);
    const summary = JSON.parse(fit.stdout.slice(0, fit.stdout.lastIndexOf('}') + 1));
    expect(summary).toMatchObject({ m: N, d: 1, epsilon: 0, cost: 'dot', converged: true });
    expect(summary.chiSquareError).toBeLessThan(1e-3);
    expect(existsSync(path('fit/g.npy'))).toBe(true);
    const sampled = await sinkflow(
      'sample',
      '--semidiscrete',
      path('fit'),
      '--y',
      path('y.npy'),
      '--x',
      path('x.npy'),
      '--seed',
      '1',
      '--out',
      path('partners.npy'),
    );
    expect(sampled.code, sampled.stderr).toBe(0);
    const partners = await readNpyFile(path('partners.npy'));
    expect(partners.dtype).toBe('int32');
    expect(partners.shape).toEqual([2000]);
    const x = (await readNpyFile(path('x.npy'))).data;
    let close = 0;
    for (let k = 0; k < 2000; k += 1) {
      const expected = Math.floor(phi(x[k] as number) * N);
      if (Math.abs((partners.data[k] as number) - expected) <= 1) close += 1;
    }
    expect(close / 2000).toBeGreaterThan(0.95);
  }, 60_000);

  it('refuses a fit for other points, coupling-only flags, and a non-positive epsilon (exit 2)', async () => {
    const base = ['--x', path('x.npy'), '--out', path('p.npy'), '--semidiscrete', path('fit')];
    const other = await sinkflow('sample', ...base, '--y', path('other.npy'));
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--semidiscrete/);
    const count = await sinkflow('sample', ...base, '--y', path('y.npy'), '--count', '5');
    expect(count.code).toBe(2);
    expect(count.stderr).toMatch(/--count/);
    const epsilon = await sinkflow(
      'semidiscrete',
      ...fitArgs,
      '--epsilon',
      '-1',
      '--save',
      path('e'),
    );
    expect(epsilon.code).toBe(2);
    expect(epsilon.stderr).toMatch(/--epsilon/);
  }, 60_000);

  it('exits 3 and saves nothing when the fit stops above the threshold', async () => {
    const result = await sinkflow(
      'semidiscrete',
      ...fitArgs,
      '--max-steps',
      '2',
      '--save',
      path('short'),
      '--json',
      path('short.json'),
    );
    expect(result.code).toBe(3);
    expect(existsSync(path('short/g.npy'))).toBe(false);
    expect(JSON.parse(readFileSync(path('short.json'), 'utf8')).converged).toBe(false);
  }, 60_000);
});
