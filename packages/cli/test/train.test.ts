import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-train-'));
const path = (name: string) => join(directory, name);
const tiny = ['--d', '4', '--batch-size', '32', '--width', '16', '--hidden-layers', '1'];
/** `train` of a tiny model on semidiscrete pairs over 64 target points, into `out`. */
const semidiscreteTrain = (out: string) => [
  'train',
  ...tiny,
  '--coupling',
  'semidiscrete',
  '--ot-batch-size',
  '64',
  '--out',
  out,
];

describe('sinkflow train and evaluate', () => {
  it('trains with OT pairs, checkpoints, resumes and evaluates the saved model', async () => {
    const out = path('ot');
    const first = await sinkflow(
      'train',
      ...tiny,
      '--coupling',
      'ot',
      '--ot-batch-size',
      '64',
      '--steps',
      '6',
      '--checkpoint-every',
      '3',
      '--out',
      out,
      '--json',
      path('train-1.json'),
    );
    expect(first.stderr).toMatch(/TensorFlow\.js backend/);
    expect(first.code).toBe(0);
    const trained = JSON.parse(readFileSync(path('train-1.json'), 'utf8'));
    expect(trained).toMatchObject({ coupling: 'ot', d: 4, step: 6, resumedFrom: 0 });
    expect(trained.renormalizedEntropy).toBeGreaterThan(0.1);
    expect(trained.renormalizedEntropy).toBeLessThan(0.3);
    expect(Number.isFinite(trained.finalLoss)).toBe(true);
    expect(existsSync(join(out, 'checkpoint', 'checkpoint.json'))).toBe(true);

    const resumed = await sinkflow(
      'train',
      ...tiny,
      '--coupling',
      'ot',
      '--ot-batch-size',
      '64',
      '--steps',
      '9',
      '--out',
      out,
      '--resume',
      '--json',
      path('train-2.json'),
    );
    expect(resumed.code).toBe(0);
    expect(JSON.parse(readFileSync(path('train-2.json'), 'utf8'))).toMatchObject({
      step: 9,
      resumedFrom: 6,
    });
    expect(resumed.stdout).toContain('resumed from step 6');

    const evaluated = await sinkflow(
      'evaluate',
      '--model',
      out,
      '--n',
      '24',
      '--json',
      path('evaluate.json'),
    );
    expect(evaluated.code).toBe(0);
    const metrics = JSON.parse(readFileSync(path('evaluate.json'), 'utf8'));
    expect(metrics).toMatchObject({ benchmark: 'piecewise-affine', d: 4, step: 9, n: 24 });
    for (const key of ['curvature', 'reconstruction', 'bpd']) {
      expect(Number.isFinite(metrics[key]), key).toBe(true);
    }
    expect(metrics.curvature).toBeGreaterThanOrEqual(0);
    expect(metrics.reconstruction).toBeGreaterThan(0);
  }, 60_000);

  it('trains the supervised reference and the I-FM baseline without Sinkhorn', async () => {
    for (const coupling of ['supervised', 'independent']) {
      const json = path(`${coupling}.json`);
      const result = await sinkflow(
        'train',
        ...tiny,
        '--coupling',
        coupling,
        '--steps',
        '2',
        '--out',
        path(coupling),
        '--json',
        json,
      );
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(readFileSync(json, 'utf8'));
      expect(summary).toMatchObject({ coupling, step: 2, renormalizedEntropy: null });
      expect(summary.sinkhornSecondsPerExample).toBeNull();
    }
  }, 30_000);

  it('trains on semidiscrete pairs: fresh noise, partners from a dual fitted before training', async () => {
    const json = path('semidiscrete.json');
    const result = await sinkflow(
      ...semidiscreteTrain(path('semidiscrete')),
      '--steps',
      '3',
      '--json',
      json,
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary).toMatchObject({
      coupling: 'semidiscrete',
      step: 3,
      otBatchSize: 64,
      targetEntropy: null,
    });
    // train.json says what the dual's fit reached, and the summary prints it.
    expect(summary.semidiscreteFit).toMatchObject({ n: 64, epsilon: 0, origin: 'fit' });
    expect(summary.semidiscreteFit.steps).toBeGreaterThan(0);
    expect(summary.semidiscreteFit.marginalError).toBeGreaterThanOrEqual(0);
    expect(summary.sinkhornSecondsPerExample).toBeCloseTo(summary.semidiscreteFit.seconds / 64, 12);
    expect(result.stdout).toMatch(/semidiscrete dual over 64 points: \d+ steps/);
  }, 60_000);

  it("--fit-steps caps the dual's fit and --refine-dual goes on with it on the training noise, across --resume", async () => {
    const args = semidiscreteTrain(path('refined'));
    const first = await sinkflow(
      ...args,
      '--fit-steps',
      '30',
      '--refine-dual',
      '--steps',
      '2',
      '--json',
      path('r1.json'),
    );
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(path('r1.json'), 'utf8'));
    expect(summary).toMatchObject({ fitSteps: 30, refineDual: true });
    expect(summary.semidiscreteFit.steps).toBe(30);
    expect(summary.semidiscreteFit.refinedSteps).toBeGreaterThanOrEqual(1);
    expect(first.stdout).toMatch(/refined during training: \d+ more steps/);
    // The checkpoint keeps the settings: --resume goes on refining; a contradicting flag is refused.
    const resumed = await sinkflow(...args, '--resume', '--steps', '3', '--json', path('r2.json'));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path('r2.json'), 'utf8'))).toMatchObject({
      fitSteps: 30,
      refineDual: true,
      step: 3,
    });
    const contradicting = await sinkflow(...args, '--resume', '--steps', '4', '--fit-steps', '40');
    expect(contradicting.code).toBe(2);
    expect(contradicting.stderr).toMatch(/--fit-steps/);
  }, 60_000);

  it.each([
    [['train', '--out', 'x', '--coupling', 'sinkhorn'], '--coupling'],
    [
      ['train', '--out', 'x', '--coupling', 'semidiscrete', '--target-entropy', '0.1'],
      '--target-entropy',
    ],
    [['train', '--out', 'x', '--target-entropy', '1.5'], '--target-entropy'],
    [
      ['train', '--out', 'x', '--target-entropy', '0.1', '--relative-epsilon', '0.1'],
      '--relative-epsilon',
    ],
    [['train', '--out', 'x', '--steps', 'many'], '--steps'],
    [['train', '--out', 'x', '--benchmark', 'mnist'], '--benchmark'],
    [['train', '--steps', '3'], '--out'],
    [['evaluate'], '--model'],
    [['evaluate', '--model', '/nonexistent/run'], '--model'],
    [['evaluate', '--model', 'x', '--divergence', 'approximate'], '--divergence'],
  ])('%j exits 2 with one line naming %s', async (argv, flag) => {
    const result = await sinkflow(...(argv as string[]));
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(flag);
  });

  it('refuses a --d that does not match the saved model', async () => {
    const result = await sinkflow('evaluate', '--model', path('ot'), '--d', '8');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--d');
  });
});

