import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandomGenerator, InvalidArgumentError } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAdamOptimizer,
  createFlowMatchingTrainer,
  createIndependentPairSource,
  createMlpVelocityModel,
  resumeFlowMatchingTrainer,
  TrainingWorkerError,
  type VelocityModel,
} from '../src/index.js';
import { createReplicaPool } from '../src/parallel/replica-pool.js';
import { resolveTrainingWorkers } from '../src/parallel/training-workers.js';
import { gaussianSampler, useCpuBackend } from './helpers.js';

// The worker replicas run dist/train-worker.js: build the package before these tests.
let scratch = '';
beforeAll(async () => {
  await useCpuBackend();
  scratch = await mkdtemp(join(tmpdir(), 'sinkflow-fm-parallel-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const d = 3;
const smallModel = () => createMlpVelocityModel({ d, hiddenLayers: 2, width: 16, seed: 0 });
const independentPairs = () =>
  createIndependentPairSource({
    source: gaussianSampler({ d }),
    target: gaussianSampler({ d, mean: 2, scale: 0.5 }),
    chunkSize: 48,
    seed: 3,
  });

async function flatWeights(model: VelocityModel): Promise<Float32Array[]> {
  return (await model.getWeights()).map((weight) => weight.data);
}

async function trainLosses(workers: number, steps: number) {
  const model = smallModel();
  const pairs = independentPairs();
  const trainer = await createFlowMatchingTrainer({
    model,
    pairs,
    batchSize: 40,
    microBatchSize: 16,
    seed: 5,
    workers,
  });
  try {
    expect(trainer.workers).toBe(workers);
    const report = await trainer.train({ steps });
    return { losses: report.losses, weights: await flatWeights(model) };
  } finally {
    trainer.dispose();
    model.dispose();
    await pairs.dispose();
  }
}

// Each worker loads TensorFlow.js (about a second, more on a busy machine).
describe('data-parallel training (worker replicas, all-reduce over shared memory)', {
  timeout: 120_000,
}, () => {
  it('keeps every replica bit-identical to the calling thread', async () => {
    const model = smallModel();
    const optimizer = createAdamOptimizer({ parameters: model.parameters });
    const pool = await createReplicaPool({ model, optimizer, replicas: 3, backend: 'cpu' });
    try {
      const random = createRandomGenerator({ seed: 1 });
      const count = 50; // shards of 17, 17, 16 rows
      for (let step = 0; step < 4; step += 1) {
        const loss = await pool.step({
          xt: random.fillNormal(new Float32Array(count * d)),
          t: random.fillUniform(new Float32Array(count)),
          velocity: random.fillNormal(new Float32Array(count * d)),
          count,
          microBatchSize: 8,
        });
        expect(Number.isFinite(loss)).toBe(true);
      }
      const own = await flatWeights(model);
      const ownState = await optimizer.getState();
      const states = await pool.workerStates();
      expect(states).toHaveLength(2);
      for (const state of states) {
        expect(state.weights.map((weight) => weight.data)).toEqual(own);
        expect(state.optimizer.step).toBe(4);
        expect(state.optimizer.firstMoments).toEqual(ownState.firstMoments);
        expect(state.optimizer.secondMoments).toEqual(ownState.secondMoments);
      }
    } finally {
      await pool.terminate();
      optimizer.dispose();
      model.dispose();
    }
  });

  it('equals single-thread training on the same batches up to float32 rounding', async () => {
    const single = await trainLosses(1, 4);
    const parallel = await trainLosses(2, 4);
    single.losses.forEach((loss, index) => {
      expect(Math.abs((parallel.losses[index] as number) - loss)).toBeLessThan(1e-5 * loss);
    });
    let largest = 0;
    single.weights.forEach((weights, index) => {
      const other = parallel.weights[index] as Float32Array;
      for (let k = 0; k < weights.length; k += 1) {
        largest = Math.max(largest, Math.abs((other[k] as number) - (weights[k] as number)));
      }
    });
    // Four Adam steps of 1e-3 from the same start: the sums differ in their last bits only.
    expect(largest).toBeLessThan(1e-5);
  });

  it('is deterministic for a given worker count', async () => {
    const first = await trainLosses(2, 3);
    const second = await trainLosses(2, 3);
    expect(second.losses).toEqual(first.losses);
    expect(second.weights).toEqual(first.weights);
  });

  it('resumes from a checkpoint to the uninterrupted run exactly', async () => {
    const uninterrupted = await trainLosses(2, 6);
    const model = smallModel();
    const pairs = independentPairs();
    const trainer = await createFlowMatchingTrainer({
      model,
      pairs,
      batchSize: 40,
      microBatchSize: 16,
      seed: 5,
      workers: 2,
    });
    const directory = join(scratch, 'step-3');
    await trainer.train({ steps: 3 });
    await trainer.saveCheckpoint({ directory });
    trainer.dispose();
    model.dispose();
    await pairs.dispose();
    const resumedPairs = independentPairs();
    const resumed = await resumeFlowMatchingTrainer({
      directory,
      pairs: resumedPairs,
      workers: 2,
    });
    try {
      expect(resumed.workers).toBe(2);
      const report = await resumed.train({ steps: 3 });
      expect(report.losses).toEqual(uninterrupted.losses);
      expect(await flatWeights(resumed.model)).toEqual(uninterrupted.weights);
    } finally {
      resumed.dispose();
      resumed.model.dispose();
      await resumedPairs.dispose();
    }
  });

  it("surfaces a worker's error as a TrainingWorkerError and stops the pool", async () => {
    const model = smallModel();
    const optimizer = createAdamOptimizer({ parameters: model.parameters });
    const pool = await createReplicaPool({ model, optimizer, replicas: 2, backend: 'cpu' });
    const before = await flatWeights(model);
    try {
      const count = 20;
      // Times for the first shard only: the calling thread's part is well formed, the worker's
      // shard has no times and its tensor2d throws.
      const failed = pool.step({
        xt: new Float32Array(count * d),
        t: new Float32Array(count / 2),
        velocity: new Float32Array(count * d),
        count,
        microBatchSize: 20,
      });
      const error = await failed.catch((caught: unknown) => caught);
      expect(TrainingWorkerError.isInstance(error)).toBe(true);
      expect((error as TrainingWorkerError).worker).toBe(1);
      expect((error as TrainingWorkerError).message).toMatch(
        /^training worker 1 failed: Error: .*shape/,
      );
      // No update was applied on the calling thread; the pool refuses further steps.
      expect(await flatWeights(model)).toEqual(before);
      await expect(
        pool.step({
          xt: new Float32Array(count * d),
          t: new Float32Array(count),
          velocity: new Float32Array(count * d),
          count,
          microBatchSize: 20,
        }),
      ).rejects.toThrow(/training worker 1 failed/);
    } finally {
      await pool.terminate();
      optimizer.dispose();
      model.dispose();
    }
  });

  it('names a backend that cannot run in a worker', async () => {
    const model = smallModel();
    const optimizer = createAdamOptimizer({ parameters: model.parameters });
    try {
      const error = await createReplicaPool({
        model,
        optimizer,
        replicas: 2,
        backend: 'webgl',
      }).catch((caught: unknown) => caught);
      expect(TrainingWorkerError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/backend 'webgl' cannot run in a training worker/);
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  });

  it('never keeps a process alive: a run that ends without dispose() exits, so does one that throws', () => {
    const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = (ending: string) => `
      import * as tf from '@tensorflow/tfjs';
      const fm = await import(${JSON.stringify(entry)});
      tf.env().set('PROD', true);
      await tf.setBackend('cpu');
      const d = 2;
      const model = fm.createMlpVelocityModel({ d, hiddenLayers: 1, width: 8 });
      const pairs = fm.createIndependentPairSource({
        source: fm.standardNormalSampler({ d }), target: fm.standardNormalSampler({ d }), chunkSize: 16,
      });
      const trainer = await fm.createFlowMatchingTrainer({ model, pairs, batchSize: 16, workers: 2 });
      await trainer.train({ steps: 2 });
      console.log('trained with', trainer.workers, 'workers');
      ${ending}
    `;
    for (const ending of ['', "throw new Error('boom');"]) {
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script(ending)], {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.error).toBeUndefined(); // not killed by the timeout
      expect(run.stdout).toContain('trained with 2 workers');
      expect(run.status).toBe(ending === '' ? 0 : 1);
    }
  });

  it("resolves 'auto' to the cores on wasm and to 1 on cpu, and checks the option", async () => {
    const functionName = 'test';
    expect(
      await resolveTrainingWorkers({
        workers: 'auto',
        backend: 'cpu',
        batchSize: 64,
        functionName,
      }),
    ).toBe(1);
    const cores = await resolveTrainingWorkers({
      workers: 'auto',
      backend: 'wasm',
      batchSize: 4096,
      functionName,
    });
    // One replica per core the process may use, at most one per example of the batch.
    expect(cores).toBe(Math.max(1, Math.min(availableParallelism(), 4096)));
    expect(
      await resolveTrainingWorkers({
        workers: 'auto',
        backend: 'wasm',
        batchSize: 1,
        functionName,
      }),
    ).toBe(1);
    expect(
      await resolveTrainingWorkers({ workers: 4, backend: 'cpu', batchSize: 2, functionName }),
    ).toBe(2);
    for (const workers of [0, 1.5, 'two']) {
      await expect(
        resolveTrainingWorkers({
          workers: workers as number,
          backend: 'wasm',
          batchSize: 64,
          functionName,
        }),
      ).rejects.toThrow(InvalidArgumentError);
    }
    await expect(
      resolveTrainingWorkers({ workers: 2, backend: 'tensorflow', batchSize: 64, functionName }),
    ).rejects.toThrow(/'workers'.*tensorflow/);
    expect(tf.getBackend()).toBe('cpu');
  });
});
