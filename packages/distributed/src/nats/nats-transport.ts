import { ErrorCode, Events, type NatsConnection, type NatsError } from 'nats';
import type { ShardReply, ShardRequest } from '../collective/shard-protocol.js';
import { InvalidReplyError } from '../errors/invalid-reply-error.js';
import { WorkerLostError } from '../errors/worker-lost-error.js';
import { ChunkAssembler } from '../internal/chunking.js';
import type { CollectiveTransport, TransportExchange } from '../internal/collective-transport.js';
import { decodeFrame, encodeFrame } from '../internal/frame-codec.js';
import { type natsSubjects, publishChunked, readChunkHeaders } from '../internal/nats-subjects.js';
import { maxReplyBytes, type ShardShape, shapeOfPrepare } from '../internal/reply-contract.js';
import { SEAL_OVERHEAD } from '../internal/sealed-channel.js';
import { type RecruitedWorker, sendControl } from './recruit-workers.js';

type Subjects = ReturnType<typeof natsSubjects>;

interface Pending {
  readonly rank: number;
  readonly operation: string;
  readonly chunksSent: number;
  readonly bytesSent: number;
  /** The largest reply this request may get (`maxReplyBytes`). */
  readonly maxBytes: number;
  resolve(value: TransportExchange): void;
  reject(error: Error): void;
}

/**
 * @internal The driver's side of the NATS protocol: sealed, chunked requests; replies accepted
 * only when they open with the channel of the rank they claim (so only from the recruited
 * worker), reassembled within the size the request allows; sealed liveness pings.
 */
export class NatsTransport implements CollectiveTransport {
  readonly kind = 'nats';
  private readonly pending = new Map<string, Pending>();
  private readonly assembler = new ChunkAssembler();
  private readonly chunksReceived = new Map<string, number>();
  private readonly shapes: (ShardShape | undefined)[];
  private readonly lastSeen: number[];
  private readonly noResponders: number[];
  private readonly pinging: boolean[];
  private readonly probing: boolean[];
  private readonly timer: ReturnType<typeof setInterval>;
  private sequence = 1;
  private failure: Error | undefined;
  private closed = false;

  constructor(
    private readonly connection: NatsConnection,
    private readonly subjects: Subjects,
    readonly runId: string,
    readonly members: readonly RecruitedWorker[],
    private readonly heartbeatIntervalMs: number,
    private readonly workerTimeoutMs: number,
  ) {
    this.shapes = members.map(() => undefined);
    this.lastSeen = members.map(() => Date.now());
    this.noResponders = members.map(() => 0);
    this.pinging = members.map(() => false);
    this.probing = members.map(() => false);
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

  send(rank: number, request: ShardRequest): Promise<TransportExchange> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.sequence += 1;
    const sequence = this.sequence;
    const member = this.members[rank]!;
    if (request.header.op === 'prepare') this.shapes[rank] = shapeOfPrepare(request);
    const frame = encodeFrame(request);
    return new Promise<TransportExchange>((resolve, reject) => {
      const chunksSent = publishChunked(
        this.connection,
        this.subjects.rank(rank),
        frame,
        { runId: this.runId, rank, sequence },
        (chunk, meta) => member.channel.seal('request', 'data', meta, chunk),
      );
      this.pending.set(`${rank}:${sequence}`, {
        rank,
        operation: request.header.op,
        chunksSent,
        bytesSent: frame.byteLength,
        maxBytes: maxReplyBytes(request, this.shapes[rank]),
        resolve,
        reject,
      });
    });
  }

