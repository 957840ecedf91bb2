import { Worker } from 'node:worker_threads';
import type { ShardHandler, ShardReply, ShardRequest } from '../collective/shard-protocol.js';
import { shardThreadUrl } from './thread-entry-url.js';

/** @internal A shard running in a worker thread of this process. */
export interface ThreadShard extends ShardHandler {
  /** Rejected when the thread exits or throws outside a request; never resolves otherwise. */
  readonly failed: Promise<never>;
  terminate(): Promise<void>;
}

/**
 * @internal Starts a worker thread running `shard-thread.js`. A thread that dies rejects every
 * pending request and `failed`.
 */
export function startThreadShard(entry: URL = shardThreadUrl()): ThreadShard {
  const worker = new Worker(entry);
  const pending = new Map<
    number,
    { resolve: (reply: ShardReply) => void; reject: (error: Error) => void }
  >();
  let nextId = 1;
  let failure: Error | undefined;
  let stopping = false;
  let rejectFailed: (error: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    rejectFailed = reject;
  });
  failed.catch(() => {});
  const fail = (error: Error) => {
    if (failure !== undefined) return;
    failure = error;
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
    rejectFailed(error);
  };
  worker.on('message', ({ id, reply }: { id: number; reply: ShardReply }) => {
    const entry = pending.get(id);
    pending.delete(id);
    entry?.resolve(reply);
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => {
    if (!stopping) fail(new Error(`the shard thread exited with code ${code}`));
  });
  return {
    failed,
    handle(request: ShardRequest): Promise<ShardReply> {
      if (failure !== undefined) return Promise.reject(failure);
      const id = nextId;
      nextId += 1;
      return new Promise<ShardReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Cloned, not transferred: the caller keeps its vectors (a subarray clones its whole
        // buffer, so callers send sliced copies of blocks).
        worker.postMessage({ id, request });
      });
    },
    async terminate() {
      stopping = true;
      fail(new Error('the shard thread was terminated'));
      await worker.terminate();
    },
  };
}
