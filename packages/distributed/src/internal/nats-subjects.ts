import { headers, type MsgHdrs, type NatsConnection } from 'nats';
import { MINIMUM_CHUNK_BYTES, splitIntoChunks } from './chunking.js';
import { SEAL_OVERHEAD, type SealedMeta } from './sealed-channel.js';

/**
 * @internal The version of the NATS transport, carried by join requests: 2 seals every chunk and
 * control message with the run's per-worker keys (`sealed-channel.ts`). Workers of version 1
 * refuse it (and drivers of version 1 are refused), so the two never mix in a run.
 */
export const NATS_PROTOCOL_VERSION = 2;

/**
 * @internal The subjects of the NATS protocol (everything under one prefix, `sinkflow` by
 * default, so that NATS permissions can confine it):
 *
 * - `PREFIX.join`: idle workers listen in the queue group `PREFIX.workers`; a driver asks for
 *   one worker per rank (request/reply, JSON);
 * - `PREFIX.run.RUN.rank.R`: the driver's requests to rank R (chunked frames);
 * - `PREFIX.run.RUN.rank.R.control`: `ping` / `leave` (request/reply);
 * - `PREFIX.run.RUN.driver`: the workers' replies (chunked frames).
 */
export function natsSubjects(prefix: string, runId: string) {
  const run = `${prefix}.run.${runId}`;
  return {
    run,
    driver: `${run}.driver`,
    rank: (rank: number) => `${run}.rank.${rank}`,
    control: (rank: number) => `${run}.rank.${rank}.control`,
  };
}

/** @internal The join subject and queue group of idle workers. */
export function joinSubjects(prefix: string) {
  return { subject: `${prefix}.join`, queue: `${prefix}.workers` };
}

/** @internal NATS header names of a chunk. */
export const HEADER = {
  run: 'Sinkflow-Run',
  rank: 'Sinkflow-Rank',
  sequence: 'Sinkflow-Seq',
  chunk: 'Sinkflow-Chunk',
} as const;

/**
 * @internal Bytes of a message kept for NATS headers and protocol overhead below
 * `max_payload` (our headers take ~150 bytes).
 */
export const HEADER_ALLOWANCE = 4096;

/** @internal The chunk headers of a message of the run. */
export function chunkHeaders(meta: {
  readonly runId: string;
  readonly rank: number;
  readonly sequence: number;
  readonly index: number;
  readonly count: number;
}): MsgHdrs {
  const h = headers();
  h.set(HEADER.run, meta.runId);
  h.set(HEADER.rank, String(meta.rank));
  h.set(HEADER.sequence, String(meta.sequence));
  h.set(HEADER.chunk, `${meta.index}/${meta.count}`);
  return h;
}

/**
 * @internal Publishes a frame as chunks under the payload limit, each sealed by `seal` (which
 * binds it to its sequence and `index/count`); returns the chunk count.
 */
export function publishChunked(
  connection: NatsConnection,
  subject: string,
  frame: Uint8Array,
  meta: { readonly runId: string; readonly rank: number; readonly sequence: number },
  seal: (chunk: Uint8Array, meta: SealedMeta) => Uint8Array,
): number {
  const chunkBytes = Math.max(
    MINIMUM_CHUNK_BYTES,
    connection.info!.max_payload - HEADER_ALLOWANCE - SEAL_OVERHEAD,
  );
  const chunks = splitIntoChunks(frame, chunkBytes);
  chunks.forEach((chunk, index) => {
    const position = { sequence: meta.sequence, index, count: chunks.length };
    connection.publish(subject, seal(chunk, position), {
      headers: chunkHeaders({ ...meta, ...position }),
    });
  });
  return chunks.length;
}

/** @internal The chunk headers of a message, or undefined when they are missing / malformed. */
export function readChunkHeaders(h: MsgHdrs | undefined):
  | {
      readonly runId: string;
      readonly rank: number;
      readonly sequence: number;
      readonly index: number;
      readonly count: number;
    }
  | undefined {
  if (h === undefined) return undefined;
  const [index, count] = (h.get(HEADER.chunk) ?? '').split('/').map(Number);
  const rank = Number(h.get(HEADER.rank));
  const sequence = Number(h.get(HEADER.sequence));
  const runId = h.get(HEADER.run);
  if (
    !/^[A-Za-z0-9]{1,64}$/.test(runId) ||
    !Number.isSafeInteger(rank) ||
    !Number.isSafeInteger(sequence) ||
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(count) ||
    rank < 0 ||
    sequence < 0
  )
    return undefined;
  return { runId, rank, sequence, index: index!, count: count! };
}
