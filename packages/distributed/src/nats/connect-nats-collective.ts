import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, requireInteger } from '@sinkflow/core';
import { connect } from 'nats';
import type { Collective } from '../collective/collective.js';
import { createCollective } from '../internal/create-collective.js';
import { natsSubjects } from '../internal/nats-subjects.js';
import { type NatsSecurity, natsConnectOptions, readNatsSecurity } from './nats-security.js';
import { NatsTransport } from './nats-transport.js';
import { type RecruitedWorker, recruitWorkers } from './recruit-workers.js';

/** Options of {@link connectNatsCollective}. */
export interface NatsCollectiveOptions {
  /** NATS server URL(s), e.g. `nats://10.0.0.5:4222` (no credentials in it). */
  readonly servers: string | readonly string[];
  /** P, the number of workers to recruit. */
  readonly workers: number;
  /** Credentials and TLS. @default readNatsSecurity() (environment variables) */
  readonly security?: NatsSecurity;
  /** The subject prefix shared with the workers. @default 'sinkflow' */
  readonly subjectPrefix?: string;
  /** How long to wait for P idle workers. @default 30000 */
  readonly joinTimeoutMs?: number;
  /** How often the driver pings every worker. @default 1000 */
  readonly heartbeatIntervalMs?: number;
  /** A worker that answers no ping for this long is lost. @default 10000 */
  readonly workerTimeoutMs?: number;
}

/**
 * Recruits P idle workers (started anywhere with `sinkflow worker --nats URL` or
 * {@link startNatsWorker}) through a NATS server and returns the {@link Collective} of the run.
 *
 * Protocol (v1) on core NATS [nats2024]: idle workers listen on `PREFIX.join` in a queue group,
 * so each join request reaches exactly one of them; the driver asks once per rank with a fresh
 * random run id and the worker leaves the group while it serves the run. Requests go to `PREFIX.run.RUN.rank.R`,
 * replies come back on `PREFIX.run.RUN.driver`; frames larger than the server's `max_payload`
 * (1 MiB by default) are cut into chunks and reassembled. Every message carries the run id and
 * is ignored by anyone not in that run. Every `heartbeatIntervalMs` the driver pings each worker
 * (`PREFIX.run.RUN.rank.R.control`): a worker whose subscription vanished (process killed, NATS
 * reports no responders twice in a row) or that answers no ping for `workerTimeoutMs` makes the
 * pending and all later operations reject with a {@link WorkerLostError} naming it. Workers drop
 * a run whose driver went silent (their lease) and rejoin the pool.
 *
 * @throws {@link WorkerJoinError} when fewer than P workers joined within `joinTimeoutMs`.
 * @example
 * ```ts
 * const collective = await connectNatsCollective({ servers: 'nats://10.0.0.5:4222', workers: 4 });
 * try {
 *   const solution = await solveSinkhorn({ x, y, backend: createShardedBackend({ collective }) });
 * } finally {
 *   await collective.close();
 * }
 * ```
 */
export async function connectNatsCollective(options: NatsCollectiveOptions): Promise<Collective> {
  const functionName = 'connectNatsCollective';
  const {
    servers,
    workers,
    security = readNatsSecurity(),
    subjectPrefix = 'sinkflow',
    joinTimeoutMs = 30_000,
    heartbeatIntervalMs = 1000,
    workerTimeoutMs = 10_000,
  } = options;
  requireInteger(workers, { functionName, argumentName: 'workers', minimum: 1 });
  requireInteger(joinTimeoutMs, { functionName, argumentName: 'joinTimeoutMs', minimum: 1 });
  requireInteger(heartbeatIntervalMs, {
    functionName,
    argumentName: 'heartbeatIntervalMs',
    minimum: 10,
  });
  requireInteger(workerTimeoutMs, {
    functionName,
    argumentName: 'workerTimeoutMs',
    minimum: heartbeatIntervalMs,
  });
  checkSubjectPrefix(subjectPrefix, functionName);
  const { serverList, options: connectOptions } = natsConnectOptions(
    servers,
    security,
    functionName,
  );
  const connection = await connect({ ...connectOptions, name: 'sinkflow-driver' });
  const runId = randomBytes(12).toString('hex');
  const subjects = natsSubjects(subjectPrefix, runId);
  let members: RecruitedWorker[];
  try {
    members = await recruitWorkers(connection, {
      subjectPrefix,
      runId,
      workers,
      joinTimeoutMs,
      serverList,
    });
  } catch (error) {
    await connection.close();
    throw error;
  }
  return createCollective(
    new NatsTransport(connection, subjects, runId, members, heartbeatIntervalMs, workerTimeoutMs),
  );
}

function checkSubjectPrefix(prefix: string, functionName: string): void {
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'subjectPrefix',
      message: 'must be dot-separated tokens of letters, digits, _ and - (no wildcards)',
      value: prefix,
    });
  }
}
