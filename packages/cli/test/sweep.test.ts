import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openResultsStore } from '../src/sweep/results-store.js';
import { expandSweep, parseSweepConfig } from '../src/sweep/sweep-config.js';
import { sinkflow } from './run-cli-helper.js';

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');

const config = `
name: resume-test
kind: coupling
benchmarks: [piecewise-affine]
dimensions: [2, 4]
otBatchSizes: [64, 96]
targetEntropies: [0.1, 0.3]
seeds: [0]
`;

function finishedRuns(runs: string): string[] {
  if (!existsSync(runs)) return [];
  return readdirSync(runs).filter((id) => existsSync(join(runs, id, 'result.json')));
}

describe('sweep configuration', () => {
  it('expands the grid with stable ids', () => {
    const parsed = parseSweepConfig(config, 'inline');
    const runs = expandSweep(parsed);
    expect(runs).toHaveLength(8);
    expect(new Set(runs.map((run) => run.id)).size).toBe(8);
    expect(expandSweep(parseSweepConfig(config, 'again')).map((run) => run.id)).toEqual(
      runs.map((run) => run.id),
    );
    expect(runs[0]?.config).toMatchObject({
      benchmark: 'piecewise-affine',
      d: 2,
      n: 64,
      targetEntropy: 0.1,
      relativeEpsilon: null,
      seed: 0,
    });
  });

  it('expands a train sweep of I-FM or supervised pairs without an entropy', () => {
    const reference = (coupling: string, extra = '') =>
      `name: ref\nkind: train\nbenchmarks: [piecewise-affine]\ndimensions: [16]\notBatchSizes: [256]\nseeds: [0, 1]\noptions: { coupling: ${coupling} }${extra}`;
    const runs = expandSweep(parseSweepConfig(reference('independent'), 'inline'));
    expect(
      runs.map((run) => [run.config.targetEntropy, run.config.relativeEpsilon, run.config.seed]),
    ).toEqual([
      [null, null, 0],
      [null, null, 1],
    ]);
    expect(expandSweep(parseSweepConfig(reference('supervised'), 'inline'))).toHaveLength(2);
    expect(() =>
      parseSweepConfig(reference('independent', '\ntargetEntropies: [0.2]'), 'config.yaml'),
    ).toThrow(/'config.targetEntropies': does not apply to options.coupling 'independent'/);
    // Semidiscrete: hard without an epsilon, entropic at each relative epsilon, never a target E.
    expect(expandSweep(parseSweepConfig(reference('semidiscrete'), 'inline'))).toHaveLength(2);
    expect(
      expandSweep(
        parseSweepConfig(reference('semidiscrete', '\nrelativeEpsilons: [0.01, 0.1]'), 'inline'),
      ).map((run) => run.config.relativeEpsilon),
    ).toEqual([0.01, 0.01, 0.1, 0.1]);
    expect(() =>
      parseSweepConfig(reference('semidiscrete', '\ntargetEntropies: [0.2]'), 'config.yaml'),
    ).toThrow(/'config.targetEntropies': does not apply to options.coupling 'semidiscrete'/);
    // An OT sweep still needs its entropies.
    expect(() => parseSweepConfig(reference('ot'), 'config.yaml')).toThrow(
      /'config.targetEntropies': give exactly one/,
    );
  });

  const malformed: Array<[string, RegExp]> = [
    [
      'name: x\nbenchmarks: [a]\ndimensions: [2]\notBatchSizes: [8]\nseeds: [0]',
      /'config.targetEntropies': give exactly one/,
    ],
    [
      'name: x\nbenchmarks: [a]\ndimensions: [0]\notBatchSizes: [8]\nseeds: [0]\ntargetEntropies: [0.1]',
      /'config.dimensions\[0\]': must be an integer >= 1/,
    ],
    [
      'name: x\nbenchmarks: [a]\ndimensions: [2]\notBatchSizes: [8]\nseeds: [0]\ntargetEntropies: [1.5]',
      /'config.targetEntropies\[0\]': must be a number in \(0, 1\)/,
    ],
    [
      'name: x\nkind: magic\nbenchmarks: [a]\ndimensions: [2]\notBatchSizes: [8]\nseeds: [0]\ntargetEntropies: [0.1]',
      /'config.kind'/,
    ],
    [
      'name: x\nbenchmarks: []\ndimensions: [2]\notBatchSizes: [8]\nseeds: [0]\ntargetEntropies: [0.1]',
      /'config.benchmarks': must be a non-empty list/,
    ],
    ['name: x\nbenchmark: [a]', /'config.benchmark': is not a sweep field/],
    ['name: [unclosed', /not valid YAML or JSON/],
    ['- just\n- a list', /must hold a mapping/],
  ];
  for (const [text, pattern] of malformed) {
    it(`rejects a malformed config naming the field: ${pattern.source.slice(0, 40)}`, () => {
      expect(() => parseSweepConfig(text, 'config.yaml')).toThrow(pattern);
    });
  }

  it('exits 2 with one line on a malformed config file or a missing one', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-sweep-bad-'));
    writeFileSync(join(directory, 'bad.yaml'), 'name: x\ndimensions: [2]');
    const bad = await sinkflow('sweep', join(directory, 'bad.yaml'));
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await sinkflow('sweep', join(directory, 'missing.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/CONFIG.*cannot read/);
  });
});

describe('a killed sweep resumes without losing finished runs', () => {
  it('counts only its own runs when another config shares its sweep name (more seeds)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-sweep-name-'));
    const grid = (seed: number) =>
      `name: shared\nbenchmarks: [piecewise-affine]\ndimensions: [2]\notBatchSizes: [16]\ntargetEntropies: [0.3]\nseeds: [${seed}]\n`;
    const results: { total: number; done: number }[] = [];
    for (const seed of [0, 1]) {
      const configPath = join(directory, `seed${seed}.yaml`);
      writeFileSync(configPath, grid(seed));
      const json = join(directory, `seed${seed}.json`);
      const args = ['--db', join(directory, 'db.duckdb'), '--runs', join(directory, 'runs')];
      const result = await sinkflow('sweep', configPath, ...args, '--json', json);
      expect(result.code, result.stderr).toBe(0);
      results.push(JSON.parse(readFileSync(json, 'utf8')));
    }
    // The second config's summary counts its one run, not the first config's as well (2/1 before).
    expect(results.map(({ total, done }) => [total, done])).toEqual([
      [1, 1],
      [1, 1],
    ]);
  }, 60_000);

  it('kill -9 mid-run, then the same command completes the sweep', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-sweep-'));
    const configPath = join(directory, 'resume.yaml');
    writeFileSync(configPath, config);
    const database = join(directory, 'results.duckdb');
    const runs = join(directory, 'runs');
    const args = [cli, 'sweep', configPath, '--db', database, '--runs', runs];

    const first = spawn(process.execPath, args, { stdio: 'ignore', detached: true });
    const deadline = Date.now() + 60_000;
    while (finishedRuns(runs).length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    // kill -9 the sweep and its running child (the whole process group).
    process.kill(-(first.pid as number), 'SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const finishedBefore = finishedRuns(runs);
    expect(finishedBefore.length).toBeGreaterThanOrEqual(2);
    expect(finishedBefore.length).toBeLessThan(8);
    const stamps = new Map(
      finishedBefore.map((id) => [id, statSync(join(runs, id, 'result.json')).mtimeMs]),
    );

    // The database survived the kill: it opens, and its rows are intact.
    const store = await openResultsStore(database);
    const afterKill = await store.list('resume-test');
    store.close();
    expect(afterKill).toHaveLength(8);
    expect(
      afterKill.filter((run) => run.status === 'done').every((run) => run.metrics !== null),
    ).toBe(true);

    const second = await sinkflow(
      'sweep',
      configPath,
      '--db',
      database,
      '--runs',
      runs,
      '--export-csv',
      join(directory, 'runs.csv'),
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/8\/8 done, 0 failed/);
    const reopened = await openResultsStore(database);
    const final = await reopened.list('resume-test');
    reopened.close();
    expect(final.every((run) => run.status === 'done')).toBe(true);
    for (const run of final) {
      expect(run.metrics?.renormalizedEntropy).toBeTypeOf('number');
      expect(
        Math.abs(
          (run.metrics?.renormalizedEntropy as number) - (run.config.targetEntropy as number),
        ),
      ).toBeLessThanOrEqual(0.005);
    }
    // Runs finished before the kill were not run again.
    for (const [id, stamp] of stamps)
      expect(statSync(join(runs, id, 'result.json')).mtimeMs).toBe(stamp);
    expect(existsSync(join(directory, 'runs.csv'))).toBe(true);
  }, 120_000);
});

