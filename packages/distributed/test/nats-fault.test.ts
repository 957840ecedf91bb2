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
import { connectNatsCollective, createShardedBackend, WorkerLostError } from '../src/index.js';
import {
  type NatsServerProcess,
  spawnWorkerProcess,
  startNatsServer,
  type WorkerProcess,
} from '../src/testing.js';
import { gaussianCloud, natsServerForTests, relativeDifference } from './helpers.js';

const binary = natsServerForTests();

describe.skipIf(binary === undefined)('fault handling on NATS', () => {
  let server: NatsServerProcess;
  const workers: WorkerProcess[] = [];
  const directory = mkdtempSync(join(tmpdir(), 'sinkflow-checkpoint-'));
  const spawn = async () => {
    const worker = await spawnWorkerProcess({ url: server.url });
    workers.push(worker);
    return worker;
  };
  beforeAll(async () => {
    server = await startNatsServer({ binary });
  }, 30_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await server?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  const x = gaussianCloud(200, 4, 21);
  const y = gaussianCloud(180, 4, 22, 0.5);
  // Momentum off: a resumed run then repeats the uninterrupted iterations exactly.
  const options = {
    epsilon: relativeEpsilon(0.02),
    threshold: 1e-8,
    momentumStart: Number.POSITIVE_INFINITY,
  };
  // A killed worker is found by "no responders" (two 200 ms heartbeats), whatever the timeout;
  // the timeout is for workers that stop answering (generous: CI machines are busy).
  const liveness = { heartbeatIntervalMs: 200, workerTimeoutMs: 5000 };
  const stopped = { heartbeatIntervalMs: 200, workerTimeoutMs: 2000 };
  /** A fresh worker process, a collective of it alone and the sharded kernel of x and y on it. */
  const oneWorkerKernel = async (settings: typeof liveness) => {
    await spawn();
    const collective = await connectNatsCollective({
      servers: server.url,
      workers: 1,
      ...settings,
    });
    // Idle workers of an earlier test may be in the pool too: the one that joined is the victim.
    const worker = workers.find((candidate) => candidate.id === collective.members[0]!.id)!;
    const kernel = await createShardedBackend({ collective, shardBackend: 'js' }).prepare({
      x: x.data as Float32Array,
      y: y.data as Float32Array,
      n: 200,
      m: 180,
      d: 4,
      mode: 'online',
    });
    return { collective, worker, kernel };
  };
  /** One rows pass on the kernel; resolves to its error, if any. */
  const rowsPass = (kernel: Awaited<ReturnType<typeof oneWorkerKernel>>['kernel']) =>
    kernel
      .logSumExp({
        side: 'rows',
        offsets: new Float64Array(180),
        epsilon: 1,
        out: new Float64Array(200),
      })
      .catch((caught: unknown) => caught);

  it('a killed worker fails the run with an error naming it; a restarted run resumes from the checkpoint', async () => {
    const [first, second] = await Promise.all([spawn(), spawn()]);
    const reference = await solveSinkhorn({
      x,
      y,
      backend: createJsBackend(),
      mode: 'online',
      ...options,
    });
    expect(reference.iterations).toBeGreaterThan(400);

    const collective = await connectNatsCollective({
      servers: server.url,
      workers: 2,
      ...liveness,
    });
    const victim = [first!, second!].find((worker) => worker.id === collective.members[1]!.id)!;
    const problem = await createSinkhornProblem({
      x,
      y,
      mode: 'online',
      backend: createShardedBackend({ collective, shardBackend: 'js' }),
    });
    let killedAt = 0;
    const failure = await solveWithCheckpoints({
      problem,
      checkpointDirectory: directory,
      checkpointEvery: 100,
      ...options,
      onProgress: ({ iteration }) => {
        if (iteration >= 250 && killedAt === 0) {
          victim.kill();
          killedAt = performance.now();
        }
      },
    }).catch((error: unknown) => error);
    const detectedAfter = performance.now() - killedAt;
    await collective.close();
    expect(WorkerLostError.isInstance(failure)).toBe(true);
    const lost = failure as WorkerLostError;
    expect(lost.rank).toBe(1);
    expect(lost.workerId).toBe(victim.id);
    expect(lost.message).toContain(victim.id);
    expect(detectedAfter).toBeLessThan(liveness.workerTimeoutMs);
    const saved = JSON.parse(readFileSync(join(directory, 'checkpoint.json'), 'utf8'));
    expect(saved.iteration).toBeGreaterThanOrEqual(200);

    await spawn();
    const again = await connectNatsCollective({ servers: server.url, workers: 2, ...liveness });
    try {
      const resumedProblem = await createSinkhornProblem({
        x,
        y,
        mode: 'online',
        backend: createShardedBackend({ collective: again, shardBackend: 'js' }),
      });
      const resumed = await solveWithCheckpoints({
        problem: resumedProblem,
        checkpointDirectory: directory,
        ...options,
      });
      await resumedProblem.dispose();
      expect(resumed.resumedFromIteration).toBe(saved.iteration);
      expect(resumed.iterations).toBe(reference.iterations);
      expect(resumed.errors).toHaveLength(reference.errors.length);
      expect(relativeDifference(resumed.f, reference.f)).toBeLessThan(1e-9);
      expect(relativeDifference(resumed.g, reference.g)).toBeLessThan(1e-9);
      for (const key of ['renormalizedEntropy', 'transportCost', 'regularizedCost'] as const)
        expect(relativeDifference(resumed[key], reference[key], 1e-12), key).toBeLessThan(1e-9);
    } finally {
      await again.close();
    }
  }, 90_000);

  it('a worker killed while a liveness ping is out is found by "no responders", not after workerTimeoutMs', async () => {
    const { collective, worker, kernel } = await oneWorkerKernel(liveness);
    // Stopped first, so the heartbeat's ping (timeout workerTimeoutMs) is out and unanswered when
    // the process dies: that ping alone would report the loss only 5 s later.
    worker.child.kill('SIGSTOP');
    const pending = rowsPass(kernel);
    await new Promise((resolve) => setTimeout(resolve, 700));
    worker.child.kill('SIGKILL');
    const killedAt = performance.now();
    try {
      const error = await pending;
      const detectedAfter = performance.now() - killedAt;
      expect(WorkerLostError.isInstance(error)).toBe(true);
      expect((error as WorkerLostError).reason).toContain('no longer listens');
      expect(detectedAfter).toBeLessThan(liveness.workerTimeoutMs - 1000);
    } finally {
      await collective.close();
    }
  }, 30_000);

  it('a worker that stops answering (SIGSTOP) fails the run within workerTimeoutMs', async () => {
    const { collective, worker, kernel } = await oneWorkerKernel(stopped);
    worker.child.kill('SIGSTOP');
    const started = performance.now();
    try {
      const error = await rowsPass(kernel);
      const elapsed = performance.now() - started;
      expect(WorkerLostError.isInstance(error)).toBe(true);
      expect((error as WorkerLostError).message).toContain(worker.id);
      expect((error as WorkerLostError).reason).toContain('no liveness ping');
      expect(elapsed).toBeGreaterThanOrEqual(stopped.workerTimeoutMs - 500);
      expect(elapsed).toBeLessThan(stopped.workerTimeoutMs + 3000);
    } finally {
      worker.child.kill('SIGCONT');
      await collective.close();
    }
  }, 30_000);
});
