import { absoluteEpsilon } from '@sinkflow/entropy';
import { createJsBackend, solveSinkhorn } from '@sinkflow/ot';
import type { Msg } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsCollective, createShardedBackend } from '../src/index.js';
import { decodeFrame } from '../src/internal/frame-codec.js';
import {
  type NatsServerProcess,
  spawnWorkerProcess,
  startNatsServer,
  type WorkerProcess,
} from '../src/testing.js';
import { gaussianCloud, natsServerForTests, relativeDifference } from './helpers.js';
import { chunkHeaders, forgedReply, startRogue } from './rogue-client.js';

const binary = natsServerForTests();
const TOKEN = 'shared-cluster-token-77c2';

/**
 * One shared token, as in the simplest deployment: every client below holds it. The run must
 * still be private to its driver and recruited workers, and its numbers theirs.
 */
describe.skipIf(binary === undefined)('NATS: a token holder outside the run', () => {
  let server: NatsServerProcess;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    server = await startNatsServer({ binary, args: ['--auth', TOKEN] });
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
  });

  const n = 64;
  const m = 48;
  const x = gaussianCloud(n, 4, 31);
  const y = gaussianCloud(m, 4, 32, 0.3);
  const options = { epsilon: absoluteEpsilon(0.5), threshold: 1e-7, mode: 'online' as const };
  const shape = { rowCount: n / 2, m };
  let reference: Awaited<ReturnType<typeof solveSinkhorn>>;
  beforeAll(async () => {
    reference = await solveSinkhorn({ x, y, backend: createJsBackend(), ...options });
  });

  const shardedSolve = async () => {
    const collective = await connectNatsCollective({
      servers: server.url,
      workers: 2,
      security: { token: TOKEN },
    });
    try {
      const backend = createShardedBackend({ collective, shardBackend: 'js' });
      return await solveSinkhorn({ x, y, backend, ...options });
    } finally {
      await collective.close();
    }
  };
  const expectReference = (solution: Awaited<ReturnType<typeof solveSinkhorn>>) => {
    expect(relativeDifference(solution.f, reference.f)).toBeLessThan(1e-9);
    expect(relativeDifference(solution.transportCost, reference.transportCost)).toBeLessThan(1e-9);
    expect(solution.converged).toBe(true);
  };

  it('an eavesdropper on ">" never sees the rows of x or y', async () => {
    const spy = await startRogue(server.url, { token: TOKEN }, () => {});
    const payloads: Buffer[] = [];
    spy.connection.subscribe('>', {
      callback: (error, message: Msg) => {
        if (error === null) payloads.push(Buffer.from(message.data));
      },
    });
    await spy.connection.flush();
    try {
      expectReference(await shardedSolve());
    } finally {
      await spy.close();
    }
    // The spy saw the run's traffic (requests and replies)...
    expect(payloads.length).toBeGreaterThan(20);
    // ...but could read none of it: no message is a frame holding the points of x or y.
    const readable = payloads.filter((payload) => {
      try {
        const frame = decodeFrame<{ op?: string }>(new Uint8Array(payload));
        return frame.vectors.x !== undefined || frame.vectors.y !== undefined;
      } catch {
        return false;
      }
    });
    expect(readable).toHaveLength(0);
  }, 60_000);

  it('forged worker replies are rejected: the run reports the true cost', async () => {
    let forged = 0;
    const rogue = await startRogue(server.url, { token: TOKEN }, (seen, connection) => {
      const subject = seen.subject.replace(/\.rank\.\d+$/, '.driver');
      connection.publish(subject, forgedReply(seen, shape, -7), {
        headers: chunkHeaders(seen.runId, seen.rank, seen.sequence, '0/1'),
      });
      forged += 1;
    });
    try {
      expectReference(await shardedSolve());
    } finally {
      await rogue.close();
    }
    expect(forged).toBeGreaterThan(10);
  }, 60_000);

  it('an oversized chunk header does not make the driver allocate', async () => {
    let sent = 0;
    const rogue = await startRogue(server.url, { token: TOKEN }, (seen, connection) => {
      if (sent >= 3) return;
      sent += 1;
      // "Chunk 0 of 15 million" for a message the driver waits for: 15e6 slots (120 MB) before the fix.
      const subject = seen.subject.replace(/\.rank\.\d+$/, '.driver');
      connection.publish(subject, new Uint8Array(16), {
        headers: chunkHeaders(seen.runId, seen.rank, seen.sequence, '0/15000000'),
      });
    });
    const before = process.memoryUsage().heapUsed;
    let after = before;
    try {
      const collective = await connectNatsCollective({
        servers: server.url,
        workers: 2,
        security: { token: TOKEN },
      });
      try {
        const backend = createShardedBackend({ collective, shardBackend: 'js' });
        expectReference(await solveSinkhorn({ x, y, backend, ...options }));
        after = process.memoryUsage().heapUsed;
      } finally {
        await collective.close();
      }
    } finally {
      await rogue.close();
    }
    expect(sent).toBe(3);
    expect(after - before).toBeLessThan(60e6);
  }, 60_000);

  it('a foreign driver cannot dispose of, or dismiss, the workers of a run', async () => {
    let requests = 0;
    let attacked = false;
    const rogue = await startRogue(server.url, { token: TOKEN }, (seen, connection) => {
      requests += 1;
      // After the prepare and a few passes: tell rank 0 to drop its kernel and to leave.
      if (attacked || requests < 6) return;
      attacked = true;
      const dispose = new Uint8Array(
        Buffer.from(
          // A well-formed dispose request of protocol v1 (what the old workers obeyed).
          JSON.stringify({ h: { op: 'dispose' }, v: [] }),
        ),
      );
      const frame = new Uint8Array(8 + ((dispose.length + 7) & ~7));
      new DataView(frame.buffer).setUint32(0, 0x31464b53, true);
      new DataView(frame.buffer).setUint32(4, dispose.length, true);
      frame.set(dispose, 8);
      const base = seen.subject.replace(/\.rank\.\d+$/, '');
      connection.publish(`${base}.rank.0`, frame, {
        headers: chunkHeaders(seen.runId, 0, seen.sequence + 1000, '0/1'),
      });
      connection.publish(`${base}.rank.1.control`, new TextEncoder().encode('leave'));
    });
    try {
      expectReference(await shardedSolve());
    } finally {
      await rogue.close();
    }
    expect(attacked).toBe(true);
  }, 60_000);
});
