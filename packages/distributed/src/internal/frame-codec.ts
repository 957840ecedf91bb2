import { InvalidArgumentError, ProtocolError } from '@sinkflow/core';
import type { ShardVector, ShardVectors } from '../collective/shard-protocol.js';

const MAGIC = 0x31464b53; // 'SKF1' little-endian
const TYPES = {
  f64: Float64Array,
  f32: Float32Array,
  i32: Int32Array,
  u32: Uint32Array,
} as const;
type TypeCode = keyof typeof TYPES;

/** @internal A decoded frame: a JSON header and named vectors. */
export interface Frame<Header> {
  readonly header: Header;
  readonly vectors: ShardVectors;
}

/**
 * @internal Encodes a message into one binary frame:
 *
 *   'SKF1' | u32 length L of the JSON | JSON { h: header, v: [[name, type, length], ...] }
 *   | zero padding to a multiple of 8 | each vector's bytes (little-endian), padded to 8
 *
 * so that every vector can be viewed in place (aligned) after decoding.
 */
export function encodeFrame<Header>(frame: Frame<Header>): Uint8Array {
  const entries = Object.entries(frame.vectors);
  const json = new TextEncoder().encode(
    JSON.stringify({
      h: frame.header,
      v: entries.map(([name, vector]) => [name, typeCode(vector), vector.length]),
    }),
  );
  let size = align8(8 + json.length);
  for (const [, vector] of entries) size += align8(vector.byteLength);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  bytes.set(json, 8);
  let offset = align8(8 + json.length);
  for (const [, vector] of entries) {
    bytes.set(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength), offset);
    offset += align8(vector.byteLength);
  }
  return bytes;
}

/** @internal Decodes {@link encodeFrame}'s output; vectors are copied into fresh buffers. */
export function decodeFrame<Header>(bytes: Uint8Array): Frame<Header> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC)
    throw new ProtocolError({
      channel: 'shard frame',
      message: 'not a sinkflow shard frame (bad magic)',
    });
  const length = view.getUint32(4, true);
  if (8 + length > bytes.byteLength) throw truncated();
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as {
    h: Header;
    v: Array<[string, TypeCode, number]>;
  };
  let offset = align8(8 + length);
  const vectors: Record<string, ShardVector> = {};
  for (const [name, code, count] of meta.v) {
    const Type = TYPES[code];
    if (Type === undefined) {
      throw new ProtocolError({
        channel: 'shard frame',
        message: `unknown vector type '${code}'`,
      });
    }
    const byteLength = count * Type.BYTES_PER_ELEMENT;
    if (offset + byteLength > bytes.byteLength) throw truncated();
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(offset, offset + byteLength));
    vectors[name] = new Type(copy.buffer);
    offset += align8(byteLength);
  }
  return { header: meta.h, vectors };
}

function typeCode(vector: ShardVector): TypeCode {
  if (vector instanceof Float64Array) return 'f64';
  if (vector instanceof Float32Array) return 'f32';
  if (vector instanceof Int32Array) return 'i32';
  if (vector instanceof Uint32Array) return 'u32';
  throw new InvalidArgumentError({
    functionName: 'encodeFrame',
    argumentName: 'vectors',
    message:
      'a shard message vector must be a Float64Array, Float32Array, Int32Array or Uint32Array',
  });
}

function align8(value: number): number {
  return (value + 7) & ~7;
}

function truncated(): ProtocolError {
  return new ProtocolError({ channel: 'shard frame', message: 'truncated sinkflow shard frame' });
}