  async ping(rank: number): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    try {
      await this.control(rank, 'ping', this.workerTimeoutMs);
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
      this.members.map((member) =>
        // A worker that does not answer drops the run when its lease expires.
        this.control(member.rank, 'leave', 2000).catch(() => {}),
      ),
    );
    await this.connection.close();
  }

  private control(rank: number, command: 'ping' | 'leave', timeoutMs: number): Promise<void> {
    this.sequence += 1;
    return sendControl(
      this.connection,
      this.subjects.control(rank),
      this.members[rank]!,
      this.sequence,
      command,
      timeoutMs,
    );
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
    const member = this.members[meta.rank];
    if (entry === undefined || member === undefined) return;
    // Only the recruited worker of this rank can seal a reply that opens: drop anything else
    // before it costs memory (the chunk count is checked after, against the request's limit).
    if (data.byteLength > this.connection.info!.max_payload) return;
    const plain = member.channel.open('reply', 'data', meta, data);
    if (plain === undefined) return;
    this.lastSeen[meta.rank] = Date.now();
    this.chunksReceived.set(key, (this.chunksReceived.get(key) ?? 0) + 1);
    const invalid = (reason: string) => {
      this.pending.delete(key);
      this.chunksReceived.delete(key);
      this.assembler.forget(key);
      entry.reject(
        new InvalidReplyError({
          rank: meta.rank,
          workerId: member.id,
          operation: entry.operation,
          field: 'reply',
          reason,
        }),
      );
    };
    let frame: Uint8Array | undefined;
    try {
      frame = this.assembler.add(key, meta.index, meta.count, plain, entry.maxBytes);
    } catch (error) {
      invalid((error as Error).message);
      return;
    }
    if (frame === undefined) return;
    this.pending.delete(key);
    const chunks = this.chunksReceived.get(key) ?? 1;
    this.chunksReceived.delete(key);
    let reply: ShardReply;
    try {
      reply = decodeFrame<ShardReply['header']>(frame);
    } catch (error) {
      invalid(`is not a shard frame (${(error as Error).message})`);
      return;
    }
    entry.resolve({
      reply,
      messages: entry.chunksSent + chunks,
      bytesSent: entry.bytesSent,
      bytesReceived: frame.byteLength + chunks * SEAL_OVERHEAD,
    });
  }

  private heartbeat(): void {
    if (this.failure !== undefined || this.closed) return;
    this.members.forEach((_, rank) => {
      if (this.pinging[rank]) {
        if (Date.now() - this.lastSeen[rank]! > this.workerTimeoutMs)
          this.fail(this.lost(rank, `it answered no liveness ping for ${this.workerTimeoutMs} ms`));
        // A worker killed while a ping was out never answers it: its ping would only fail after
        // workerTimeoutMs. A short probe beside it finds the worker gone ("no responders") at once.
        else this.probe(rank);
        return;
      }
      this.pinging[rank] = true;
      this.control(rank, 'ping', Math.max(this.heartbeatIntervalMs, this.workerTimeoutMs))
        .then(
          () => this.answered(rank),
          (error: NatsError) => {
            if (error.code === ErrorCode.NoResponders) this.noResponder(rank, error);
            else if (Date.now() - this.lastSeen[rank]! > this.workerTimeoutMs) {
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

  /** A ping with the heartbeat's timeout, sent while a longer one is out; only "no responders" counts. */
  private probe(rank: number): void {
    if (this.probing[rank]) return;
    this.probing[rank] = true;
    this.control(rank, 'ping', this.heartbeatIntervalMs)
      .then(
        () => this.answered(rank),
        (error: NatsError) => {
          if (error.code === ErrorCode.NoResponders) this.noResponder(rank, error);
        },
      )
      .finally(() => {
        this.probing[rank] = false;
      });
  }

  private answered(rank: number): void {
    this.lastSeen[rank] = Date.now();
    this.noResponders[rank] = 0;
  }

  private noResponder(rank: number, error: NatsError): void {
    this.noResponders[rank] = this.noResponders[rank]! + 1;
    // Twice in a row: not a reconnect in progress, the worker is gone.
    if (this.noResponders[rank]! >= 2)
      this.fail(
        this.lost(
          rank,
          'it no longer listens on its run (the process exited or lost its NATS connection)',
          error,
        ),
      );
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
