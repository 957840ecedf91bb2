import type { Msg, NatsConnection, Subscription } from 'nats';
import type { ShardReply, ShardRequest } from '../collective/shard-protocol.js';
import { ChunkAssembler } from '../internal/chunking.js';
import { decodeFrame, encodeFrame } from '../internal/frame-codec.js';
import {
  NATS_PROTOCOL_VERSION,
  natsSubjects,
  publishChunked,
  readChunkHeaders,
} from '../internal/nats-subjects.js';
import { createHandshakeKeys, isHandshakeKey, SealedChannel } from '../internal/sealed-channel.js';
import { formatMebibytes, shardMemoryBytes } from '../internal/shard-memory.js';
import type { ThreadShard } from '../internal/thread-shard.js';
import type { WorkerContext } from './start-nats-worker.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** @internal What a run needs from its worker loop. */
export interface RunHost {
  /** The shard thread (started on demand). */
  shard(): ThreadShard;
  /** Leave the run (lease expired, `leave`, a fatal error). */
  leave(run: WorkerRun, reason: string): void;
}

/**
 * @internal Answers a join request: refuses another protocol version or a malformed request,
 * says `accepted: false` when busy, else makes the run (its sealed channel from the driver's key
 * and a fresh key of this worker) and returns it with `answer`, which sends the acceptance with
 * the worker's public key (the caller leaves the queue group first).
 */
export function acceptJoin(
  message: Msg,
  busy: boolean,
  connection: NatsConnection,
  context: WorkerContext,
  host: RunHost,
): { run: WorkerRun; answer(): void } | undefined {
  const reply = (value: object) => message.respond(encoder.encode(JSON.stringify(value)));
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(decoder.decode(message.data));
  } catch {
    return undefined;
  }
  const { protocol, runId, rank, size, key } = request;
  if (protocol !== NATS_PROTOCOL_VERSION) {
    reply({ accepted: false, reason: `protocol ${NATS_PROTOCOL_VERSION} only`, id: context.id });
    return undefined;
  }
  if (
    busy ||
    typeof runId !== 'string' ||
    !/^[A-Za-z0-9]{8,64}$/.test(runId) ||
    !Number.isSafeInteger(size) ||
    (size as number) < 1 ||
    !Number.isSafeInteger(rank) ||
    (rank as number) < 0 ||
    (rank as number) >= (size as number) ||
    !isHandshakeKey(key)
  ) {
    reply({ accepted: false, id: context.id });
    return undefined;
  }
  const keys = createHandshakeKeys();
  let channel: SealedChannel;
  try {
    channel = new SealedChannel(keys, key, runId, rank as number);
  } catch {
    reply({ accepted: false, id: context.id });
    return undefined;
  }
  const run = new WorkerRun(connection, context, host, channel);
  return {
    run,
    answer() {
      reply({ accepted: true, id: context.id, host: context.host, key: keys.publicKey });
      context.onEvent?.({ type: 'joined', runId, rank: rank as number, size: size as number });
    },
  };
}

/**
 * @internal One run on a worker: its subscriptions (requests and control of its rank), the
 * reassembly of sealed request chunks, and the replies. A chunk or control message is obeyed only
 * when it opens with the run's channel and its sequence is newer than the last one (no replays);
 * only such messages renew the lease, which does not run out while a request is being served
 * (the driver is then waiting for the answer, not silent). A request larger than the worker's memory ceiling, or a
 * `prepare` whose block needs more, is answered with an error naming the limit.
 */
