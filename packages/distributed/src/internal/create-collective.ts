import { DisposedError, InvalidArgumentError, ProtocolError } from '@sinkflow/core';
import { combineLogSumExp } from '@sinkflow/ot/backend';
import type { Collective, MemberTraffic } from '../collective/collective.js';
import type { ShardReply, ShardRequest } from '../collective/shard-protocol.js';
import { WorkerFailedError } from '../errors/worker-failed-error.js';
import type { CollectiveTransport } from './collective-transport.js';
import { checkReply, type ShardShape, shapeOfPrepare } from './reply-contract.js';

/**
 * @internal Builds the {@link Collective} operations on a transport: requests go out to every
 * rank at once, the answers are awaited together and reduced in rank order; a worker's error
 * answer becomes a `WorkerFailedError` naming it; every other answer is checked against its
 * request and the worker's block (`checkReply`: types, lengths, NaN, column ranges) before it is
 * used, an `InvalidReplyError` otherwise; traffic is counted per worker.
 */
export function createCollective(transport: CollectiveTransport): Collective {
  const { members } = transport;
  const counters = members.map(() => ({
    requests: 0,
    messages: 0,
    bytesSent: 0,
    bytesReceived: 0,
    computeSeconds: 0,
  }));
  /** Each rank's block, from its last `prepare` request. */
  const shapes: (ShardShape | undefined)[] = members.map(() => undefined);
  let closed = false;

  const scatter = async (requests: readonly ShardRequest[]): Promise<readonly ShardReply[]> => {
    if (closed) throw new DisposedError({ functionName: 'Collective', resource: 'collective' });
    if (requests.length !== members.length) {
      throw new InvalidArgumentError({
        functionName: 'Collective.scatter',
        argumentName: 'requests',
        message: `expected ${members.length} requests (one per worker), got ${requests.length}`,
      });
    }
    requests.forEach((request, rank) => {
      if (request.header.op === 'prepare') shapes[rank] = shapeOfPrepare(request);
    });
    const exchanges = await Promise.all(
      requests.map((request, rank) => transport.send(rank, request)),
    );
    return exchanges.map((exchange, rank) => {
      const counter = counters[rank]!;
      counter.requests += 1;
      counter.messages += exchange.messages;
      counter.bytesSent += exchange.bytesSent;
      counter.bytesReceived += exchange.bytesReceived;
      const { header } = exchange.reply;
      checkReply(exchange.reply, requests[rank]!, shapes[rank], {
        rank,
        id: members[rank]!.id,
      });
      if (!header.ok) {
        throw new WorkerFailedError({
          rank,
          workerId: members[rank]!.id,
          operation: requests[rank]!.header.op,
          remoteName: header.errorName,
          remoteMessage: header.message,
        });
      }
      counter.computeSeconds += header.computeMilliseconds / 1000;
      return exchange.reply;
    });
  };

  const partsOf = (replies: readonly ShardReply[], vector: string): Float64Array[] =>
    replies.map((reply, rank) => {
      const part = reply.vectors[vector];
      if (!(part instanceof Float64Array))
        throw new ProtocolError({
          channel: `worker ${rank}`,
          message: `answered without the vector '${vector}'`,
        });
      return part;
    });

  return {
    kind: transport.kind,
    runId: transport.runId,
    size: members.length,
    members,
    async barrier() {
      await Promise.all(members.map((_, rank) => transport.ping(rank)));
    },
    broadcast: (request) => scatter(members.map(() => request)),
    scatter,
    async gather({ requests, vector, out }) {
      const replies = await scatter(requests);
      let offset = 0;
      for (const part of partsOf(replies, vector)) {
        if (offset + part.length > out.length) {
          throw new InvalidArgumentError({
            functionName: 'Collective.gather',
            argumentName: 'out',
            message: `the gathered blocks overflow out (length ${out.length})`,
          });
        }
        out.set(part, offset);
        offset += part.length;
      }
      if (offset !== out.length)
        throw new InvalidArgumentError({
          functionName: 'Collective.gather',
          argumentName: 'out',
          message: `gathered ${offset} values, expected ${out.length} (the length of out)`,
        });
      return replies;
    },
    async allReduceLogSumExp({ requests, vector, epsilon, out }) {
      const replies = await scatter(requests);
      combineLogSumExp(partsOf(replies, vector), epsilon, out);
      return replies;
    },
    async allReduceSum({ requests, vector, out, values = [] }) {
      const replies = await scatter(requests);
      const parts = partsOf(replies, vector);
      out.set(parts[0]!);
      for (let p = 1; p < parts.length; p += 1) {
        const part = parts[p]!;
        for (let j = 0; j < out.length; j += 1) out[j] = out[j]! + part[j]!;
      }
      const sums: Record<string, number> = {};
      for (const name of values) {
        let sum = 0;
        for (const reply of replies) {
          const value = reply.header.ok ? reply.header.values?.[name] : undefined;
          if (typeof value !== 'number') {
            throw new ProtocolError({
              channel: 'collective',
              message: `a worker answered without '${name}'`,
            });
          }
          sum += value;
        }
        sums[name] = sum;
      }
      return { replies, sums };
    },
    traffic: (): readonly MemberTraffic[] =>
      members.map((member, rank) => ({ ...member, ...counters[rank]! })),
    async close() {
      if (closed) return;
      closed = true;
      await transport.close();
    },
  };
}