describe('a train sweep of semidiscrete pairs', () => {
  it('runs the hard and the entropic coupling and records what the dual reached', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-sweep-semidiscrete-'));
    const configPath = join(directory, 'semidiscrete.yaml');
    writeFileSync(
      configPath,
      `name: sd
kind: train
benchmarks: [piecewise-affine]
dimensions: [4]
otBatchSizes: [64]
relativeEpsilons: [0.05]
seeds: [0]
options: { coupling: semidiscrete, steps: 4, batchSize: 32, hiddenLayers: 1, width: 16, evaluationPoints: 24 }
`,
    );
    const hardPath = join(directory, 'hard.yaml');
    writeFileSync(
      hardPath,
      `name: sd-hard
kind: train
benchmarks: [piecewise-affine]
dimensions: [4]
otBatchSizes: [64]
seeds: [0]
options: { coupling: semidiscrete, steps: 4, batchSize: 32, hiddenLayers: 1, width: 16, evaluationPoints: 24 }
`,
    );
    const database = join(directory, 'results.duckdb');
    for (const path of [configPath, hardPath]) {
      const result = await sinkflow(
        'sweep',
        path,
        '--db',
        database,
        '--runs',
        join(directory, 'runs'),
      );
      expect(result.code, result.stderr).toBe(0);
    }
    const store = await openResultsStore(database);
    const runs = [...(await store.list('sd')), ...(await store.list('sd-hard'))];
    store.close();
    expect(runs.map((run) => [run.status, run.config.relativeEpsilon])).toEqual([
      ['done', 0.05],
      ['done', null],
    ]);
    for (const run of runs) {
      expect(run.metrics?.semidiscreteFitSteps).toBeGreaterThan(0);
      expect(run.metrics?.semidiscreteMarginalError).toBeGreaterThanOrEqual(0);
      expect(run.metrics?.sinkhornSecondsPerExample).toBeGreaterThan(0);
      expect(run.metrics?.curvature).toBeTypeOf('number');
    }
  }, 120_000);
});

