import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { requireInteger } from '@sinkflow/core';
import { connect, Events, type Msg, type NatsConnection, type Subscription } from 'nats';
import {
  PROTOCOL_VERSION,
  type ShardReply,
  type ShardRequest,
} from '../collective/shard-protocol.js';
import { ChunkAssembler } from '../internal/chunking.js';
import { decodeFrame, encodeFrame } from '../internal/frame-codec.js';
import {
  joinSubjects,
  natsSubjects,
  publishChunked,
  readChunkHeaders,
} from '../internal/nats-subjects.js';
import { startThreadShard, type ThreadShard } from '../internal/thread-shard.js';
import {
  checkServerUrl,
  type NatsSecurity,
  natsConnectionSecurity,
  readNatsSecurity,
} from './nats-security.js';

/** What a worker reports about itself (for logs). */
export type NatsWorkerEvent =
  | { readonly type: 'ready'; readonly workerId: string; readonly server: string }
  | {
      readonly type: 'joined';
      readonly runId: string;
      readonly rank: number;
      readonly size: number;
    }
  | { readonly type: 'left'; readonly runId: string; readonly reason: string };

/** Options of {@link startNatsWorker}. */
export interface NatsWorkerOptions {
  /** NATS server URL(s) (no credentials in them). */
  readonly servers: string | readonly string[];
  /** Credentials and TLS. @default readNatsSecurity() (environment variables) */
  readonly security?: NatsSecurity;
  /** The subject prefix shared with the drivers. @default 'sinkflow' */
  readonly subjectPrefix?: string;
  /** A run whose driver sent nothing (not even a ping) for this long is dropped. @default 30000 */
  readonly leaseTimeoutMs?: number;
  /** Called on joins and leaves. */
  readonly onEvent?: ((event: NatsWorkerEvent) => void) | undefined;
}

/** A running worker. */
export interface NatsWorker {
  /** `w-HOST-PID-RANDOM`, unique per worker, shown in errors that name it. */
  readonly id: string;
  /** Resolves when the worker stopped (after {@link NatsWorker.stop} or a lost connection). */
  readonly stopped: Promise<void>;
  /** Leaves the current run, closes the connection and the shard thread. */
  stop(): Promise<void>;
}

/**
 * Starts a worker that serves sharded runs over NATS, one run at a time: it waits in the queue
 * group of `PREFIX.join`, joins the run of the first driver that asks (taking the rank it is
 * given), serves its requests on a shard thread (so that it answers liveness pings while it
 * computes), and returns to the pool when the driver says `leave` or stops pinging for
 * `leaseTimeoutMs`. Messages outside its run (another run id, another rank) are ignored.
 *
 * @example
 * ```ts
 * const worker = await startNatsWorker({ servers: 'nats://10.0.0.5:4222' });
 * process.on('SIGTERM', () => void worker.stop());
 * await worker.stopped;
 * ```
 */
