import { selectBackend } from '@sinkflow/fm';
import { beforeAll, describe, expect, it } from 'vitest';
import { GAUSSIAN_STUDY_BUDGETS } from '../src/scones/gaussian-study-budgets.js';
import { runGaussianStudy } from '../src/scones/run-gaussian-study.js';

// The wasm backend (about 7 times faster than cpu here), cpu when wasm cannot load; the training
// functions' tensor bookkeeping is tested in @sinkflow/scones.
beforeAll(() => selectBackend({ preference: ['wasm', 'cpu'], log: null }));

describe('runGaussianStudy (Table 2 at d = 2, small budget)', () => {
  it('scores SCONES below barycentric projection in BW-UVP, at the closed-form dual optimum', {
    timeout: 120_000,
  }, async () => {
    const phases = new Set<string>();
    const result = await runGaussianStudy({
      d: 2,
      budget: 'small',
      onProgress: ({ phase }) => phases.add(phase),
    });
    expect([...phases]).toEqual(['dual', 'projection', 'sampling']);
    expect(result.lambda).toBe(4);
    expect(result.settings).toEqual(GAUSSIAN_STUDY_BUDGETS.small);
    expect(result.bwUvp.scones).toBeLessThan(result.bwUvp.barycentricProjection);
    // The paper's d = 2 cell: SCONES 0.025, BP 7.1 (other covariances); ours is of the same kind.
    expect(result.bwUvp.scones).toBeLessThan(1);
    expect(result.bwUvp.barycentricProjection).toBeGreaterThan(5);
    const { final, closedForm } = result.dualObjective;
    expect(Math.abs(final - closedForm)).toBeLessThan(0.03 * closedForm);
    expect(result.marginals.sourceDeviation).toBeLessThan(0.08);
    expect(result.marginals.targetDeviation).toBeLessThan(0.08);
    expect(Math.abs(result.marginals.mass - 1)).toBeLessThan(0.05);
    expect(result.seconds.total).toBeGreaterThan(0);
  });

  it('rejects a bad dimension or budget, naming it', async () => {
    await expect(runGaussianStudy({ d: 0 })).rejects.toThrowError(/'d'/);
    await expect(runGaussianStudy({ d: 2, budget: 'huge' as 'small' })).rejects.toThrowError(
      /'budget'/,
    );
  });
});
