import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openResultsStore } from '../src/sweep/results-store.js';
import { isProcessRunning } from '../src/sweep/run-lock.js';
import { expandSweep, parseSweepConfig } from '../src/sweep/sweep-config.js';
import { sinkflow } from './run-cli-helper.js';

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const trainConfig = `
name: safe-train
kind: train
benchmarks: [piecewise-affine]
dimensions: [4]
otBatchSizes: [64]
targetEntropies: [0.2]
seeds: [3]
options: { steps: 300, batchSize: 32, hiddenLayers: 1, width: 16, checkpointEvery: 10, evaluationPoints: 24 }
`;
const couplingConfig = `
name: safe-coupling
kind: coupling
benchmarks: [piecewise-affine]
dimensions: [2]
otBatchSizes: [32]
targetEntropies: [0.2, 0.4]
seeds: [0]
`;

function sweepDirectory(config: string) {
  const directory = mkdtempSync(join(tmpdir(), 'sinkflow-sweep-safety-'));
  const configPath = join(directory, 'sweep.yaml');
  writeFileSync(configPath, config);
  const database = join(directory, 'results.duckdb');
  const runs = join(directory, 'runs');
  const ids = expandSweep(parseSweepConfig(config, configPath)).map((run) => run.id);
  return {
    directory,
    configPath,
    database,
    runs,
    ids,
    args: [configPath, '--db', database, '--runs', runs],
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** The pids of the children of `pid` (the sweep's `run` process). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  } catch {
    return [];
  }
}

/** Starts `sinkflow sweep` as its own process and waits until its run has checkpointed. */
async function startSweepUntilCheckpoint(setup: ReturnType<typeof sweepDirectory>) {
  const sweep = spawn(process.execPath, [cli, 'sweep', ...setup.args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  sweep.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const checkpoint = join(setup.runs, setup.ids[0] as string, 'checkpoint', 'checkpoint.json');
  expect(await until(() => existsSync(checkpoint), 60_000), 'the run checkpoints').toBe(true);
  const [child] = childrenOf(sweep.pid as number);
  expect(child, 'the sweep runs a child').toBeTypeOf('number');
  return { sweep, child: child as number, stderr: () => stderr };
}

const exited = (process: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (process.exitCode !== null || process.signalCode !== null)
      resolve({ code: process.exitCode, signal: process.signalCode });
    else process.once('exit', (code, signal) => resolve({ code, signal }));
  });

describe('killing a sweep stops its run, and the rerun gives the uninterrupted result', () => {
  it('kill -9 of the sweep alone: the run stops on its own; the rerun resumes to the same metrics', async () => {
    const reference = sweepDirectory(trainConfig);
    const uninterrupted = await sinkflow('sweep', ...reference.args);
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);

    const killed = sweepDirectory(trainConfig);
    const { sweep, child } = await startSweepUntilCheckpoint(killed);
    process.kill(sweep.pid as number, 'SIGKILL');
    await exited(sweep);
    const stopped = await until(() => !isProcessRunning(child), 4000);
    if (!stopped) process.kill(child, 'SIGKILL');
    expect(stopped, 'the orphaned run stops within 4 s').toBe(true);
    const id = killed.ids[0] as string;
    expect(existsSync(join(killed.runs, id, 'result.json'))).toBe(false);

    const rerun = await sinkflow('sweep', ...killed.args);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/1\/1 done, 0 failed, 1 resumed/);
    const read = (runs: string) => JSON.parse(readFileSync(join(runs, id, 'result.json'), 'utf8'));
    const expected = read(reference.runs).metrics;
    const resumed = read(killed.runs).metrics;
    expect(resumed.resumedFrom).toBeGreaterThan(0);
    for (const key of [
      'step',
      'finalLoss',
      'curvature',
      'reconstruction',
      'l2Uvp',
      'bpd',
      'negativeLogLikelihood',
    ]) {
      expect(resumed[key], key).toBe(expected[key]);
    }
    for (const name of readdirSync(join(reference.runs, id, 'checkpoint', 'model'))) {
      const file = (runs: string) => readFileSync(join(runs, id, 'checkpoint', 'model', name));
      expect(file(killed.runs).equals(file(reference.runs)), name).toBe(true);
    }
    expect(readdirSync(join(killed.runs, id)).filter((name) => name.startsWith('.'))).toEqual([]);
  }, 180_000);

  it('SIGTERM: the sweep stops its run, waits for it and sets it back to pending', async () => {
    const setup = sweepDirectory(trainConfig);
    const { sweep, child, stderr } = await startSweepUntilCheckpoint(setup);
    process.kill(sweep.pid as number, 'SIGTERM');
    const ending = await Promise.race([exited(sweep), sleep(15_000).then(() => null)]);
    const childStopped = !isProcessRunning(child);
    if (!childStopped) process.kill(child, 'SIGKILL');
    expect(ending, 'the sweep ends').not.toBeNull();
    expect(ending?.signal).toBe('SIGTERM');
    expect(childStopped, 'its run stopped with it').toBe(true);
    expect(stderr()).toMatch(/stopped by SIGTERM.*run the same command again/);
    const store = await openResultsStore(setup.database);
    const [run] = await store.list('safe-train');
    store.close();
    expect(run?.status).toBe('pending');
    expect(existsSync(join(setup.runs, setup.ids[0] as string, 'run.lock'))).toBe(false);
  }, 120_000);
});

