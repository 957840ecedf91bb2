import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relativeEpsilon } from '@sinkflow/entropy';
import {
  createJsBackend,
  createSinkhornProblem,
  solveSinkhorn,
  solveWithCheckpoints,
} from '@sinkflow/ot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectNatsCollective,
  createInProcessCollective,
  createShardedBackend,
  WorkerLostError,
} from '../src/index.js';
import {
  type NatsServerProcess,
  spawnWorkerProcess,
  startNatsServer,
  type WorkerProcess,
} from '../src/testing.js';
import { gaussianCloud, natsServerForTests, relativeDifference } from './helpers.js';

const binary = natsServerForTests();

describe.skipIf(binary === undefined)('a 2 x 2 grid of worker processes on NATS', () => {
  let server: NatsServerProcess;
  const workers: WorkerProcess[] = [];
  const directory = mkdtempSync(join(tmpdir(), 'sinkflow-grid-'));
  const layout = { rows: 2, columns: 2 };
  const liveness = { heartbeatIntervalMs: 200, workerTimeoutMs: 5000 };
  beforeAll(async () => {
    server = await startNatsServer({ binary });
    workers.push(
      ...(await Promise.all([1, 2, 3, 4].map(() => spawnWorkerProcess({ url: server.url })))),
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await server?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  const x = gaussianCloud(120, 4, 31);
  const y = gaussianCloud(100, 4, 32, 0.5);
  // Momentum off: a resumed run then repeats the uninterrupted iterations exactly.
  const options = {
    epsilon: relativeEpsilon(0.02),
    threshold: 1e-8,
    momentumStart: Number.POSITIVE_INFINITY,
    mode: 'online' as const,
  };

  it('equals the single-process solver, reports (a, b) per worker, samples as in process; a killed worker is named and the rerun resumes', async () => {
    const reference = await solveSinkhorn({ x, y, backend: createJsBackend(), ...options });
    expect(reference.iterations).toBeGreaterThan(200);
    const collective = await connectNatsCollective({
      servers: server.url,
      workers: 4,
      joinTimeoutMs: 10_000,
      ...liveness,
    });
    const backend = createShardedBackend({ collective, shardBackend: 'js', layout });
    const problem = await createSinkhornProblem({ x, y, mode: 'online', backend });

    // 1. The whole solve: f, g, E and costs of one process.
    const sharded = await problem.solve(options);
    expect(sharded.iterations).toBe(reference.iterations);
    expect(relativeDifference(sharded.f, reference.f)).toBeLessThan(1e-9);
    expect(relativeDifference(sharded.g, reference.g)).toBeLessThan(1e-9);
    for (const key of [
      'renormalizedEntropy',
      'entropy',
      'transportCost',
      'transportCostSqEuclidean',
      'regularizedCost',
    ] as const)
      expect(relativeDifference(sharded[key], reference[key], 1e-12), key).toBeLessThan(1e-9);
    // The marginal error (~1e-8 here) is a difference of O(1 / n) sums: equal in absolute terms.
    expect(Math.abs(sharded.marginalError - reference.marginalError)).toBeLessThan(1e-12);
    const report = backend.report();
    expect(report.layout).toEqual(layout);
    expect(
      report.workers.map((worker) => [
        worker.rowBlock,
        worker.columnBlock,
        worker.rowStart,
        worker.rowCount,
        worker.columnStart,
        worker.columnCount,
      ]),
    ).toEqual([
      [0, 0, 0, 60, 0, 50],
      [0, 1, 0, 60, 50, 50],
      [1, 0, 60, 60, 0, 50],
      [1, 1, 60, 60, 50, 50],
    ]);
    expect(new Set(report.workers.map((worker) => worker.id)).size).toBe(4);
    expect(report.workers.every((worker) => worker.requests > 0 && worker.bytesSent > 0)).toBe(
      true,
    );

    // 2. Two-stage sampling is keyed by integers only: the pairs of threads in this process.
    const pairs = await problem.samplePairs({ potentials: sharded, count: 2000, seed: 5 });
    const threads = await createInProcessCollective({ workers: 4 });
    try {
      const local = await createSinkhornProblem({
        x,
        y,
        mode: 'online',
        backend: createShardedBackend({ collective: threads, shardBackend: 'js', layout }),
      });
      const expected = await local.samplePairs({ potentials: sharded, count: 2000, seed: 5 });
      expect(Array.from(pairs.columns)).toEqual(Array.from(expected.columns));
      await local.dispose();
    } finally {
      await threads.close();
    }
    await problem.dispose();

    // 3. Kill worker (1, 1) mid-run: the error names it; a rerun with a new worker resumes.
    const victim = workers.find((worker) => worker.id === collective.members[3]!.id)!;
    const again = await createSinkhornProblem({ x, y, mode: 'online', backend });
    let killed = false;
    const failure = await solveWithCheckpoints({
      problem: again,
      checkpointDirectory: directory,
      checkpointEvery: 50,
      ...options,
      onProgress: ({ iteration }) => {
        if (iteration >= 120 && !killed) {
          victim.kill();
          killed = true;
        }
      },
    }).catch((error: unknown) => error);
    await collective.close();
    expect(WorkerLostError.isInstance(failure)).toBe(true);
    expect((failure as WorkerLostError).rank).toBe(3);
    expect((failure as WorkerLostError).message).toContain(victim.id);
    const saved = JSON.parse(readFileSync(join(directory, 'checkpoint.json'), 'utf8'));
    expect(saved.iteration).toBeGreaterThanOrEqual(100);

    workers.push(await spawnWorkerProcess({ url: server.url }));
    const rerun = await connectNatsCollective({ servers: server.url, workers: 4, ...liveness });
    try {
      const resumedProblem = await createSinkhornProblem({
        x,
        y,
        mode: 'online',
        backend: createShardedBackend({ collective: rerun, shardBackend: 'js', layout }),
      });
      const resumed = await solveWithCheckpoints({
        problem: resumedProblem,
        checkpointDirectory: directory,
        ...options,
      });
      await resumedProblem.dispose();
      expect(resumed.resumedFromIteration).toBe(saved.iteration);
      expect(resumed.iterations).toBe(reference.iterations);
      expect(relativeDifference(resumed.f, reference.f)).toBeLessThan(1e-9);
      expect(relativeDifference(resumed.g, reference.g)).toBeLessThan(1e-9);
      expect(relativeDifference(resumed.transportCost, reference.transportCost)).toBeLessThan(1e-9);
    } finally {
      await rerun.close();
    }
  }, 90_000);
});
