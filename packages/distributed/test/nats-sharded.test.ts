import { relativeEpsilon } from '@sinkflow/entropy';
import { createJsBackend, solveSinkhorn } from '@sinkflow/ot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsCollective, createShardedBackend } from '../src/index.js';
import {
  type NatsServerProcess,
  spawnWorkerProcess,
  startNatsServer,
  type WorkerProcess,
} from '../src/testing.js';
import { gaussianCloud, natsServerForTests, relativeDifference } from './helpers.js';

const binary = natsServerForTests();

describe.skipIf(binary === undefined)('sharded Sinkhorn on NATS with worker processes', () => {
  let server: NatsServerProcess;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    server = await startNatsServer({ binary });
    workers.push(
      ...(await Promise.all([1, 2, 3].map(() => spawnWorkerProcess({ url: server.url })))),
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await server?.stop();
  });

  const x = gaussianCloud(90, 5, 11);
  const y = gaussianCloud(70, 5, 12, 0.3);
  const options = { epsilon: relativeEpsilon(0.05), threshold: 1e-6, mode: 'online' as const };

  it.each([1, 2, 3])(
    'equals the single-process js solver at P = %i (f, g, E, costs to 1e-9)',
    async (size) => {
      const reference = await solveSinkhorn({ x, y, backend: createJsBackend(), ...options });
      const collective = await connectNatsCollective({
        servers: server.url,
        workers: size,
        joinTimeoutMs: 10_000,
      });
      try {
        const backend = createShardedBackend({ collective, shardBackend: 'js' });
        const sharded = await solveSinkhorn({ x, y, backend, ...options });
        expect(sharded.converged).toBe(true);
        expect(sharded.iterations).toBe(reference.iterations);
        expect(relativeDifference(sharded.f, reference.f)).toBeLessThan(1e-9);
        expect(relativeDifference(sharded.g, reference.g)).toBeLessThan(1e-9);
        for (const key of [
          'renormalizedEntropy',
          'entropy',
          'transportCost',
          'transportCostSqEuclidean',
          'transportCostDot',
          'regularizedCost',
          'marginalError',
        ] as const) {
          expect(relativeDifference(sharded[key], reference[key], 1e-12), key).toBeLessThan(1e-9);
        }
        const report = backend.report();
        expect(new Set(report.workers.map((worker) => worker.id)).size).toBe(size);
        expect(report.workers.every((worker) => worker.requests > 0 && worker.bytesSent > 0)).toBe(
          true,
        );
        expect(report.communicationShare).toBeGreaterThanOrEqual(0);
        expect(report.communicationShare).toBeLessThanOrEqual(1);
      } finally {
        await collective.close();
      }
    },
    60_000,
  );

  it('matches the single-process wasm solver (float32 kernels) at P = 2', async () => {
    const { createWasmBackend } = await import('@sinkflow/ot');
    const reference = await solveSinkhorn({
      x,
      y,
      backend: createWasmBackend({ threads: 1 }),
      ...options,
      threshold: 1e-4,
    });
    const collective = await connectNatsCollective({ servers: server.url, workers: 2 });
    try {
      const backend = createShardedBackend({
        collective,
        shardBackend: 'wasm',
        threadsPerShard: 1,
      });
      const sharded = await solveSinkhorn({ x, y, backend, ...options, threshold: 1e-4 });
      expect(relativeDifference(sharded.f, reference.f, 1)).toBeLessThan(1e-5);
      expect(
        relativeDifference(sharded.renormalizedEntropy, reference.renormalizedEntropy),
      ).toBeLessThan(1e-5);
      expect(relativeDifference(sharded.transportCost, reference.transportCost)).toBeLessThan(1e-5);
    } finally {
      await collective.close();
    }
  }, 60_000);
});
