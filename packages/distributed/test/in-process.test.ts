import { relativeEpsilon } from '@sinkflow/entropy';
import { createJsBackend, createSinkhornProblem, solveSinkhorn } from '@sinkflow/ot';
import { backendConformanceCases } from '@sinkflow/ot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Collective,
  createInProcessCollective,
  createShardedBackend,
  WorkerLostError,
} from '../src/index.js';
import { BUILT_MESSAGE, gaussianCloud, isBuilt, relativeDifference } from './helpers.js';

if (!isBuilt()) throw new Error(BUILT_MESSAGE);

describe('sharded backend over worker threads', () => {
  const collectives = new Map<number, Collective>();
  beforeAll(async () => {
    for (const workers of [1, 2, 3])
      collectives.set(workers, await createInProcessCollective({ workers }));
  });
  afterAll(async () => {
    for (const collective of collectives.values()) await collective.close();
  });

  describe('passes the backend conformance suite (P = 3, js shards)', () => {
    for (const conformance of backendConformanceCases()) {
      it(conformance.name, async () => {
        const backend = createShardedBackend({
          collective: collectives.get(3)!,
          shardBackend: 'js',
        });
        await expect(conformance.run(backend)).resolves.toBeUndefined();
      });
    }
  });

  it.each([1, 2, 3])(
    'equals the single-process js solver at P = %i (f, g, E, costs to 1e-9)',
    async (workers) => {
      const x = gaussianCloud(61, 4, 1);
      const y = gaussianCloud(47, 4, 2, 0.5);
      const options = {
        epsilon: relativeEpsilon(0.05),
        threshold: 1e-6,
        cost: 'sqeuclidean' as const,
      };
      const reference = await solveSinkhorn({
        x,
        y,
        backend: createJsBackend(),
        mode: 'online',
        ...options,
      });
      const backend = createShardedBackend({
        collective: collectives.get(workers)!,
        shardBackend: 'js',
      });
      const sharded = await solveSinkhorn({ x, y, backend, mode: 'online', ...options });
      expect(sharded.iterations).toBe(reference.iterations);
      expect(relativeDifference(sharded.f, reference.f)).toBeLessThan(1e-9);
      expect(relativeDifference(sharded.g, reference.g)).toBeLessThan(1e-9);
      for (const key of [
        'renormalizedEntropy',
        'transportCost',
        'transportCostDot',
        'transportCostSqEuclidean',
        'regularizedCost',
        'entropy',
      ] as const)
        expect(relativeDifference(sharded[key], reference[key], 1e-12), key).toBeLessThan(1e-9);
      const report = backend.report();
      expect(report.workers).toHaveLength(workers);
      expect(report.workers.reduce((sum, worker) => sum + worker.rowCount, 0)).toBe(61);
      // Per iteration a columns and a rows pass, then the last check's columns pass and the statistics.
      expect(report.passes).toBe(2 * reference.iterations + 2);
      expect(report.bytesSent).toBeGreaterThan(0);
    },
  );

  it('samples the same pairs and projections as one process', async () => {
    const x = gaussianCloud(30, 3, 5);
    const y = gaussianCloud(20, 3, 6);
    const single = await createSinkhornProblem({ x, y, backend: createJsBackend() });
    const sharded = await createSinkhornProblem({
      x,
      y,
      backend: createShardedBackend({ collective: collectives.get(3)!, shardBackend: 'js' }),
    });
    const potentials = await single.solve({ epsilon: relativeEpsilon(0.1) });
    const a = await single.samplePairs({ potentials, count: 200, seed: 7 });
    const b = await sharded.samplePairs({ potentials, count: 200, seed: 7 });
    expect(Array.from(b.columns)).toEqual(Array.from(a.columns));
    expect(Array.from(b.rows)).toEqual(Array.from(a.rows));
    const projectionA = await single.barycentricProjection({ potentials });
    const projectionB = await sharded.barycentricProjection({ potentials });
    expect(relativeDifference(projectionB, projectionA)).toBeLessThan(1e-12);
    await single.dispose();
    await sharded.dispose();
  });

  it('names the worker whose thread died', async () => {
    // A thread program that dies on its first request (as a thread out of memory would).
    const collective = await createInProcessCollective({
      workers: 2,
      threadProgram: new URL('./fixtures/dying-thread.mjs', import.meta.url),
    });
    try {
      const error = await collective
        .broadcast({ header: { op: 'dispose' }, vectors: {} })
        .catch((caught: unknown) => caught);
      expect(WorkerLostError.isInstance(error)).toBe(true);
      expect((error as WorkerLostError).message).toMatch(
        /worker [01] \(thread-[01] on .*\) is lost: the shard thread exited with code 3/,
      );
    } finally {
      await collective.close();
    }
  });
});
