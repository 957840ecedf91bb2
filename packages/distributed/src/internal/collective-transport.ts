import type { CollectiveMember } from '../collective/collective.js';
import type { ShardReply, ShardRequest } from '../collective/shard-protocol.js';

/** @internal What a transport reports about one request. */
export interface TransportExchange {
  readonly reply: ShardReply;
  /** Transport messages both ways (chunks counted). */
  readonly messages: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

/**
 * @internal How a collective reaches its workers: one request at a time per rank. `send`
 * rejects with a `WorkerLostError` when the worker stops answering.
 */
export interface CollectiveTransport {
  readonly kind: string;
  readonly runId: string;
  readonly members: readonly CollectiveMember[];
  send(rank: number, request: ShardRequest): Promise<TransportExchange>;
  /** Resolves when the worker answers a liveness check; rejects with `WorkerLostError`. */
  ping(rank: number): Promise<void>;
  close(): Promise<void>;
}
