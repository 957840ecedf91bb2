import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, requireInteger } from '@sinkflow/core';
import { connect, ErrorCode, Events, type NatsConnection, type NatsError } from 'nats';
import type { Collective, CollectiveMember } from '../collective/collective.js';
import { PROTOCOL_VERSION, type ShardReply } from '../collective/shard-protocol.js';
import { WorkerJoinError } from '../errors/worker-join-error.js';
import { WorkerLostError } from '../errors/worker-lost-error.js';
import { ChunkAssembler } from '../internal/chunking.js';
import { createCollective } from '../internal/create-collective.js';
import { decodeFrame, encodeFrame } from '../internal/frame-codec.js';
import {
  joinSubjects,
  natsSubjects,
  publishChunked,
  readChunkHeaders,
} from '../internal/nats-subjects.js';
import {
  checkServerUrl,
  type NatsSecurity,
  natsConnectionSecurity,
  readNatsSecurity,
} from './nats-security.js';

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
  const serverList = (typeof servers === 'string' ? [servers] : [...servers]).map((url) =>
    checkServerUrl(url, functionName, 'servers'),
  );
  const connection = await connect({
    servers: serverList,
    name: 'sinkflow-driver',
    ...natsConnectionSecurity(security),
  });
  const runId = randomBytes(12).toString('hex');
  const subjects = natsSubjects(subjectPrefix, runId);
  let members: CollectiveMember[];
  try {
    members = await recruit(connection, {
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

async function recruit(
  connection: NatsConnection,
  {
    subjectPrefix,
    runId,
    workers,
    joinTimeoutMs,
    serverList,
  }: {
    subjectPrefix: string;
    runId: string;
    workers: number;
    joinTimeoutMs: number;
    serverList: readonly string[];
  },
): Promise<CollectiveMember[]> {
  const { subject } = joinSubjects(subjectPrefix);
  const deadline = Date.now() + joinTimeoutMs;
  const members: CollectiveMember[] = [];
  const body = (rank: number) =>
    new TextEncoder().encode(
      JSON.stringify({ protocol: PROTOCOL_VERSION, runId, rank, size: workers }),
    );
  while (members.length < workers) {
    const left = deadline - Date.now();
    if (left <= 0) {
      const subjects = natsSubjects(subjectPrefix, runId);
      for (const member of members) await leave(connection, subjects.control(member.rank));
      throw new WorkerJoinError({
        requested: workers,
        joined: members.length,
        message: `only ${members.length} of ${workers} workers joined run ${runId} on ${serverList.join(', ')} within ${joinTimeoutMs} ms: start more with \`sinkflow worker --nats URL\` (same subject prefix '${subjectPrefix}')`,
      });
    }
    const rank = members.length;
    try {
      const reply = await connection.request(subject, body(rank), {
        timeout: Math.min(left, 2000),
      });
      const answer = JSON.parse(new TextDecoder().decode(reply.data)) as {
        accepted: boolean;
        id?: string;
        host?: string;
      };
      if (answer.accepted && typeof answer.id === 'string')
        members.push({ rank, id: answer.id, host: answer.host ?? 'unknown' });
    } catch {
      // No idle worker yet (no responders) or a slow one: try again until the deadline.
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, Math.max(0, left))));
    }
  }
  return members;
}

