import { randomBytes } from 'node:crypto';
import { hostname, totalmem } from 'node:os';
import { requireInteger } from '@sinkflow/core';
import { connect, Events, type Msg, type NatsConnection, type Subscription } from 'nats';
import { startThreadShard, type ThreadShard } from '../internal/thread-shard.js';
import { type NatsSecurity, natsConnectOptions, readNatsSecurity } from './nats-security.js';
import { acceptJoin, type WorkerRun } from './worker-run.js';

/** What a worker reports about itself (for logs). */
export type NatsWorkerEvent =
  | { readonly type: 'ready'; readonly workerId: string; readonly server: string }
  | {
      readonly type: 'joined';
      readonly runId: string;
      readonly rank: number;
      readonly size: number;
    }
  | { readonly type: 'left'; readonly runId: string; readonly reason: string }
  /** Messages on the run's subjects that did not open with the run's keys were dropped. */
  | { readonly type: 'rejected'; readonly runId: string; readonly messages: number }
  /** The worker cannot serve (e.g. the server refused its subscriptions) and stops. */
  | { readonly type: 'error'; readonly message: string };

/** Options of {@link startNatsWorker}. */
export interface NatsWorkerOptions {
  /** NATS server URL(s) (no credentials in them); `tls://` requires TLS. */
  readonly servers: string | readonly string[];
  /** Credentials and TLS. @default readNatsSecurity() (environment variables) */
  readonly security?: NatsSecurity;
  /** The subject prefix shared with the drivers. @default 'sinkflow' */
  readonly subjectPrefix?: string;
  /** A run whose driver sent nothing (not even a ping) for this long is dropped. @default 30000 */
  readonly leaseTimeoutMs?: number;
  /**
   * The most memory a run may take on this worker: a `prepare` whose block needs more (its
   * clouds, a dense kernel, the sampling kernel) or a request larger than this is refused with an
   * error naming the limit. @default half of the machine's memory
   */
  readonly memoryLimitBytes?: number;
  /** Called on joins, leaves, dropped messages and errors. */
  readonly onEvent?: ((event: NatsWorkerEvent) => void) | undefined;
}

/** A running worker. */
export interface NatsWorker {
  /** `w-HOST-PID-RANDOM`, unique per worker, shown in errors that name it. */
  readonly id: string;
  /**
   * Resolves when the worker stopped (after {@link NatsWorker.stop} or a lost connection);
   * rejects when it stopped because it cannot serve (the server refused its subscriptions).
   */
  readonly stopped: Promise<void>;
  /**
   * Leaves the current run at once (its computation is abandoned and its memory freed), closes
   * the connection (within about a second, even when the server is gone) and the shard thread.
   */
  stop(): Promise<void>;
}

/**
 * Starts a worker that serves sharded runs over NATS, one run at a time: it waits in the queue
 * group of `PREFIX.join`, joins the run of the first driver that asks (taking the rank it is
 * given, and making the run's sealed channel from the two ephemeral keys of the handshake),
 * serves its requests on a shard thread (so that it answers liveness pings while it computes),
 * and returns to the pool when the driver says `leave` or sends nothing for `leaseTimeoutMs`.
 * Leaving a run terminates its shard thread, which frees the run's memory and abandons any
 * computation in progress. Only messages sealed by the driver that recruited it are obeyed
 * (`sealed-channel.ts`); anything else on its subjects is dropped, and neither keeps its lease.
 *
 * @example
 * ```ts
 * const worker = await startNatsWorker({ servers: 'tls://10.0.0.5:4222' });
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
    memoryLimitBytes = Math.floor(totalmem() / 2),
    onEvent,
  } = options;
  requireInteger(leaseTimeoutMs, { functionName, argumentName: 'leaseTimeoutMs', minimum: 100 });
  requireInteger(memoryLimitBytes, {
    functionName,
    argumentName: 'memoryLimitBytes',
    minimum: 1024,
  });
  const { options: connectOptions } = natsConnectOptions(servers, security, functionName);
  const host = hostname();
  const id = `w-${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const connection = await connect({ ...connectOptions, name: id, maxReconnectAttempts: -1 });
  const worker = new WorkerLoop(connection, {
    id,
    host,
    prefix: subjectPrefix,
    leaseTimeoutMs,
    memoryLimitBytes,
    onEvent,
  });
  worker.listen();
  void worker.watchStatus();
  onEvent?.({ type: 'ready', workerId: id, server: connection.getServer() });
  const stopped = connection.closed().then(async () => {
    await worker.shutdown();
    if (worker.failure !== undefined) throw worker.failure;
  });
  stopped.catch(() => {}); // reported to those who await it, never unhandled
  return { id, stopped, stop: () => worker.stop() };
}

/** @internal What a worker loop and its runs share. */
export interface WorkerContext {
  readonly id: string;
  readonly host: string;
  readonly prefix: string;
  readonly leaseTimeoutMs: number;
  readonly memoryLimitBytes: number;
  readonly onEvent: NatsWorkerOptions['onEvent'];
}