describe('sweep bookkeeping', () => {
  it('--retry-failed runs failed runs again and keeps the old failure', async () => {
    const setup = sweepDirectory(couplingConfig);
    expect((await sinkflow('sweep', ...setup.args)).code).toBe(0);
    const id = setup.ids[0] as string;
    const failure = { id, status: 'failed', metrics: {}, seconds: 0.1, error: 'simulated crash' };
    writeFileSync(join(setup.runs, id, 'result.json'), JSON.stringify(failure));
    const store = await openResultsStore(setup.database);
    await store.setStatus(id, 'failed', { error: 'simulated crash' });
    store.close();

    const kept = await sinkflow('sweep', ...setup.args);
    expect(kept.stdout).toMatch(/1\/2 done, 1 failed/);
    const retried = await sinkflow('sweep', ...setup.args, '--retry-failed');
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toMatch(/2\/2 done, 0 failed/);
    const result = JSON.parse(readFileSync(join(setup.runs, id, 'result.json'), 'utf8'));
    expect(result.status).toBe('done');
    expect(result.metrics.renormalizedEntropy).toBeTypeOf('number');
    const old = readdirSync(join(setup.runs, id)).filter((name) =>
      name.startsWith('result.failed-'),
    );
    expect(old).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(setup.runs, id, old[0] as string), 'utf8')).error).toBe(
      'simulated crash',
    );
  }, 120_000);

  it('a database held by another process exits 2 with one line naming --db and the pid', async () => {
    const setup = sweepDirectory(couplingConfig);
    const store = await openResultsStore(setup.database);
    try {
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const sweep = spawn(process.execPath, [cli, 'sweep', ...setup.args], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        sweep.stderr?.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        sweep.on('close', (code) => resolve({ code, stderr }));
      });
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("'--db'");
      expect(lines[0]).toContain(
        `results database ${setup.database} is in use by another process (pid ${process.pid})`,
      );
    } finally {
      store.close();
    }
  }, 60_000);

  it('never runs a second process in a run directory: run exits 2, sweep waits for the holder', async () => {
    const setup = sweepDirectory(couplingConfig);
    const id = setup.ids[0] as string;
    const directory = join(setup.runs, id);
    mkdirSync(directory, { recursive: true });
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    writeFileSync(
      join(directory, 'run.lock'),
      JSON.stringify({
        pid: holder.pid,
        hostname: hostname(),
        startedAt: new Date().toISOString(),
        command: 'run',
      }),
    );
    writeFileSync(join(directory, 'result.json.99999.tmp'), '{"half": '); // a killed writer's
    try {
      writeFileSync(
        join(directory, 'spec.json'),
        JSON.stringify(expandSweep(parseSweepConfig(couplingConfig, 'x'))[0]),
      );
      const direct = await sinkflow(
        'run',
        '--spec',
        join(directory, 'spec.json'),
        '--out',
        directory,
      );
      expect(direct.code).toBe(2);
      expect(direct.stderr.trim().split('\n')).toHaveLength(1);
      expect(direct.stderr).toMatch(
        new RegExp(`'--out'.*in use by another process \\(pid ${holder.pid} `),
      );

      const sweep = spawn(process.execPath, [cli, 'sweep', ...setup.args, '--jobs', '2'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      sweep.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      // The other run finishes within seconds; the locked one must wait.
      expect(
        await until(
          () => existsSync(join(setup.runs, setup.ids[1] as string, 'result.json')),
          60_000,
        ),
      ).toBe(true);
      await sleep(1500);
      expect(existsSync(join(directory, 'result.json'))).toBe(false);
      expect(stderr).toContain(`waits for process ${holder.pid}`);
      holder.kill('SIGKILL');
      const { code } = await exited(sweep);
      expect(code, stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(directory, 'result.json'), 'utf8')).status).toBe('done');
      expect(existsSync(join(directory, 'result.json.99999.tmp'))).toBe(false);
      expect(existsSync(join(directory, 'run.lock'))).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 120_000);
});