async function leave(connection: NatsConnection, subject: string): Promise<void> {
  try {
    await connection.request(subject, new TextEncoder().encode('leave'), { timeout: 2000 });
  } catch {
    // A worker that does not answer drops the run when its lease expires.
  }
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

type Subjects = ReturnType<typeof natsSubjects>;

interface Pending {
  readonly rank: number;
  readonly chunksSent: number;
  readonly bytesSent: number;
  resolve(value: {
    reply: ShardReply;
    messages: number;
    bytesSent: number;
    bytesReceived: number;
  }): void;
  reject(error: Error): void;
}

/** The driver's side of the NATS protocol: chunked requests, reassembled replies, liveness. */
class NatsTransport {
  readonly kind = 'nats';
  private readonly pending = new Map<string, Pending>();
  private readonly assembler = new ChunkAssembler();
  private readonly chunksReceived = new Map<string, number>();
  private readonly lastSeen: number[];
  private readonly noResponders: number[];
  private readonly pinging: boolean[];
  private readonly timer: ReturnType<typeof setInterval>;
  private sequence = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(
    private readonly connection: NatsConnection,
    private readonly subjects: Subjects,
    readonly runId: string,
    readonly members: readonly CollectiveMember[],
    private readonly heartbeatIntervalMs: number,
    private readonly workerTimeoutMs: number,
  ) {
    this.lastSeen = members.map(() => Date.now());
    this.noResponders = members.map(() => 0);
    this.pinging = members.map(() => false);
    connection.subscribe(subjects.driver, {
      callback: (error, message) => {
        if (error !== null) this.fail(error);
        else this.receive(message.headers, message.data);
      },
    });
    this.timer = setInterval(() => this.heartbeat(), heartbeatIntervalMs);
    this.timer.unref();
    void this.watchStatus();
    connection.closed().then((error) => {
      if (!this.closed)
        this.fail(new Error(`the NATS connection closed${error ? `: ${error.message}` : ''}`));
    });
  }

  send(rank: number, request: Parameters<typeof encodeFrame>[0]) {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const sequence = ++this.sequence;
    const frame = encodeFrame(request);
    return new Promise<{
      reply: ShardReply;
      messages: number;
      bytesSent: number;
      bytesReceived: number;
    }>((resolve, reject) => {
      const chunksSent = publishChunked(this.connection, this.subjects.rank(rank), frame, {
        runId: this.runId,
        rank,
        sequence,
      });
      this.pending.set(`${rank}:${sequence}`, {
        rank,
        chunksSent,
        bytesSent: frame.byteLength,
        resolve,
        reject,
      });
    });
  }

  async ping(rank: number): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    try {
      await this.connection.request(this.subjects.control(rank), new TextEncoder().encode('ping'), {
        timeout: this.workerTimeoutMs,
      });
      this.lastSeen[rank] = Date.now();
    } catch (error) {
      throw this.lost(rank, describePingFailure(error as NatsError, this.workerTimeoutMs), error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    if (this.failure === undefined) this.fail(new Error('the collective was closed'));
    await Promise.all(
      this.members.map((member) => leave(this.connection, this.subjects.control(member.rank))),
    );
    await this.connection.close();
  }

  /** A disconnect may lose messages of a pass (NATS core is at-most-once): fail the run. */
  private async watchStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (this.closed) return;
      if (status.type === Events.Disconnect) {
        this.fail(
          new Error(
            "the driver's NATS connection was interrupted: messages of the run may be lost; run again to resume from the last checkpoint",
          ),
        );
      }
    }
  }

  private receive(h: Parameters<typeof readChunkHeaders>[0], data: Uint8Array): void {
    const meta = readChunkHeaders(h);
    // Messages of other runs (or malformed ones) are ignored.
    if (meta === undefined || meta.runId !== this.runId) return;
    const key = `${meta.rank}:${meta.sequence}`;
    const entry = this.pending.get(key);
    if (entry === undefined) return;
    this.lastSeen[meta.rank] = Date.now();
    this.chunksReceived.set(key, (this.chunksReceived.get(key) ?? 0) + 1);
    let frame: Uint8Array | undefined;
    try {
      frame = this.assembler.add(key, meta.index, meta.count, data);
    } catch (error) {
      entry.reject(error as Error);
      return;
    }
    if (frame === undefined) return;
    this.pending.delete(key);
    const chunks = this.chunksReceived.get(key) ?? 1;
    this.chunksReceived.delete(key);
    try {
      const reply = decodeFrame<ShardReply['header']>(frame);
      entry.resolve({
        reply,
        messages: entry.chunksSent + chunks,
        bytesSent: entry.bytesSent,
        bytesReceived: frame.byteLength,
      });
    } catch (error) {
      entry.reject(error as Error);
    }
  }

  private heartbeat(): void {
    if (this.failure !== undefined || this.closed) return;
    this.members.forEach((_, rank) => {
      if (this.pinging[rank]) {
        if (Date.now() - this.lastSeen[rank]! > this.workerTimeoutMs)
          this.fail(this.lost(rank, `it answered no liveness ping for ${this.workerTimeoutMs} ms`));
        return;
      }
      this.pinging[rank] = true;
      this.connection
        .request(this.subjects.control(rank), new TextEncoder().encode('ping'), {
          timeout: Math.max(this.heartbeatIntervalMs, this.workerTimeoutMs),
        })
        .then(
          () => {
            this.lastSeen[rank] = Date.now();
            this.noResponders[rank] = 0;
          },
          (error: NatsError) => {
            if (error.code === ErrorCode.NoResponders) {
              this.noResponders[rank] = this.noResponders[rank]! + 1;
              // Twice in a row: not a reconnect in progress, the worker is gone.
              if (this.noResponders[rank]! >= 2) {
                this.fail(
                  this.lost(
                    rank,
                    'it no longer listens on its run (the process exited or lost its NATS connection)',
                    error,
                  ),
                );
              }
            } else if (Date.now() - this.lastSeen[rank]! > this.workerTimeoutMs) {
              this.fail(
                this.lost(
                  rank,
                  `it answered no liveness ping for ${this.workerTimeoutMs} ms`,
                  error,
                ),
              );
            }
          },
        )
        .finally(() => {
          this.pinging[rank] = false;
        });
    });
  }

  private lost(rank: number, reason: string, cause?: unknown): WorkerLostError {
    const member = this.members[rank]!;
    return new WorkerLostError({ rank, workerId: member.id, host: member.host, reason, cause });
  }

  private fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    clearInterval(this.timer);
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
    this.assembler.clear();
  }
}

function describePingFailure(error: NatsError, timeoutMs: number): string {
  if (error?.code === ErrorCode.NoResponders)
    return 'it no longer listens on its run (the process exited or lost its NATS connection)';
  if (error?.code === ErrorCode.Timeout) return `it answered no liveness ping for ${timeoutMs} ms`;
  return `its liveness ping failed: ${error?.message ?? String(error)}`;
}
