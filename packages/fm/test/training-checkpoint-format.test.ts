import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFlowMatchingTrainer,
  createIndependentPairSource,
  createMlpVelocityModel,
  readCheckpoint,
  TRAINING_CHECKPOINT_FORMAT,
  TRAINING_CHECKPOINT_VERSION,
} from '../src/index.js';
import { gaussianSampler, useCpuBackend } from './helpers.js';

let scratch = '';
beforeAll(async () => {
  await useCpuBackend();
  scratch = await mkdtemp(join(tmpdir(), 'sinkflow-fm-format-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('TRAINING_CHECKPOINT_FORMAT and TRAINING_CHECKPOINT_VERSION', () => {
  it('are what checkpoint.json carries, and readCheckpoint refuses another version', async () => {
    const d = 2;
    const pairs = createIndependentPairSource({
      source: gaussianSampler({ d }),
      target: gaussianSampler({ d, mean: 1 }),
      seed: 1,
    });
    const model = createMlpVelocityModel({ d, hiddenLayers: 1, width: 4, seed: 2 });
    const trainer = await createFlowMatchingTrainer({ model, pairs, batchSize: 8, seed: 3 });
    const directory = join(scratch, 'checkpoint');
    try {
      await trainer.train({ steps: 1 });
      await trainer.saveCheckpoint({ directory });
    } finally {
      trainer.dispose();
      model.dispose();
      await pairs.dispose();
    }
    const manifestPath = join(directory, 'checkpoint.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
    expect(manifest.format).toBe(TRAINING_CHECKPOINT_FORMAT);
    expect(manifest.version).toBe(TRAINING_CHECKPOINT_VERSION);
    expect((await readCheckpoint({ directory })).step).toBe(1);

    await writeFile(
      manifestPath,
      JSON.stringify({ ...manifest, version: TRAINING_CHECKPOINT_VERSION + 1 }),
    );
    const refused = await readCheckpoint({ directory }).catch((error: unknown) => error);
    expect(InvalidArgumentError.isInstance(refused)).toBe(true);
    expect((refused as Error).message).toContain(
      `not a ${TRAINING_CHECKPOINT_FORMAT} version ${TRAINING_CHECKPOINT_VERSION}`,
    );
  }, 60_000);
});
