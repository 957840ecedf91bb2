/**
 * @internal Cuts a frame into chunks of at most `chunkBytes` (views, no copy), for transports
 * with a payload limit (NATS' `max_payload`, 1 MiB by default).
 */
export function splitIntoChunks(frame: Uint8Array, chunkBytes: number): Uint8Array[] {
  if (!(chunkBytes >= 1)) throw new Error(`chunk size must be >= 1 byte (got ${chunkBytes})`);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < frame.byteLength; offset += chunkBytes)
    chunks.push(frame.subarray(offset, Math.min(frame.byteLength, offset + chunkBytes)));
  if (chunks.length === 0) chunks.push(new Uint8Array(0));
  return chunks;
}

/**
 * @internal Reassembles chunked messages: chunks of one message (same key) may arrive in any
 * order; `add` returns the whole frame once its last missing chunk arrived, else undefined.
 */
export class ChunkAssembler {
  private readonly pending = new Map<string, { parts: (Uint8Array | undefined)[]; left: number }>();

  add(key: string, index: number, count: number, data: Uint8Array): Uint8Array | undefined {
    if (!(Number.isSafeInteger(count) && count >= 1 && index >= 0 && index < count))
      throw new Error(`bad chunk ${index}/${count} of message ${key}`);
    if (count === 1) return data;
    let entry = this.pending.get(key);
    if (entry === undefined) {
      entry = { parts: new Array<Uint8Array | undefined>(count).fill(undefined), left: count };
      this.pending.set(key, entry);
    }
    if (entry.parts.length !== count) throw new Error(`inconsistent chunk count for ${key}`);
    if (entry.parts[index] === undefined) {
      entry.parts[index] = data.slice();
      entry.left -= 1;
    }
    if (entry.left > 0) return undefined;
    this.pending.delete(key);
    const total = entry.parts.reduce((sum, part) => sum + (part as Uint8Array).byteLength, 0);
    const frame = new Uint8Array(total);
    let offset = 0;
    for (const part of entry.parts) {
      frame.set(part as Uint8Array, offset);
      offset += (part as Uint8Array).byteLength;
    }
    return frame;
  }

  /** Forgets partial messages (when a run ends). */
  clear(): void {
    this.pending.clear();
  }
}
