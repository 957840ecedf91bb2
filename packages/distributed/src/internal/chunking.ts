import { InvalidArgumentError, ProtocolError } from '@sinkflow/core';

/**
 * @internal Cuts a frame into chunks of at most `chunkBytes` (views, no copy), for transports
 * with a payload limit (NATS' `max_payload`, 1 MiB by default).
 */
export function splitIntoChunks(frame: Uint8Array, chunkBytes: number): Uint8Array[] {
  if (!(chunkBytes >= 1)) {
    throw new InvalidArgumentError({
      functionName: 'splitIntoChunks',
      argumentName: 'chunkBytes',
      message: 'must be >= 1 byte',
      value: chunkBytes,
    });
  }
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < frame.byteLength; offset += chunkBytes)
    chunks.push(frame.subarray(offset, Math.min(frame.byteLength, offset + chunkBytes)));
  if (chunks.length === 0) chunks.push(new Uint8Array(0));
  return chunks;
}

/** @internal The smallest chunk a sender cuts (every chunk but the last is at least this big). */
export const MINIMUM_CHUNK_BYTES = 1024;

/**
 * @internal Thrown by {@link ChunkAssembler.add} for a chunk that breaks the message's limits
 * (a {@link ProtocolError} of the channel `'chunked message'`).
 */
export class ChunkLimitError extends ProtocolError {
  constructor(message: string) {
    super({ channel: 'chunked message', message });
    this.name = 'ChunkLimitError';
  }
}

/**
 * @internal Reassembles chunked messages: chunks of one message (same key) may arrive in any
 * order; `add` returns the whole frame once its last missing chunk arrived, else undefined.
 *
 * A message may hold at most `maxBytes` bytes, so at most `ceil(maxBytes / 1024) + 1` chunks
 * (every chunk but the last carries at least {@link MINIMUM_CHUNK_BYTES}): a chunk that claims
 * more, or that makes its message exceed `maxBytes`, throws a {@link ChunkLimitError} before
 * anything is allocated for it, and the partial message is dropped. Chunks are kept in a map,
 * never in an array sized by the claimed count.
 */
export class ChunkAssembler {
  private readonly pending = new Map<
    string,
    { parts: Map<number, Uint8Array>; count: number; bytes: number }
  >();

  add(
    key: string,
    index: number,
    count: number,
    data: Uint8Array,
    maxBytes: number = Number.MAX_SAFE_INTEGER,
  ): Uint8Array | undefined {
    if (!(Number.isSafeInteger(count) && count >= 1 && index >= 0 && index < count))
      throw new ChunkLimitError(`bad chunk ${index}/${count} of message ${key}`);
    const maxChunks = Math.ceil(maxBytes / MINIMUM_CHUNK_BYTES) + 1;
    if (count > maxChunks) {
      this.pending.delete(key);
      throw new ChunkLimitError(
        `message ${key} claims ${count} chunks, more than the ${maxChunks} that its limit of ${maxBytes} bytes allows`,
      );
    }
    if (count === 1) {
      if (data.byteLength > maxBytes)
        throw new ChunkLimitError(
          `message ${key} has ${data.byteLength} bytes, over its limit of ${maxBytes}`,
        );
      return data;
    }
    let entry = this.pending.get(key);
    if (entry === undefined) {
      entry = { parts: new Map(), count, bytes: 0 };
      this.pending.set(key, entry);
    }
    if (entry.count !== count) {
      this.pending.delete(key);
      throw new ChunkLimitError(
        `inconsistent chunk count for ${key} (${count}, then ${entry.count})`,
      );
    }
    if (!entry.parts.has(index)) {
      if (entry.bytes + data.byteLength > maxBytes) {
        this.pending.delete(key);
        throw new ChunkLimitError(
          `message ${key} exceeds its limit of ${maxBytes} bytes (chunk ${index}/${count})`,
        );
      }
      entry.parts.set(index, data.slice());
      entry.bytes += data.byteLength;
    }
    if (entry.parts.size < count) return undefined;
    this.pending.delete(key);
    const frame = new Uint8Array(entry.bytes);
    let offset = 0;
    for (let part = 0; part < count; part += 1) {
      const bytes = entry.parts.get(part) as Uint8Array;
      frame.set(bytes, offset);
      offset += bytes.byteLength;
    }
    return frame;
  }

  /** Drops the partial message `key` (its request was answered or abandoned). */
  forget(key: string): void {
    this.pending.delete(key);
  }

  /** Bytes held by partial messages. */
  bytes(): number {
    let total = 0;
    for (const entry of this.pending.values()) total += entry.bytes;
    return total;
  }

  /** Forgets partial messages (when a run ends). */
  clear(): void {
    this.pending.clear();
  }
}