export async function startNatsWorker(options: NatsWorkerOptions): Promise<NatsWorker> {
  const functionName = 'startNatsWorker';
  const {
    servers,
    security = readNatsSecurity(),
    subjectPrefix = 'sinkflow',
    leaseTimeoutMs = 30_000,
    onEvent,
  } = options;
  requireInteger(leaseTimeoutMs, { functionName, argumentName: 'leaseTimeoutMs', minimum: 100 });
  const serverList = (typeof servers === 'string' ? [servers] : [...servers]).map((url) =>
    checkServerUrl(url, functionName, 'servers'),
  );
  const host = hostname();
  const id = `w-${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const connection = await connect({
    servers: serverList,
    name: id,
    maxReconnectAttempts: -1,
    ...natsConnectionSecurity(security),
  });
  const worker = new WorkerLoop(connection, id, host, subjectPrefix, leaseTimeoutMs, onEvent);
  worker.listen();
  void worker.watchStatus();
  onEvent?.({ type: 'ready', workerId: id, server: connection.getServer() });
  return {
    id,
    stopped: connection.closed().then(() => worker.shutdown()),
    stop: () => worker.stop(),
  };
}

interface Run {
  readonly runId: string;
  readonly rank: number;
  readonly subjects: ReturnType<typeof natsSubjects>;
  readonly subscriptions: Subscription[];
  readonly assembler: ChunkAssembler;
  lastContact: number;
  queue: Promise<void>;
}

class WorkerLoop {
  private join: Subscription | undefined;
  private run: Run | undefined;
  private shard: ThreadShard | undefined;
  private readonly lease: ReturnType<typeof setInterval>;
  private stopping = false;

  constructor(
    private readonly connection: NatsConnection,
    private readonly id: string,
    private readonly host: string,
    private readonly prefix: string,
    private readonly leaseTimeoutMs: number,
    private readonly onEvent: NatsWorkerOptions['onEvent'],
  ) {
    this.lease = setInterval(
      () => {
        const run = this.run;
        if (run !== undefined && Date.now() - run.lastContact > this.leaseTimeoutMs)
          void this.leave(`no message from the driver for ${this.leaseTimeoutMs} ms`);
      },
      Math.min(1000, leaseTimeoutMs),
    );
  }

  /** Waits in the queue group for a run. */
  listen(): void {
    if (this.stopping || this.join !== undefined) return;
    const { subject, queue } = joinSubjects(this.prefix);
    this.join = this.connection.subscribe(subject, {
      queue,
      callback: (error, message) => {
        if (error === null) this.onJoin(message);
      },
    });
  }

  /**
   * A disconnect may have lost requests of the run (NATS core is at-most-once): leave it, so the
   * driver sees no subscriber and fails with a clear error instead of waiting forever.
   */
  async watchStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === Events.Disconnect && this.run !== undefined)
        void this.leave('the connection to NATS was interrupted');
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    if (this.run !== undefined) await this.leave('the worker is stopping');
    this.stopping = true;
    this.join?.unsubscribe();
    this.join = undefined;
    await this.connection.drain().catch(() => this.connection.close());
    await this.shutdown();
  }

  async shutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.lease);
    await this.shard?.terminate();
    this.shard = undefined;
  }

  private onJoin(message: Msg): void {
    const answer = (value: object) =>
      message.respond(new TextEncoder().encode(JSON.stringify(value)));
    let request: { protocol?: number; runId?: string; rank?: number; size?: number };
    try {
      request = JSON.parse(new TextDecoder().decode(message.data));
    } catch {
      return;
    }
    const { protocol, runId, rank, size } = request;
    if (protocol !== PROTOCOL_VERSION) {
      answer({ accepted: false, reason: `protocol ${PROTOCOL_VERSION} only`, id: this.id });
      return;
    }
    if (
      this.run !== undefined ||
      this.stopping ||
      typeof runId !== 'string' ||
      !/^[A-Za-z0-9]+$/.test(runId) ||
      !Number.isSafeInteger(rank) ||
      !Number.isSafeInteger(size)
    ) {
      answer({ accepted: false, id: this.id });
      return;
    }
    // Leave the queue group before answering, so that the next rank goes to another worker.
    this.join?.unsubscribe();
    this.join = undefined;
    const subjects = natsSubjects(this.prefix, runId);
    const run: Run = {
      runId,
      rank: rank as number,
      subjects,
      subscriptions: [],
      assembler: new ChunkAssembler(),
      lastContact: Date.now(),
      queue: Promise.resolve(),
    };
    this.run = run;
    run.subscriptions.push(
      this.connection.subscribe(subjects.rank(run.rank), {
        callback: (error, chunk) => {
          if (error === null) this.onChunk(run, chunk);
        },
      }),
      this.connection.subscribe(subjects.control(run.rank), {
        callback: (error, control) => {
          if (error !== null) return;
          run.lastContact = Date.now();
          const command = new TextDecoder().decode(control.data);
          control.respond(new TextEncoder().encode(command === 'leave' ? 'bye' : 'pong'));
          if (command === 'leave') void this.leave('the driver closed the run');
        },
      }),
    );
    answer({ accepted: true, id: this.id, host: this.host, pid: process.pid });
    this.onEvent?.({ type: 'joined', runId, rank: run.rank, size: size as number });
  }

  private onChunk(run: Run, message: Msg): void {
    const meta = readChunkHeaders(message.headers);
    // Only this run's requests for this rank; anything else is ignored.
    if (meta === undefined || meta.runId !== run.runId || meta.rank !== run.rank) return;
    run.lastContact = Date.now();
    let frame: Uint8Array | undefined;
    try {
      frame = run.assembler.add(String(meta.sequence), meta.index, meta.count, message.data);
    } catch {
      return;
    }
    if (frame === undefined) return;
    const bytes = frame;
    run.queue = run.queue.then(async () => {
      let reply: ShardReply;
      try {
        const request = decodeFrame<ShardRequest['header']>(bytes) as ShardRequest;
        reply = await this.useShard().handle(request);
      } catch (error) {
        reply = {
          header: {
            ok: false,
            errorName: error instanceof Error ? error.name : 'Error',
            message: error instanceof Error ? error.message : String(error),
          },
          vectors: {},
        };
      }
      if (this.run !== run) return;
      publishChunked(this.connection, run.subjects.driver, encodeFrame(reply), {
        runId: run.runId,
        rank: run.rank,
        sequence: meta.sequence,
      });
    });
  }

  private useShard(): ThreadShard {
    if (this.shard === undefined) {
      const shard = startThreadShard();
      shard.failed.catch(() => {
        if (this.shard === shard) this.shard = undefined;
      });
      this.shard = shard;
    }
    return this.shard;
  }

  private async leave(reason: string): Promise<void> {
    const run = this.run;
    if (run === undefined) return;
    this.run = undefined;
    for (const subscription of run.subscriptions) subscription.unsubscribe();
    run.assembler.clear();
    await run.queue.catch(() => {});
    await this.shard?.handle({ header: { op: 'dispose' }, vectors: {} }).catch(() => {});
    this.onEvent?.({ type: 'left', runId: run.runId, reason });
    this.listen();
  }
}
