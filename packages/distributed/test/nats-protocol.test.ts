import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import { absoluteEpsilon } from '@sinkflow/entropy';
import { createJsBackend, solveSinkhorn } from '@sinkflow/ot';
import { connect, headers } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsCollective, createShardedBackend, WorkerJoinError } from '../src/index.js';
import {
  type NatsServerProcess,
  spawnWorkerProcess,
  startNatsServer,
  type WorkerProcess,
} from '../src/testing.js';
import { gaussianCloud, natsServerForTests, relativeDifference } from './helpers.js';

const binary = natsServerForTests();

const TOKEN = 'test-token-4b1d';

describe.skipIf(binary === undefined)('NATS protocol: auth, chunking, isolation', () => {
  let server: NatsServerProcess;
  const workers: WorkerProcess[] = [];
  const directory = mkdtempSync(join(tmpdir(), 'sinkflow-nats-'));
  beforeAll(async () => {
    // A 64 KiB payload limit (the default is 1 MiB) and token authentication.
    const config = join(directory, 'server.conf');
    writeFileSync(config, `max_payload: 65536\nauthorization { token: "${TOKEN}" }\n`);
    server = await startNatsServer({ binary, args: ['-c', config] });
    workers.push(
      ...(await Promise.all(
        [1, 2].map(() =>
          spawnWorkerProcess({ url: server.url, env: { SINKFLOW_NATS_TOKEN: TOKEN } }),
        ),
      )),
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await server?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('chunks vectors over max_payload and ignores messages of other runs', async () => {
    const x = gaussianCloud(64, 40, 3);
    const y = gaussianCloud(600, 40, 4); // Y is 96 KB of float32: two chunks or more
    const options = { epsilon: absoluteEpsilon(8), threshold: 1e-6, mode: 'online' as const };
    const reference = await solveSinkhorn({ x, y, backend: createJsBackend(), ...options });
    const collective = await connectNatsCollective({
      servers: server.url,
      workers: 2,
      security: { token: TOKEN },
    });
    const rogue = await connect({ servers: server.url, token: TOKEN });
    try {
      // Messages with another run id on this run's subjects, and junk on the join subject.
      const junk = () => {
        const h = headers();
        h.set('Sinkflow-Run', 'someotherrun');
        h.set('Sinkflow-Rank', '0');
        h.set('Sinkflow-Seq', '1');
        h.set('Sinkflow-Chunk', '0/1');
        return h;
      };
      const base = `sinkflow.run.${collective.runId}`;
      const noise = setInterval(() => {
        rogue.publish(`${base}.rank.0`, new Uint8Array(64), { headers: junk() });
        rogue.publish(`${base}.driver`, new Uint8Array(64), { headers: junk() });
        rogue.publish('sinkflow.join', new TextEncoder().encode('not json'));
      }, 5);
      const backend = createShardedBackend({ collective, shardBackend: 'js' });
      const sharded = await solveSinkhorn({ x, y, backend, ...options }).finally(() =>
        clearInterval(noise),
      );
      expect(relativeDifference(sharded.f, reference.f)).toBeLessThan(1e-9);
      expect(relativeDifference(sharded.transportCost, reference.transportCost)).toBeLessThan(1e-9);
      const report = backend.report();
      // The prepare request (X block and Y, > 96 KB) went out in several 60 KiB chunks.
      expect(report.workers[0]!.messages).toBeGreaterThan(2 * report.workers[0]!.requests);
    } finally {
      await rogue.close();
      await collective.close();
    }
  }, 60_000);

  it('refuses credentials on the command line and fails clearly without them or without workers', async () => {
    await expect(
      connectNatsCollective({ servers: `nats://${TOKEN}@127.0.0.1:${server.port}`, workers: 1 }),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(
      connectNatsCollective({ servers: server.url, workers: 1, security: {} }),
    ).rejects.toThrow(/authorization/i);
    const error = await connectNatsCollective({
      servers: server.url,
      workers: 3,
      security: { token: TOKEN },
      joinTimeoutMs: 1500,
    }).catch((caught: unknown) => caught);
    expect(WorkerJoinError.isInstance(error)).toBe(true);
    expect((error as WorkerJoinError).joined).toBe(2);
    // The two workers that joined were released and serve the next run.
    const collective = await connectNatsCollective({
      servers: server.url,
      workers: 2,
      security: { token: TOKEN },
      joinTimeoutMs: 10_000,
    });
    await collective.barrier();
    expect(collective.size).toBe(2);
    await collective.close();
  }, 30_000);
});
