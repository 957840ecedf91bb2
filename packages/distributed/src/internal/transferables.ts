import type { ShardVectors } from '../collective/shard-protocol.js';

/**
 * @internal The distinct buffers of a message's vectors, to transfer (not copy) them with
 * `postMessage`; the sender must not use them afterwards.
 */
export function transferables(vectors: ShardVectors): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const vector of Object.values(vectors)) {
    if (vector.buffer instanceof ArrayBuffer) buffers.add(vector.buffer);
  }
  return [...buffers];
}
