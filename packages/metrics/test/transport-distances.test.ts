import { createPointCloud } from '@sinkflow/core';
import { slicedWasserstein } from '@sinkflow/ot';
import { describe, expect, it } from 'vitest';
import { couplingBwUvp, entropicJointCovariance, wassersteinDistance } from '../src/index.js';
import { expectClose, readFixture, rejection } from './helpers.js';

interface AssignmentCase {
  readonly name: string;
  readonly d: number;
  readonly x: number[];
  readonly y: number[];
  readonly w2Squared: number;
}

interface CouplingCase {
  readonly d: number;
  readonly source: number[];
  readonly target: number[];
  readonly jointCovariance: number[];
  readonly bwUvp: number;
}

const fixtures = readFixture<{ assignment: AssignmentCase[]; couplingBwUvp: CouplingCase[] }>(
  'metrics.json',
);
const assignment = fixtures.assignment[0] as AssignmentCase;
const x = Float64Array.from(assignment.x);
const y = Float64Array.from(assignment.y);

describe('wassersteinDistance', () => {
  it('is exact (scipy linear_sum_assignment) up to the size limit', async () => {
    const result = await wassersteinDistance({ x, y, d: 3 });
    expect(result.method).toBe('exact-assignment');
    expectClose(result.squaredDistance, assignment.w2Squared, { tolerance: { relative: 1e-13 } });
    expectClose(result.distance, Math.sqrt(assignment.w2Squared), {
      tolerance: { relative: 1e-13 },
    });
  });

  it('matches the documented example', async () => {
    const result = await wassersteinDistance({
      x: Float64Array.of(0, 1),
      y: Float64Array.of(1.5, 0.5),
      d: 1,
    });
    expectClose(result.squaredDistance, 0.25, { tolerance: { relative: 1e-15 } });
  });

  it('falls back to twice the Sinkhorn divergence above the limit, near W2^2', async () => {
    const result = await wassersteinDistance({
      x,
      y,
      d: 3,
      exactLimit: 10,
      epsilon: { kind: 'absolute', value: 0.2 },
    });
    expect(result.method).toBe('sinkhorn-divergence');
    expect(result.converged).toBe(true);
    expect(result.epsilon).toBe(0.2);
    // At eps = 0.2 (costs 1/2 ||x - y||^2 of order 3) 2 S_eps = 1.778 against W2^2 = 1.979: the
    // entropic blur; smaller eps get closer but need many more Sinkhorn iterations.
    expectClose(result.squaredDistance, assignment.w2Squared, { tolerance: { relative: 0.15 } });
    expect(result.squaredDistance).not.toBeCloseTo(assignment.w2Squared, 3);
  });

  it('names bad arguments', async () => {
    expect(
      (await rejection(() => wassersteinDistance({ x, y: Float64Array.of(1), d: 3 }))).argumentName,
    ).toBe('y');
    expect(
      (await rejection(() => wassersteinDistance({ x, y, d: 3, exactLimit: -1 }))).argumentName,
    ).toBe('exactLimit');
  });
});

describe('wassersteinDistance against slicedWasserstein of @sinkflow/ot', () => {
  it('is at least the sliced distance (SW_2 <= W_2)', async () => {
    const exact = await wassersteinDistance({ x, y, d: 3 });
    const sliced = slicedWasserstein({
      x: createPointCloud(x, { d: 3 }),
      y: createPointCloud(y, { d: 3 }),
      projectionCount: 200,
      seed: 3,
    });
    expect(sliced.distance).toBeLessThanOrEqual(exact.distance);
  });
});

describe('entropicJointCovariance (closed form through @sinkflow/ot)', () => {
  const fixture = fixtures.couplingBwUvp[0] as CouplingCase;
  const d = fixture.d;
  const block = (row: number, column: number) =>
    Array.from(
      { length: d * d },
      (_, k) =>
        fixture.jointCovariance[(row + Math.floor(k / d)) * 2 * d + column + (k % d)] as number,
    );

  it("equals SCONES' numpy closed form with lambda = 2 d, and gives the same BW-UVP", () => {
    const joint = entropicJointCovariance({
      sourceCovariance: block(0, 0),
      targetCovariance: block(d, d),
      epsilon: 2 * d,
    });
    expectClose(joint, fixture.jointCovariance, {
      tolerance: { relative: 1e-10, absolute: 1e-12 },
    });
    const result = couplingBwUvp({
      source: Float64Array.from(fixture.source),
      target: Float64Array.from(fixture.target),
      d,
      jointCovariance: joint,
    });
    expectClose(result.bwUvp, fixture.bwUvp, { tolerance: { relative: 1e-8 } });
  });

  it('matches the documented example and names bad arguments', async () => {
    const joint = entropicJointCovariance({
      sourceCovariance: [1],
      targetCovariance: [4],
      epsilon: 2,
    });
    const c = (Math.sqrt(17) - 1) / 2;
    expectClose(joint, [1, c, c, 4], { tolerance: { relative: 1e-14 } });
    const error = await rejection(() =>
      entropicJointCovariance({
        sourceCovariance: [1, 2, 2, 1],
        targetCovariance: [1, 0, 0, 1],
        epsilon: 1,
      }),
    );
    expect([error.functionName, error.argumentName]).toEqual([
      'entropicJointCovariance',
      'sourceCovariance',
    ]);
  });
});