describe('a train sweep with a weight average', () => {
  it('evaluates the average (options.emaDecay, recorded) and fails a run with a bad decay', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sinkflow-sweep-ema-'));
    const config = (name: string, decay: number) => {
      const path = join(directory, `${name}.yaml`);
      writeFileSync(
        path,
        `name: ${name}
kind: train
benchmarks: [piecewise-affine]
dimensions: [4]
otBatchSizes: [64]
seeds: [0]
options: { coupling: independent, steps: 4, batchSize: 32, hiddenLayers: 1, width: 16, evaluationPoints: 24, emaDecay: ${decay} }
`,
      );
      return path;
    };
    const database = join(directory, 'results.duckdb');
    const runs = join(directory, 'runs');
    const good = await sinkflow('sweep', config('ema', 0.9), '--db', database, '--runs', runs);
    expect(good.code, good.stderr).toBe(0);
    const bad = await sinkflow('sweep', config('ema-bad', 1.5), '--db', database, '--runs', runs);
    expect(bad.stdout).toContain('1 failed');
    const store = await openResultsStore(database);
    const [averaged] = await store.list('ema');
    const [refused] = await store.list('ema-bad');
    store.close();
    expect(averaged?.metrics).toMatchObject({ emaDecay: 0.9, step: 4 });
    // The last iterate, evaluated on the same points: another model, so other numbers.
    const metrics = averaged?.metrics as Record<string, number>;
    expect(metrics.lastReconstruction).toBeTypeOf('number');
    expect(metrics.lastBpd).toBeTypeOf('number');
    expect(metrics.lastReconstruction).not.toBe(metrics.reconstruction);
    expect(refused?.status).toBe('failed');
    expect(refused?.error).toContain('options.emaDecay');
  }, 120_000);
});
