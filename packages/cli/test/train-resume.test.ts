import { spawn } from 'node:child_process';
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
import { npyArray } from '@sinkflow/core';
import { readNpyFile, writeNpyFile } from '@sinkflow/core/node';
import { readCheckpoint } from '@sinkflow/fm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-train-resume-'));
const path = (name: string) => join(directory, name);
const saved = path('saved');
const setup = [
  '--d',
  '4',
  '--batch-size',
  '32',
  '--width',
  '16',
  '--hidden-layers',
  '1',
  '--seed',
  '7',
  '--ot-batch-size',
  '64',
  '--target-entropy',
  '0.3',
];

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

beforeAll(async () => {
  const first = await sinkflow('train', ...setup, '--steps', '2', '--out', saved);
  expect(first.code, first.stderr).toBe(0);
}, 60_000);

describe('train --resume takes the run from its checkpoint', () => {
  it('without flags, continues the saved model, seed and coupling and records them', async () => {
    const json = path('resumed.json');
    const result = await sinkflow(
      'train',
      '--resume',
      '--out',
      saved,
      '--steps',
      '3',
      '--json',
      json,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({
      d: 4,
      coupling: 'ot',
      targetEntropy: 0.3,
      relativeEpsilon: null,
      otBatchSize: 64,
      batchSize: 32,
      width: 16,
      hiddenLayers: 1,
      seed: 7,
      step: 3,
      resumedFrom: 2,
    });
    expect((await readCheckpoint({ directory: join(saved, 'checkpoint') })).metadata).toMatchObject(
      { width: 16, seed: 7, otBatchSize: 64, targetEntropy: 0.3 },
    );
  }, 60_000);

  it.each([
    [['--width', '32'], '--width'],
    [['--hidden-layers', '2'], '--hidden-layers'],
    [['--d', '8'], '--d'],
    [['--seed', '0'], '--seed'],
    [['--coupling', 'independent'], '--coupling'],
    [['--target-entropy', '0.1'], '--target-entropy'],
    [['--relative-epsilon', '0.05'], '--relative-epsilon'],
    [['--ot-batch-size', '128'], '--ot-batch-size'],
    [['--batch-size', '16'], '--batch-size'],
    [['--benchmark', 'moons'], '--benchmark'],
    [['--ema-decay', '0.9'], '--ema-decay'],
  ])('a contradicting %j exits 2 with one line naming %s', async (flags, flag) => {
    const before = (await readCheckpoint({ directory: join(saved, 'checkpoint') })).step;
    const result = await sinkflow('train', '--resume', '--out', saved, '--steps', '5', ...flags);
    expect(result.code).toBe(2);
    const line = oneLine(result.stderr);
    expect(line).toContain(`'${flag}'`);
    expect(line).toContain('contradicts the checkpoint');
    expect((await readCheckpoint({ directory: join(saved, 'checkpoint') })).step).toBe(before);
  });

  it('--ema-decay: trains, saves and resumes the weight average, which evaluate then uses', async () => {
    const averaged = path('averaged');
    const json = path('averaged.json');
    const first = await sinkflow(
      'train',
      ...setup,
      '--ema-decay',
      '0.9',
      '--steps',
      '2',
      '--out',
      averaged,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('weight average of decay 0.9');
    // Resumed without the flag: the checkpoint's average goes on.
    const resumed = await sinkflow(
      'train',
      '--resume',
      '--out',
      averaged,
      '--steps',
      '4',
      '--json',
      json,
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ emaDecay: 0.9, step: 4 });
    const checkpoint = await readCheckpoint({ directory: join(averaged, 'checkpoint') });
    expect(checkpoint.ema).toMatchObject({ decay: 0.9, updates: 4 });
    expect(checkpoint.ema?.weights.map((weight) => weight.name)).toEqual(
      checkpoint.model.weights.map((weight) => weight.name),
    );
    const evaluation = await sinkflow('evaluate', '--model', averaged, '--n', '50');
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(evaluation.stdout).toContain('(weight average, decay 0.9)');
    // Another decay contradicts the checkpoint; so does a decay out of (0, 1) on a fresh run.
    const other = await sinkflow(
      'train',
      '--resume',
      '--out',
      averaged,
      '--steps',
      '5',
      '--ema-decay',
      '0.5',
    );
    expect(other.code).toBe(2);
    expect(oneLine(other.stderr)).toContain("'--ema-decay'");
    const bad = await sinkflow(
      'train',
      ...setup,
      '--ema-decay',
      '1',
      '--steps',
      '1',
      '--out',
      path('bad-ema'),
    );
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr)).toMatch(/'--ema-decay'.*\(0, 1\)/);
  }, 120_000);

  it('accepts the saved values given again', async () => {
    const result = await sinkflow('train', ...setup, '--resume', '--out', saved, '--steps', '3');
    expect(result.code, result.stderr).toBe(0);
  }, 60_000);

  it('refuses to overwrite a checkpoint without --resume (exit 2 naming --out)', async () => {
    const before = (await readCheckpoint({ directory: join(saved, 'checkpoint') })).step;
    const result = await sinkflow('train', ...setup, '--steps', '2', '--out', saved);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(/'--out'.*already holds a checkpoint.*--resume/);
    expect((await readCheckpoint({ directory: join(saved, 'checkpoint') })).step).toBe(before);
  });

  it('refuses a checkpoint with a non-finite weight (train --resume and evaluate exit 2)', async () => {
    const poisoned = path('poisoned');
    expect((await sinkflow('train', ...setup, '--steps', '1', '--out', poisoned)).code).toBe(0);
    const file = join(poisoned, 'checkpoint', 'model', 'layer0.weight.npy');
    const weights = await readNpyFile(file);
    const data = Float32Array.from(weights.data);
    data[3] = Number.NaN;
    await writeNpyFile(file, npyArray(data, [...weights.shape]));
    const resumed = await sinkflow('train', '--resume', '--out', poisoned, '--steps', '2');
    expect(resumed.code).toBe(2);
    expect(oneLine(resumed.stderr)).toMatch(/'--resume'.*layer0\.weight\.npy holds NaN at index 3/);
    const evaluated = await sinkflow('evaluate', '--model', poisoned, '--n', '8');
    expect(evaluated.code).toBe(2);
    expect(oneLine(evaluated.stderr)).toContain('--model');
  }, 60_000);
});

