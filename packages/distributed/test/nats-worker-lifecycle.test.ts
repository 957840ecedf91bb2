import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectNatsCollective,
  createShardedBackend,
  WorkerFailedError,
  WorkerLostError,
} from '../src/index.js';
import {
  type NatsServerProcess,
  spawnWorkerProcess,
  startNatsServer,
  type WorkerProcess,
  workerProgramPath,
} from '../src/testing.js';
import { gaussianCloud, natsServerForTests } from './helpers.js';

const binary = natsServerForTests();
const hasProc = existsSync('/proc/self/status');

/** Resident memory of a process in bytes (Linux). */
function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? Number.NaN) * 1024;
}

const waitFor = async (condition: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
};

const exited = (worker: WorkerProcess) =>
  new Promise<void>((resolve) => {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) resolve();
    else worker.child.once('exit', () => resolve());
  });

describe.skipIf(binary === undefined)('NATS worker lifecycle: leases, SIGTERM, memory', () => {
  let server: NatsServerProcess;
  const workers: WorkerProcess[] = [];
  const spawn = async (...extra: string[]) => {
    const worker = await spawnWorkerProcess({
      url: server.url,
      command: [process.execPath, workerProgramPath(), '--nats', server.url, ...extra],
    });
    workers.push(worker);
    return worker;
  };
  beforeAll(async () => {
    server = await startNatsServer({ binary });
  }, 30_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await server?.stop();
  });

  it.skipIf(!hasProc)(
    'a worker whose lease expired leaves the run and frees its memory',
    async () => {
      const worker = await spawn('--lease-timeout', '800');
      const baseline = residentBytes(worker.pid);
      // (the first test: this worker is the only one in the pool)
      // A driver that goes silent after the prepare (no heartbeat for a minute).
      const collective = await connectNatsCollective({
        servers: server.url,
        workers: 1,
        heartbeatIntervalMs: 60_000,
        workerTimeoutMs: 60_000,
      });
      try {
        const backend = createShardedBackend({ collective, shardBackend: 'js' });
        // A dense 3000 x 3000 float64 kernel: 72 MB on the worker.
        const n = 3000;
        await backend.prepare({
          x: gaussianCloud(n, 2, 1).data as Float32Array,
          y: gaussianCloud(n, 2, 2).data as Float32Array,
          n,
          m: n,
          d: 2,
          mode: 'dense',
        });
        const peak = residentBytes(worker.pid);
        expect(peak - baseline).toBeGreaterThan(60e6);
        expect(await waitFor(() => worker.log().includes('"type":"left"'), 10_000)).toBe(true);
        expect(worker.log()).toMatch(/"reason":"[^"]*(lease|no message from the driver)/);
        // The memory goes back to (about) what the idle worker held.
        const freed = await waitFor(
          () => residentBytes(worker.pid) < baseline + (peak - baseline) / 3,
          5000,
        );
        expect(freed, `RSS ${baseline} -> ${peak} -> ${residentBytes(worker.pid)}`).toBe(true);
      } finally {
        await collective.close();
      }
    },
    60_000,
  );

  it('SIGTERM stops a worker at once, even in the middle of a long pass', async () => {
    // Only a worker with the default lease in the pool (the previous one drops runs after 800 ms).
    await Promise.all(workers.map((other) => other.stop()));
    const n = 6000;
    const d = 256;
    const x = gaussianCloud(n, d, 3).data as Float32Array;
    const y = gaussianCloud(n, d, 4).data as Float32Array;
    await spawn();
    const collective = await connectNatsCollective({
      servers: server.url,
      workers: 1,
      heartbeatIntervalMs: 200,
      workerTimeoutMs: 60_000,
    });
    const worker = workers.find((candidate) => candidate.id === collective.members[0]!.id)!;
    try {
      const backend = createShardedBackend({ collective, shardBackend: 'js' });
      // An online pass over 6000 x 6000 pairs in d = 256 (several seconds of js on one core).
      const kernel = await backend.prepare({
        x,
        y,
        n,
        m: n,
        d,
        mode: 'online',
      });
      const pass = kernel
        .logSumExp({
          side: 'rows',
          offsets: new Float64Array(n),
          epsilon: 1,
          out: new Float64Array(n),
        })
        .then(
          () => 'finished',
          (error: unknown) => error,
        );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const started = performance.now();
      worker.child.kill('SIGTERM');
      await exited(worker);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeLessThan(3000);
      // The pass was still running: the driver learns that the worker is gone.
      const outcome = await pass;
      expect(WorkerLostError.isInstance(outcome), String(outcome)).toBe(true);
    } finally {
      await collective.close();
    }
  }, 90_000);

  it('SIGTERM stops a worker whose NATS server went away', async () => {
    const own = await startNatsServer({ binary });
    const worker = await spawnWorkerProcess({ url: own.url });
    workers.push(worker);
    await own.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    worker.child.kill('SIGTERM');
    await exited(worker);
    expect(performance.now() - started).toBeLessThan(3000);
  }, 30_000);

  it('a worker refuses a block larger than its memory ceiling (--memory-limit)', async () => {
    // Only this worker in the pool.
    await Promise.all(workers.map((other) => other.stop()));
    const worker = await spawn('--memory-limit', '1');
    const collective = await connectNatsCollective({ servers: server.url, workers: 1 });
    try {
      expect(collective.members[0]!.id).toBe(worker.id);
      const backend = createShardedBackend({ collective, shardBackend: 'js' });
      // 1000 x 1000 points in d = 200: 1.6 MB of float32 for x and y, over the 1 MiB ceiling.
      const n = 1000;
      const d = 200;
      const error = await backend
        .prepare({
          x: gaussianCloud(n, d, 5).data as Float32Array,
          y: gaussianCloud(n, d, 6).data as Float32Array,
          n,
          m: n,
          d,
          mode: 'online',
        })
        .catch((caught: unknown) => caught);
      expect(WorkerFailedError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/memory/);
      expect((error as Error).message).toMatch(/1 MiB|1048576/);
    } finally {
      await collective.close();
    }
  }, 30_000);
});
