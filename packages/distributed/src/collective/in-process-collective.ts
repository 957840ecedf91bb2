import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { requireInteger } from '@sinkflow/core';
import { WorkerLostError } from '../errors/worker-lost-error.js';
import { createCollective } from '../internal/create-collective.js';
import { startThreadShard, type ThreadShard } from '../internal/thread-shard.js';
import type { Collective } from './collective.js';
import { messageBytes } from './shard-protocol.js';

/** Options of {@link createInProcessCollective}. */
export interface InProcessCollectiveOptions {
  /** P, the number of worker threads (each one shard). */
  readonly workers: number;
  /**
   * The shard thread program. @default the package's `dist/shard-thread.js` (set it when a
   * bundler moved that file)
   */
  readonly threadProgram?: URL | undefined;
}

/**
 * A {@link Collective} of P worker threads in this process, each running a shard on its own local
 * backend: the same protocol as on NATS without a server (messages are posted between threads).
 * Useful to test the sharded solver, and to split a problem across threads of one machine when
 * the local backend itself is single-threaded. A thread that dies makes the pending operation
 * reject with a `WorkerLostError` naming it (`thread-R`).
 *
 * @example
 * ```ts
 * const collective = await createInProcessCollective({ workers: 2 });
 * const backend = createShardedBackend({ collective, shardBackend: 'js' });
 * const solution = await solveSinkhorn({ x, y, backend });
 * await collective.close();
 * ```
 */
export async function createInProcessCollective({
  workers,
  threadProgram,
}: InProcessCollectiveOptions): Promise<Collective> {
  requireInteger(workers, {
    functionName: 'createInProcessCollective',
    argumentName: 'workers',
    minimum: 1,
  });
  const host = hostname();
  const members = Array.from({ length: workers }, (_, rank) => ({
    rank,
    id: `thread-${rank}`,
    host,
  }));
  const shards: ThreadShard[] = members.map(() => startThreadShard(threadProgram));
  const lost = (rank: number, error: unknown) =>
    new WorkerLostError({
      rank,
      workerId: members[rank]!.id,
      host,
      reason: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  const collective = createCollective({
    kind: 'in-process',
    runId: randomUUID(),
    members,
    async send(rank, request) {
      const shard = shards[rank]!;
      let reply: Awaited<ReturnType<ThreadShard['handle']>>;
      try {
        reply = await Promise.race([shard.handle(request), shard.failed]);
      } catch (error) {
        throw lost(rank, error);
      }
      return {
        reply,
        messages: 2,
        bytesSent: messageBytes(request),
        bytesReceived: messageBytes(reply),
      };
    },
    async ping(rank) {
      const shard = shards[rank]!;
      await Promise.race([shard.failed, Promise.resolve()]).catch((error: unknown) => {
        throw lost(rank, error);
      });
    },
    async close() {
      await Promise.all(shards.map((shard) => shard.terminate()));
    },
  });
  await collective.barrier();
  return collective;
}
