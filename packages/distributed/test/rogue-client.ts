import { connect, headers, type Msg, type NatsConnection } from 'nats';
import type { ShardReply, ShardRequest } from '../src/index.js';
import { decodeFrame, encodeFrame } from '../src/internal/frame-codec.js';

/** The chunk headers of the protocol (as a token holder sees them on the wire). */
export function chunkHeaders(runId: string, rank: number, sequence: number, chunk: string) {
  const h = headers();
  h.set('Sinkflow-Run', runId);
  h.set('Sinkflow-Rank', String(rank));
  h.set('Sinkflow-Seq', String(sequence));
  h.set('Sinkflow-Chunk', chunk);
  return h;
}

/** A request chunk seen on `PREFIX.run.RUN.rank.R`, with its frame when it could be read. */
export interface SeenRequest {
  readonly runId: string;
  readonly rank: number;
  readonly sequence: number;
  readonly subject: string;
  readonly request: ShardRequest | undefined;
}

/**
 * A client that holds the cluster credentials but is no part of the run: it watches the requests
 * to the workers (`sinkflow.run.*.rank.*`) and calls `onRequest` for each first chunk.
 */
export async function startRogue(
  url: string,
  credentials: { token?: string; user?: string; pass?: string },
  onRequest: (seen: SeenRequest, rogue: NatsConnection) => void,
): Promise<{ connection: NatsConnection; close(): Promise<void> }> {
  const connection = await connect({ servers: url, ...credentials });
  connection.subscribe('sinkflow.run.*.rank.*', {
    callback: (error, message: Msg) => {
      if (error !== null || message.headers === undefined) return;
      const h = message.headers;
      if (h.get('Sinkflow-Chunk').split('/')[0] !== '0') return;
      let request: ShardRequest | undefined;
      try {
        request = decodeFrame<ShardRequest['header']>(message.data) as ShardRequest;
        if (typeof request.header?.op !== 'string') request = undefined;
      } catch {
        request = undefined;
      }
      onRequest(
        {
          runId: h.get('Sinkflow-Run'),
          rank: Number(h.get('Sinkflow-Rank')),
          sequence: Number(h.get('Sinkflow-Seq')),
          subject: message.subject,
          request,
        },
        connection,
      );
    },
  });
  await connection.flush();
  return { connection, close: () => connection.close() };
}

/**
 * A reply a forger would send for a request: the right shape when it could read the request,
 * else a guess (a rows pass of `guessRows` values); every number is `value`.
 */
export function forgedReply(
  seen: SeenRequest,
  shape: { rowCount: number; m: number },
  value: number,
): Uint8Array {
  const op = seen.request?.header.op ?? 'logSumExp';
  const filled = (length: number) => new Float64Array(length).fill(value);
  let reply: ShardReply;
  if (op === 'logSumExp') {
    const side =
      seen.request?.header.op === 'logSumExp' ? seen.request.header.side : ('rows' as const);
    reply = {
      header: { ok: true, computeMilliseconds: 0 },
      vectors: { out: filled(side === 'rows' ? shape.rowCount : shape.m) },
    };
  } else if (op === 'statistics') {
    reply = {
      header: { ok: true, computeMilliseconds: 0, values: { kernelMoment: value * 100 } },
      vectors: { rowSums: filled(shape.rowCount), columnSums: filled(shape.m) },
    };
  } else {
    reply = { header: { ok: true, computeMilliseconds: 0, values: {} }, vectors: {} };
  }
  return encodeFrame(reply);
}