export class WorkerRun {
  readonly runId: string;
  readonly rank: number;
  /** Time of the last message that opened, or of the last reply sent. */
  lastContact = Date.now();
  /** Requests received and not answered yet: the driver is waiting, not silent. */
  busy = 0;
  rejectedMessages = 0;
  private readonly subjects: ReturnType<typeof natsSubjects>;
  private readonly subscriptions: Subscription[];
  private readonly assembler = new ChunkAssembler();
  private lastSequence = 0;
  private lastControl = 0;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly connection: NatsConnection,
    private readonly context: WorkerContext,
    private readonly host: RunHost,
    private readonly channel: SealedChannel,
  ) {
    this.runId = channel.runId;
    this.rank = channel.rank;
    this.subjects = natsSubjects(context.prefix, this.runId);
    this.subscriptions = [
      connection.subscribe(this.subjects.rank(this.rank), {
        callback: (error, chunk) => {
          if (error === null) this.onChunk(chunk);
        },
      }),
      connection.subscribe(this.subjects.control(this.rank), {
        callback: (error, control) => {
          if (error === null) this.onControl(control);
        },
      }),
    ];
  }

  /** Unsubscribes and forgets partial messages; replies still computing are not sent. */
  close(): void {
    this.closed = true;
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.assembler.clear();
  }

  private onControl(message: Msg): void {
    const meta = readChunkHeaders(message.headers);
    if (meta === undefined || meta.runId !== this.runId || meta.rank !== this.rank) return;
    const position = { sequence: meta.sequence, index: 0, count: 1 };
    const plain =
      meta.sequence > this.lastControl && message.data.byteLength <= 64
        ? this.channel.open('request', 'control', position, message.data)
        : undefined;
    const command = plain === undefined ? undefined : decoder.decode(plain);
    if (command !== 'ping' && command !== 'leave') {
      this.rejectedMessages += 1;
      return;
    }
    this.lastControl = meta.sequence;
    this.lastContact = Date.now();
    const answer = command === 'leave' ? 'bye' : 'pong';
    message.respond(this.channel.seal('reply', 'control', position, encoder.encode(answer)));
    if (command === 'leave') this.host.leave(this, 'the driver closed the run');
  }

  private onChunk(message: Msg): void {
    const meta = readChunkHeaders(message.headers);
    // Only this run's requests for this rank, newer than the last one answered.
    if (meta === undefined || meta.runId !== this.runId || meta.rank !== this.rank) return;
    const plain =
      meta.sequence > this.lastSequence
        ? this.channel.open('request', 'data', meta, message.data)
        : undefined;
    if (plain === undefined) {
      this.rejectedMessages += 1;
      return;
    }
    this.lastContact = Date.now();
    const key = String(meta.sequence);
    let frame: Uint8Array | undefined;
    try {
      frame = this.assembler.add(key, meta.index, meta.count, plain, this.context.memoryLimitBytes);
    } catch (error) {
      this.lastSequence = meta.sequence;
      this.answerError(meta.sequence, 'MemoryLimitError', this.overLimit((error as Error).message));
      return;
    }
    if (frame === undefined) return;
    this.lastSequence = meta.sequence;
    const bytes = frame;
    this.busy += 1;
    this.queue = this.queue.then(async () => {
      let reply: ShardReply;
      try {
        const request = decodeFrame<ShardRequest['header']>(bytes) as ShardRequest;
        const { header } = request;
        const needed = header.op === 'prepare' ? shardMemoryBytes(header) : 0;
        if (needed > this.context.memoryLimitBytes) {
          reply = errorReply(
            'MemoryLimitError',
            this.overLimit(
              `its block needs at least ${formatMebibytes(needed)} (${needed} bytes: clouds, kernel, sampling)`,
            ),
          );
        } else {
          reply = await this.host.shard().handle(request);
        }
      } catch (error) {
        reply = errorReply(
          error instanceof Error ? error.name : 'Error',
          error instanceof Error ? error.message : String(error),
        );
      }
      this.busy -= 1;
      this.send(meta.sequence, reply);
    });
  }

  private overLimit(what: string): string {
    const limit = this.context.memoryLimitBytes;
    return `refused: ${what}, over this worker's memory limit of ${formatMebibytes(limit)} (${limit} bytes; sinkflow worker --memory-limit)`;
  }

  private answerError(sequence: number, name: string, message: string): void {
    this.queue = this.queue.then(() => this.send(sequence, errorReply(name, message)));
  }

  private send(sequence: number, reply: ShardReply): void {
    if (this.closed) return;
    this.lastContact = Date.now();
    publishChunked(
      this.connection,
      this.subjects.driver,
      encodeFrame(reply),
      { runId: this.runId, rank: this.rank, sequence },
      (chunk, meta) => this.channel.seal('reply', 'data', meta, chunk),
    );
  }
}

function errorReply(errorName: string, message: string): ShardReply {
  return { header: { ok: false, errorName, message }, vectors: {} };
}