class WorkerLoop {
  private join: Subscription | undefined;
  private run: WorkerRun | undefined;
  private shard: ThreadShard | undefined;
  private readonly lease: ReturnType<typeof setInterval>;
  private stopping: Promise<void> | undefined;
  failure: Error | undefined;

  constructor(
    private readonly connection: NatsConnection,
    private readonly context: WorkerContext,
  ) {
    this.lease = setInterval(
      () => {
        const run = this.run;
        if (
          run !== undefined &&
          run.busy === 0 &&
          Date.now() - run.lastContact > context.leaseTimeoutMs
        ) {
          void this.leave(
            run,
            `its lease expired: no message from the driver for ${context.leaseTimeoutMs} ms`,
          );
        }
      },
      Math.min(1000, context.leaseTimeoutMs),
    );
  }

  /** Waits in the queue group for a run. */
  listen(): void {
    if (this.stopping !== undefined || this.join !== undefined) return;
    const subject = `${this.context.prefix}.join`;
    this.join = this.connection.subscribe(subject, {
      queue: `${this.context.prefix}.workers`,
      callback: (error, message) => {
        if (error !== null) {
          this.fail(
            `the NATS server refused the subscription to ${subject} (${error.message}): are these a worker's credentials?`,
          );
        } else {
          this.onJoin(message);
        }
      },
    });
  }

  /**
   * A disconnect may have lost requests of the run (NATS core is at-most-once): leave it, so the
   * driver sees no subscriber and fails with a clear error instead of waiting forever. A
   * permission violation means the worker cannot serve: it stops with that error.
   */
  async watchStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      const run = this.run;
      if (status.type === Events.Disconnect && run !== undefined)
        void this.leave(run, 'the connection to NATS was interrupted');
      const context = (status as { permissionContext?: { operation: string; subject: string } })
        .permissionContext;
      if (context !== undefined) {
        this.fail(
          `the NATS server refused the ${context.operation} on ${context.subject}: are these a worker's credentials?`,
        );
      }
    }
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.run !== undefined) await this.leave(this.run, 'the worker is stopping');
      this.join?.unsubscribe();
      this.join = undefined;
      // drain() waits for the server, which may be gone: give it a second, then close.
      const drained = this.connection.drain().catch(() => {});
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      await this.connection.close().catch(() => {});
      await this.shutdown();
    })();
    return this.stopping;
  }

  async shutdown(): Promise<void> {
    clearInterval(this.lease);
    const shard = this.shard;
    this.shard = undefined;
    await shard?.terminate();
  }

  private fail(message: string): void {
    if (this.failure !== undefined) return;
    this.failure = new Error(message);
    this.context.onEvent?.({ type: 'error', message });
    void this.stop();
  }

  private onJoin(message: Msg): void {
    const busy = this.run !== undefined || this.stopping !== undefined;
    const joined = acceptJoin(message, busy, this.connection, this.context, {
      shard: () => this.useShard(),
      leave: (run, reason) => void this.leave(run, reason),
    });
    if (joined === undefined) return;
    // Leave the queue group before answering, so that the next rank goes to another worker.
    this.join?.unsubscribe();
    this.join = undefined;
    this.run = joined.run;
    joined.answer();
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

  /**
   * Leaves `run` (if it is still the current one): unsubscribes, forgets partial messages and
   * terminates the shard thread, which frees the block, its kernels and the backend's memory at
   * once (a wasm memory never shrinks) and abandons any pass in progress.
   */
  private async leave(run: WorkerRun, reason: string): Promise<void> {
    if (this.run !== run) return;
    this.run = undefined;
    run.close();
    const shard = this.shard;
    this.shard = undefined;
    await shard?.terminate();
    if (run.rejectedMessages > 0)
      this.context.onEvent?.({
        type: 'rejected',
        runId: run.runId,
        messages: run.rejectedMessages,
      });
    this.context.onEvent?.({ type: 'left', runId: run.runId, reason });
    this.listen();
  }
}