describe('train holds a lock on --out and cleans up after killed writers', () => {
  it('exits 2 naming --out while a live process holds the directory, takes over a stale lock', async () => {
    const busy = path('busy');
    mkdirSync(busy, { recursive: true });
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    const lock = (pid: number) =>
      `${JSON.stringify({ pid, hostname: hostname(), startedAt: new Date().toISOString(), command: 'train' })}\n`;
    writeFileSync(join(busy, 'run.lock'), lock(holder.pid as number));
    try {
      const refused = await sinkflow('train', ...setup, '--steps', '1', '--out', busy);
      expect(refused.code).toBe(2);
      expect(oneLine(refused.stderr)).toMatch(
        new RegExp(`'--out'.*in use by another process \\(pid ${holder.pid} `),
      );
      expect(existsSync(join(busy, 'checkpoint'))).toBe(false);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    // The holder is dead now: its lock is stale and taken over.
    const taken = await sinkflow('train', ...setup, '--steps', '1', '--out', busy);
    expect(taken.code, taken.stderr).toBe(0);
    expect(existsSync(join(busy, 'run.lock'))).toBe(false);
  }, 60_000);

  it('removes stale .checkpoint.tmp-* folders and restores a checkpoint a kill left aside', async () => {
    const killed = path('killed');
    expect((await sinkflow('train', ...setup, '--steps', '2', '--out', killed)).code).toBe(0);
    const { renameSync } = await import('node:fs');
    // Killed between writeCheckpoint's renames: the only complete copy is in a leftover folder.
    renameSync(join(killed, 'checkpoint'), join(killed, '.checkpoint.tmp-4242-abcdef'));
    mkdirSync(join(killed, '.checkpoint.tmp-4243-012345', 'model'), { recursive: true });
    const result = await sinkflow('train', '--resume', '--out', killed, '--steps', '3');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('resumed from step 2');
    expect(readdirSync(killed).filter((name) => name.startsWith('.'))).toEqual([]);
  }, 60_000);
});