describe('sinkflow run (a sweep train run)', () => {
  it('trains, evaluates, checkpoints into its run directory and resumes from it', async () => {
    const run = path('sweep-run');
    mkdirSync(run, { recursive: true });
    const spec = {
      id: 'train-run',
      sweep: 'test',
      kind: 'train',
      config: {
        benchmark: 'piecewise-affine',
        d: 4,
        n: 64,
        targetEntropy: 0.2,
        relativeEpsilon: null,
        seed: 0,
        options: { steps: 4, batchSize: 32, hiddenLayers: 1, width: 16, evaluationPoints: 24 },
      },
    };
    writeFileSync(join(run, 'spec.json'), JSON.stringify(spec));
    const first = await sinkflow('run', '--spec', join(run, 'spec.json'), '--out', run);
    expect(first.code).toBe(0);
    const result = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8'));
    expect(result.status, result.error).toBe('done');
    // On TensorFlow.js's wasm kernels, as `sinkflow train` (not its pure-JS cpu backend).
    expect(result.metrics).toMatchObject({
      coupling: 'ot',
      step: 4,
      resumedFrom: 0,
      backend: 'wasm',
    });
    for (const key of ['curvature', 'reconstruction', 'bpd', 'renormalizedEntropy'])
      expect(Number.isFinite(result.metrics[key]), key).toBe(true);
    expect(existsSync(join(run, 'checkpoint', 'checkpoint.json'))).toBe(true);
    // Started again (as a resumed sweep would), the run picks up its checkpoint.
    await sinkflow('run', '--spec', join(run, 'spec.json'), '--out', run);
    const again = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8'));
    expect(again.metrics).toMatchObject({ step: 4, resumedFrom: 4 });
    // Nothing solved in that process: no entropy and no Sinkhorn cost, rather than 0 s per example.
    expect(again.metrics.sinkhornSecondsPerExample).toBeNull();
    expect(again.metrics.renormalizedEntropy).toBeNull();
    expect(again.metrics.trajectories).toBeNull(); // only 2-D tasks keep paths
  }, 60_000);

  it('keeps the flow trajectories of a 2-D task for the report', async () => {
    const run = path('sweep-run-2d');
    mkdirSync(run, { recursive: true });
    const spec = {
      id: 'train-run-2d',
      sweep: 'test',
      kind: 'train',
      config: {
        benchmark: 'moons',
        d: 2,
        n: 64,
        targetEntropy: 0.2,
        relativeEpsilon: null,
        seed: 0,
        options: { steps: 3, batchSize: 32, hiddenLayers: 1, width: 16, evaluationPoints: 16 },
      },
    };
    writeFileSync(join(run, 'spec.json'), JSON.stringify(spec));
    expect((await sinkflow('run', '--spec', join(run, 'spec.json'), '--out', run)).code).toBe(0);
    const result = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8'));
    expect(result.status, result.error).toBe('done');
    const paths = JSON.parse(result.metrics.trajectories) as number[][][];
    expect(paths).toHaveLength(48);
    expect(paths[0]).toHaveLength(21); // the start and 20 Euler steps
    expect(paths[0]?.[0]).toHaveLength(2);
    // And samples of the flow against the target, for the report's sample figure.
    const samples = JSON.parse(result.metrics.samples) as {
      generated: number[][];
      target: number[][];
      projected: boolean;
    };
    expect(samples.generated).toHaveLength(256);
    expect(samples.target).toHaveLength(256);
    expect(samples.projected).toBe(false);
  }, 60_000);
});
