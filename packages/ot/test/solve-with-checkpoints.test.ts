import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPointCloud, createRandomGenerator } from '@sinkflow/core';
import { relativeEpsilon } from '@sinkflow/entropy';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsBackend, createSinkhornProblem, solveWithCheckpoints } from '../src/index.js';

function gaussianCloud(n: number, d: number, seed: number) {
  const random = createRandomGenerator({ seed });
  return createPointCloud(
    Float32Array.from({ length: n * d }, () => random.normal()),
    { d },
  );
}

function expectClose(left: Float64Array, right: Float64Array, tolerance: number): void {
  expect(left.length).toBe(right.length);
  let worst = 0;
  for (let k = 0; k < left.length; k += 1) {
    worst = Math.max(worst, Math.abs((left[k] as number) - (right[k] as number)));
  }
  expect(worst).toBeLessThan(tolerance);
}

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'sinkflow-ot-checkpoint-'));
  directories.push(directory);
  return directory;
}

describe('solveWithCheckpoints on the js backend', () => {
  const createProblem = () =>
    createSinkhornProblem({
      backend: createJsBackend(),
      x: gaussianCloud(40, 3, 1),
      y: gaussianCloud(50, 3, 2),
      cost: 'sqeuclidean',
    });
  // Momentum starts long after convergence, so a resumed run repeats the uninterrupted one exactly.
  const settings = { epsilon: relativeEpsilon(0.05), threshold: 1e-7, innerIterations: 5 };

  it('a run aborted after a checkpoint resumes to the result of an uninterrupted run', async () => {
    const problem = await createProblem();
    try {
      const full = await solveWithCheckpoints({
        problem,
        checkpointDirectory: temporaryDirectory(),
        checkpointEvery: 20,
        ...settings,
      });
      expect(full.converged).toBe(true);
      expect(full.resumedFromIteration).toBeNull();
      expect(full.iterations).toBeGreaterThan(60);
      expect(full.iterations).toBeLessThan(2000);

      const directory = temporaryDirectory();
      const controller = new AbortController();
      const interrupted = solveWithCheckpoints({
        problem,
        checkpointDirectory: directory,
        checkpointEvery: 20,
        ...settings,
        signal: controller.signal,
        onProgress: ({ iteration }) => {
          if (iteration === 40) controller.abort();
        },
      });
      await expect(interrupted).rejects.toThrow();
      // The checkpoint of iteration 40 stays for the next run.
      expect(existsSync(join(directory, 'checkpoint.json'))).toBe(true);

      const resumed = await solveWithCheckpoints({
        problem,
        checkpointDirectory: directory,
        checkpointEvery: 20,
        ...settings,
      });
      expect(resumed.resumedFromIteration).toBe(40);
      expect(resumed.converged).toBe(true);
      expect(resumed.iterations).toBe(full.iterations);
      expectClose(resumed.f, full.f, 1e-12);
      expectClose(resumed.g, full.g, 1e-12);
      expect(resumed.transportCost).toBeCloseTo(full.transportCost, 12);
      expect(resumed.errors.at(-1)).toBeCloseTo(full.errors.at(-1) as number, 12);
      // Done: the checkpoint is removed.
      expect(existsSync(join(directory, 'checkpoint.json'))).toBe(false);
    } finally {
      await problem.dispose();
    }
  });

  it('refuses the checkpoint of another problem', async () => {
    const directory = temporaryDirectory();
    const problem = await createProblem();
    const controller = new AbortController();
    await expect(
      solveWithCheckpoints({
        problem,
        checkpointDirectory: directory,
        checkpointEvery: 20,
        ...settings,
        signal: controller.signal,
        onProgress: ({ iteration }) => {
          if (iteration === 20) controller.abort();
        },
      }),
    ).rejects.toThrow();
    await problem.dispose();
    const other = await createSinkhornProblem({
      backend: createJsBackend(),
      x: gaussianCloud(40, 3, 3),
      y: gaussianCloud(50, 3, 2),
      cost: 'sqeuclidean',
    });
    try {
      await expect(
        solveWithCheckpoints({ problem: other, checkpointDirectory: directory, ...settings }),
      ).rejects.toThrow(/'checkpointDirectory': holds a checkpoint of another problem/);
    } finally {
      await other.dispose();
    }
  });
});
