import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRandomGenerator } from '@sinkflow/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTask, W2_CHECKPOINTS_ENV } from '../src/sweep/load-task.js';

// The W2 benchmark's published checkpoints, where the shared data folder holds them.
const shared = join(import.meta.dirname, '../../../../shared/data/w2bench/Mix3toMix10');
const saved = process.env[W2_CHECKPOINTS_ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[W2_CHECKPOINTS_ENV];
  else process.env[W2_CHECKPOINTS_ENV] = saved;
});

describe('loadTask: where the W2 checkpoints come from', () => {
  it('refuses w2-mix3to10 without a folder, naming the option and the variable', async () => {
    delete process.env[W2_CHECKPOINTS_ENV];
    await expect(loadTask('w2-mix3to10', 16, {})).rejects.toMatchObject({
      argumentName: 'options.checkpoints',
      message: expect.stringContaining(W2_CHECKPOINTS_ENV),
    });
  });

  it.skipIf(!existsSync(shared))(
    `reads the folder from ${W2_CHECKPOINTS_ENV} when the run names none (skipped without ../shared/data/w2bench)`,
    async () => {
      process.env[W2_CHECKPOINTS_ENV] = shared;
      const fromEnvironment = await loadTask('w2-mix3to10', 16, {});
      delete process.env[W2_CHECKPOINTS_ENV];
      const fromOption = await loadTask('w2-mix3to10', 16, { checkpoints: shared });
      const draw = (task: typeof fromOption) =>
        Array.from(task.sampleTarget(4, createRandomGenerator({ seed: 1 })).data);
      expect(fromEnvironment.d).toBe(16);
      expect(draw(fromEnvironment)).toEqual(draw(fromOption));
      expect(fromEnvironment.transport).toBeDefined();
    },
  );
});
