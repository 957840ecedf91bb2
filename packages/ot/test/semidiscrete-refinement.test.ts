import { createPointCloud, createRandomGenerator } from '@sinkflow/core';
import { describe, expect, it } from 'vitest';
import { createPartnerSampler, solveSemidiscrete } from '../src/index.js';
import { loadFixture } from './load-fixture.js';
import { exactChiSquare1d } from './normal-quantile-cells.js';

const fixture = loadFixture<{ readonly cases: readonly { readonly y: readonly number[] }[] }>(
  'semidiscrete-quantiles.json',
);
const points = fixture.cases[0]?.y as readonly number[];
const y = createPointCloud(Float64Array.from(points), { d: 1 });

/** A short fit (10 Adam steps of 256 draws): far from the quantile cells. */
const shortFit = () =>
  solveSemidiscrete({
    y,
    cost: 'sqeuclidean',
    batchSize: 256,
    maxSteps: 10,
    evaluateEvery: 1000,
    evaluationSize: 4096,
    seed: 3,
  });

describe('a partner sampler that refines its dual (refine)', () => {
  it("takes the fit's own steps on the batches it samples: the same dual as the solver continued on them", async () => {
    const fit = await shortFit();
    const before = exactChiSquare1d(points, fit.g);
    const sampler = await createPartnerSampler({
      y,
      g: fit.g,
      cost: 'sqeuclidean',
      refine: { state: fit.state },
    });
    // The solver continued from the fit's state draws its batches from the state's stream: feed
    // the sampler the same batches.
    const random = createRandomGenerator({ state: fit.state.random });
    const batches = 600;
    for (let batch = 0; batch < batches; batch += 1) {
      const x = createPointCloud(random.fillNormal(new Float32Array(1024)), { d: 1 });
      sampler.sample({ x });
    }
    const state = sampler.state();
    await sampler.dispose();
    const continued = await solveSemidiscrete({
      y,
      cost: 'sqeuclidean',
      batchSize: 1024,
      maxSteps: fit.steps + batches,
      evaluateEvery: 100_000,
      evaluationSize: 4096,
      initialState: fit.state,
    });
    expect(state?.step).toBe(continued.steps);
    expect(state?.gAverage).toEqual(Array.from(continued.g));
    expect(state?.g).toEqual(continued.state.g);
    // And against the closed form: 10 steps leave the cells off by tens of percent, the refined
    // dual's masses are close to 1/N.
    const after = exactChiSquare1d(points, state?.gAverage ?? []);
    console.log(
      `exact chi-square: ${before.toExponential(2)} after the fit, ${after.toExponential(2)} after refining`,
    );
    expect(before).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(1e-3);
    // A sampler resumed from the saved state goes on from there.
    const resumed = await createPartnerSampler({
      y,
      g: Float64Array.from(state?.gAverage ?? []),
      cost: 'sqeuclidean',
      refine: { state: state as NonNullable<typeof state> },
    });
    expect(resumed.state()?.step).toBe(fit.steps + batches);
    await resumed.dispose();
  }, 60_000);

  it('without refine the dual stays: the same rows get the same partners, and state() is undefined', async () => {
    const fit = await shortFit();
    const sampler = await createPartnerSampler({ y, g: fit.g, cost: 'sqeuclidean' });
    const x = createPointCloud(
      createRandomGenerator({ seed: 5 }).fillNormal(new Float32Array(512)),
      {
        d: 1,
      },
    );
    const first = sampler.sample({ x }).indices;
    for (let batch = 0; batch < 20; batch += 1) sampler.sample({ x });
    expect(sampler.sample({ x }).indices).toEqual(first);
    expect(sampler.state()).toBeUndefined();
    await sampler.dispose();
  });

  it('refuses a state that is not the dual it samples with, and bad step settings', async () => {
    const fit = await shortFit();
    const options = { y, g: fit.g, cost: 'sqeuclidean' as const };
    const refuse = async (refine: unknown, argumentName: string) => {
      const error = await createPartnerSampler({ ...options, refine } as never).catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ name: 'InvalidArgumentError', argumentName });
    };
    await refuse(
      { state: { ...fit.state, gAverage: fit.state.g.map((v) => v + 1) } },
      'refine.state.gAverage',
    );
    await refuse({ state: { ...fit.state, epsilon: 0.5 } }, 'refine.state.epsilon');
    await refuse({ state: { ...fit.state, firstMoment: [1] } }, 'refine.state.firstMoment');
    await refuse({ state: fit.state, learningRate: 0 }, 'refine.learningRate');
    await refuse({ state: fit.state, averageDecay: 1 }, 'refine.averageDecay');
  });
});
