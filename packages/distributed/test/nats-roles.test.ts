import { absoluteEpsilon } from '@sinkflow/entropy';
import { createJsBackend, solveSinkhorn } from '@sinkflow/ot';
import { connect, type NatsConnection, type NatsError } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsCollective, createShardedBackend } from '../src/index.js';
import {
  type NatsServerProcess,
  natsRolesConfigPath,
  spawnWorkerProcess,
  startNatsServer,
  type WorkerProcess,
} from '../src/testing.js';
import { gaussianCloud, natsServerForTests, relativeDifference } from './helpers.js';

const binary = natsServerForTests();
const DRIVER = { user: 'driver', pass: 'driver-secret-1c9e' };
const WORKER = { user: 'worker', pass: 'worker-secret-5d2a' };

/** The permission errors the server reported to a connection (operation and subject). */
function permissionErrors(connection: NatsConnection): string[] {
  const seen: string[] = [];
  void (async () => {
    for await (const status of connection.status()) {
      const context = (status as { permissionContext?: { operation: string; subject: string } })
        .permissionContext;
      if (context !== undefined) seen.push(`${context.operation} ${context.subject}`);
    }
  })();
  return seen;
}

/** Subscribes and collects what arrives, and whether the server refused the subscription. */
function listen(connection: NatsConnection, subject: string, queue?: string) {
  const received: string[] = [];
  const state = { refused: false };
  connection.subscribe(subject, {
    ...(queue === undefined ? {} : { queue }),
    callback: (error: NatsError | null, message) => {
      if (error !== null) state.refused = /permissions violation/i.test(error.message);
      else received.push(message.subject);
    },
  });
  return { received, state };
}

describe.skipIf(binary === undefined)('NATS roles: the shipped nats-server configuration', () => {
  let server: NatsServerProcess;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    server = await startNatsServer({
      binary,
      args: ['-c', natsRolesConfigPath()],
      env: { SINKFLOW_DRIVER_PASSWORD: DRIVER.pass, SINKFLOW_WORKER_PASSWORD: WORKER.pass },
    });
    const env = { SINKFLOW_NATS_USER: WORKER.user, SINKFLOW_NATS_PASSWORD: WORKER.pass };
    workers.push(
      ...(await Promise.all([1, 2].map(() => spawnWorkerProcess({ url: server.url, env })))),
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await server?.stop();
  });

  it('a driver and workers with their own users solve; neither role can read or forge the other side', async () => {
    const x = gaussianCloud(40, 3, 11);
    const y = gaussianCloud(30, 3, 12, 0.4);
    const options = { epsilon: absoluteEpsilon(0.5), threshold: 1e-7, mode: 'online' as const };
    const reference = await solveSinkhorn({ x, y, backend: createJsBackend(), ...options });

    // A stolen worker credential: everything but its own subjects is refused.
    const asWorker = await connect({ servers: server.url, ...WORKER });
    const workerErrors = permissionErrors(asWorker);
    const workerAll = listen(asWorker, '>');
    const workerReplies = listen(asWorker, 'sinkflow.run.*.driver');
    const workerJoins = listen(asWorker, 'sinkflow.join'); // outside the queue group
    const workerInbox = listen(asWorker, '_INBOX.>');
    // A stolen driver credential: it cannot read the workers' requests (x and y) or joins.
    const asDriver = await connect({ servers: server.url, ...DRIVER });
    const driverErrors = permissionErrors(asDriver);
    const driverRequests = listen(asDriver, 'sinkflow.run.*.rank.*');
    const driverAll = listen(asDriver, 'sinkflow.>');
    const driverJoins = listen(asDriver, 'sinkflow.join', 'sinkflow.workers');
    await Promise.all([asWorker.flush(), asDriver.flush()]);

    const collective = await connectNatsCollective({
      servers: server.url,
      workers: 2,
      security: { user: DRIVER.user, password: DRIVER.pass },
    });
    let solution: Awaited<ReturnType<typeof solveSinkhorn>>;
    try {
      // Forgeries with the wrong role: requests from a worker credential, replies from a driver's.
      const base = `sinkflow.run.${collective.runId}`;
      asWorker.publish(`${base}.rank.0`, new Uint8Array(8));
      asWorker.publish('sinkflow.join', new Uint8Array(8));
      asDriver.publish(`${base}.driver`, new Uint8Array(8));
      const backend = createShardedBackend({ collective, shardBackend: 'js' });
      solution = await solveSinkhorn({ x, y, backend, ...options });
    } finally {
      await collective.close();
    }
    await Promise.all([asWorker.flush(), asDriver.flush()]);
    await asWorker.close();
    await asDriver.close();

    expect(relativeDifference(solution.f, reference.f)).toBeLessThan(1e-9);
    expect(relativeDifference(solution.transportCost, reference.transportCost)).toBeLessThan(1e-9);
    for (const spy of [workerAll, workerReplies, workerJoins, workerInbox]) {
      expect(spy.state.refused).toBe(true);
      expect(spy.received).toHaveLength(0);
    }
    for (const spy of [driverRequests, driverAll, driverJoins]) {
      expect(spy.state.refused).toBe(true);
      expect(spy.received).toHaveLength(0);
    }
    expect(workerErrors).toEqual(
      expect.arrayContaining([
        'subscription >',
        `publish sinkflow.run.${collective.runId}.rank.0`,
        'publish sinkflow.join',
      ]),
    );
    expect(driverErrors).toEqual(
      expect.arrayContaining([
        'subscription sinkflow.run.*.rank.*',
        `publish sinkflow.run.${collective.runId}.driver`,
      ]),
    );
  }, 60_000);

  it('a worker started with the driver credential fails instead of waiting forever', async () => {
    const error = await spawnWorkerProcess({
      url: server.url,
      env: { SINKFLOW_NATS_USER: DRIVER.user, SINKFLOW_NATS_PASSWORD: DRIVER.pass },
      timeoutMs: 10_000,
    }).then(
      async (worker) => {
        workers.push(worker);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return worker.child.exitCode === null ? undefined : new Error(worker.log());
      },
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/permission/i);
  }, 30_000);
});
