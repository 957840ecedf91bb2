import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npyArray } from '@sinkflow/core';
import { writeNpyFile } from '@sinkflow/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBatchOtPairSource,
  createFlowMatchingTrainer,
  createIndependentPairSource,
  createMlpVelocityModel,
  readCheckpoint,
  recoverCheckpoint,
  resumeFlowMatchingTrainer,
  writeCheckpoint,
} from '../src/index.js';
import { gaussianSampler, useCpuBackend } from './helpers.js';

let scratch = '';
beforeAll(async () => {
  await useCpuBackend();
  scratch = await mkdtemp(join(tmpdir(), 'sinkflow-fm-safety-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A trained checkpoint (independent pairs, 2 steps) in `directory`. */
async function smallCheckpoint(directory: string, metadata?: Record<string, string | number>) {
  const d = 2;
  const pairs = createIndependentPairSource({
    source: gaussianSampler({ d }),
    target: gaussianSampler({ d, mean: 1 }),
    seed: 1,
  });
  const model = createMlpVelocityModel({ d, hiddenLayers: 1, width: 4, seed: 2 });
  const trainer = await createFlowMatchingTrainer({
    model,
    pairs,
    batchSize: 8,
    seed: 3,
    ...(metadata === undefined ? {} : { metadata }),
  });
  await trainer.train({ steps: 2 });
  await trainer.saveCheckpoint({ directory });
  trainer.dispose();
  model.dispose();
  await pairs.dispose();
  return readCheckpoint({ directory });
}

describe('resume with an entropy search', () => {
  it('reproduces the uninterrupted loss curve from a checkpoint at a coupling boundary', async () => {
    const d = 2;
    const makePairs = () =>
      createBatchOtPairSource({
        source: gaussianSampler({ d }),
        target: gaussianSampler({ d, mean: 2, scale: 0.5 }),
        couplingSize: 32,
        pairsPerCoupling: 32,
        targetEntropy: 0.2,
        seed: 7,
      });
    const settings = { batchSize: 32, seed: 5 }; // one coupling per step: every checkpoint is at a boundary
    const pairsA = makePairs();
    const modelA = createMlpVelocityModel({ d, hiddenLayers: 1, width: 8, seed: 3 });
    const uninterrupted = await createFlowMatchingTrainer({
      ...settings,
      model: modelA,
      pairs: pairsA,
    });
    const full = await uninterrupted.train({ steps: 8 });
    uninterrupted.dispose();
    modelA.dispose();
    await pairsA.dispose();

    const directory = join(scratch, 'entropy-boundary');
    const pairsB = makePairs();
    const modelB = createMlpVelocityModel({ d, hiddenLayers: 1, width: 8, seed: 3 });
    const first = await createFlowMatchingTrainer({ ...settings, model: modelB, pairs: pairsB });
    await first.train({ steps: 4 });
    await first.saveCheckpoint({ directory });
    first.dispose();
    modelB.dispose();
    await pairsB.dispose();
    expect((await readCheckpoint({ directory })).pairs).toMatchObject({ chunk: 4, offset: 0 });

    const pairsC = makePairs();
    const resumed = await resumeFlowMatchingTrainer({ directory, pairs: pairsC });
    const rest = await resumed.train({ steps: 4 });
    expect(rest.losses).toEqual(full.losses);
    resumed.dispose();
    resumed.model.dispose();
    await pairsC.dispose();
  }, 30_000);
});

describe('non-finite weights', () => {
  it('writeCheckpoint refuses a NaN weight and keeps the checkpoint already there', async () => {
    const directory = join(scratch, 'nan-write');
    const saved = await smallCheckpoint(directory);
    const [first, ...others] = saved.model.weights;
    const poisoned = Float32Array.from((first as { data: Float32Array }).data);
    poisoned[1] = Number.NaN;
    await expect(
      writeCheckpoint({
        directory,
        checkpoint: {
          ...saved,
          step: saved.step + 1,
          model: { ...saved.model, weights: [{ ...first!, data: poisoned }, ...others] },
        },
      }),
    ).rejects.toThrowError(/'checkpoint\.model\.weights\[0\]': holds NaN at index 1/);
    expect((await readCheckpoint({ directory })).step).toBe(saved.step);
    expect((await readdir(scratch)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('readCheckpoint and resume refuse a checkpoint whose weight file holds an infinity', async () => {
    const directory = join(scratch, 'inf-read');
    const saved = await smallCheckpoint(directory);
    const weight = saved.model.weights[1] as { name: string; shape: number[]; data: Float32Array };
    const data = Float32Array.from(weight.data);
    data[0] = Number.POSITIVE_INFINITY;
    await writeNpyFile(
      join(directory, 'model', `${weight.name}.npy`),
      npyArray(data, weight.shape),
    );
    await expect(readCheckpoint({ directory })).rejects.toThrowError(
      new RegExp(`'directory': model/${weight.name}\\.npy holds Infinity at index 0`),
    );
    const pairs = createIndependentPairSource({
      source: gaussianSampler({ d: 2 }),
      target: gaussianSampler({ d: 2 }),
    });
    await expect(resumeFlowMatchingTrainer({ directory, pairs })).rejects.toThrowError(
      /not resumed/,
    );
    await pairs.dispose();
  });
});

describe('checkpoint metadata', () => {
  it('is written with the checkpoint and given back on resume', async () => {
    const directory = join(scratch, 'metadata');
    const saved = await smallCheckpoint(directory, { benchmark: 'moons', otBatchSize: 64 });
    expect(saved.metadata).toEqual({ benchmark: 'moons', otBatchSize: 64 });
    const pairs = createIndependentPairSource({
      source: gaussianSampler({ d: 2 }),
      target: gaussianSampler({ d: 2, mean: 1 }),
      seed: 1,
    });
    const resumed = await resumeFlowMatchingTrainer({ directory, pairs });
    expect(resumed.metadata).toEqual({ benchmark: 'moons', otBatchSize: 64 });
    resumed.dispose();
    resumed.model.dispose();
    await pairs.dispose();
  });

  it('rejects metadata that is not a record of JSON scalars, naming the key', async () => {
    const pairs = createIndependentPairSource({
      source: gaussianSampler({ d: 2 }),
      target: gaussianSampler({ d: 2 }),
    });
    const model = createMlpVelocityModel({ d: 2, hiddenLayers: 1, width: 4 });
    await expect(
      createFlowMatchingTrainer({
        model,
        pairs,
        metadata: { nested: { a: 1 } } as unknown as Record<string, number>,
      }),
    ).rejects.toThrowError(/'metadata\.nested'/);
    model.dispose();
    await pairs.dispose();
  });
});

describe('recoverCheckpoint', () => {
  it('moves a complete leftover into place when a kill left no checkpoint, removes the rest', async () => {
    const run = join(scratch, 'recover-missing');
    const saved = await smallCheckpoint(join(run, 'source'));
    // Killed between the two renames: the new checkpoint in .tmp-, the old one in .old-.
    await writeCheckpoint({ directory: join(run, '.checkpoint.tmp-1-aa'), checkpoint: saved });
    await writeCheckpoint({
      directory: join(run, '.checkpoint.old-1-aa'),
      checkpoint: { ...saved, step: saved.step - 1 },
    });
    await mkdir(join(run, '.checkpoint.tmp-2-bb', 'model'), { recursive: true }); // partial
    const result = await recoverCheckpoint({ directory: join(run, 'checkpoint') });
    expect(result.restored).toBe(join(run, '.checkpoint.tmp-1-aa'));
    expect(result.removed).toHaveLength(2);
    expect((await readCheckpoint({ directory: join(run, 'checkpoint') })).step).toBe(saved.step);
    expect((await readdir(run)).sort()).toEqual(['checkpoint', 'source']);
  });

  it('keeps the checkpoint in place when it is the newest and cleans stale folders', async () => {
    const run = join(scratch, 'recover-stale');
    const saved = await smallCheckpoint(join(run, 'checkpoint'));
    await cp(join(run, 'checkpoint'), join(run, '.checkpoint.old-9-cc'), { recursive: true });
    await mkdir(join(run, '.checkpoint.tmp-9-dd'));
    await writeFile(join(run, '.checkpoint.tmp-9-dd', 'half.npy'), 'x');
    const result = await recoverCheckpoint({ directory: join(run, 'checkpoint') });
    expect(result.restored).toBeNull();
    expect(result.removed).toHaveLength(2);
    expect((await readdir(run)).sort()).toEqual(['checkpoint']);
    expect((await readCheckpoint({ directory: join(run, 'checkpoint') })).step).toBe(saved.step);
  });
});
