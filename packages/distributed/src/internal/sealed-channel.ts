import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
} from 'node:crypto';
import { ProtocolError } from '@sinkflow/core';

/** @internal The two directions of a run's channel with one worker. */
export type ChannelDirection = 'request' | 'reply';

/** @internal Data chunks and control messages (ping / leave) use separate nonces. */
export type ChannelKind = 'data' | 'control';

/** @internal What a sealed message is bound to, besides its direction and kind. */
export interface SealedMeta {
  readonly sequence: number;
  readonly index: number;
  readonly count: number;
}

/** @internal Bytes that sealing adds to a message (the AES-GCM tag). */
export const SEAL_OVERHEAD = 16;

/** @internal An ephemeral X25519 key pair; `publicKey` is the raw key in base64url (43 chars). */
export interface HandshakeKeys {
  readonly publicKey: string;
  readonly privateKey: KeyObject;
}

/** @internal A fresh X25519 key pair for one run (driver) or one join (worker). */
export function createHandshakeKeys(): HandshakeKeys {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const { x } = publicKey.export({ format: 'jwk' });
  return { publicKey: x as string, privateKey };
}

/**
 * @internal The authenticated, encrypted channel between a driver and the worker of one rank of
 * one run. Both sides hold an ephemeral X25519 key pair and exchange the public halves in the
 * join handshake; the shared secret `Z = X25519(a, B) = X25519(b, A)` [rfc7748] gives one key per
 * direction, `K_dir = HKDF-SHA256(Z, salt = run id, info = "sinkflow/2 rank R dir")` [rfc5869].
 * Every chunk is sealed with AES-256-GCM under `K_dir` [nist-sp800-38d], with the nonce
 * `kind | sequence | chunk index` (unique per key: the driver never reuses a sequence) and the
 * run id, rank, sequence and `index/count` as associated data, so a chunk cannot be read without
 * the key, altered, or replayed into another run, rank, message or position. Anyone else on the
 * server (another holder of the token or of a role's credentials) sees only ciphertext and
 * cannot make a message that opens.
 */
export class SealedChannel {
  private readonly keys: Record<ChannelDirection, Buffer>;

  constructor(
    own: HandshakeKeys,
    peerPublicKey: string,
    readonly runId: string,
    readonly rank: number,
  ) {
    const peer = createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: peerPublicKey },
      format: 'jwk',
    });
    const shared = diffieHellman({ privateKey: own.privateKey, publicKey: peer });
    const derive = (direction: ChannelDirection) =>
      Buffer.from(hkdfSync('sha256', shared, runId, `sinkflow/2 rank ${rank} ${direction}`, 32));
    this.keys = { request: derive('request'), reply: derive('reply') };
  }

  /** `ciphertext | tag` of `plaintext`. */
  seal(
    direction: ChannelDirection,
    kind: ChannelKind,
    meta: SealedMeta,
    plaintext: Uint8Array,
  ): Uint8Array {
    const cipher = createCipheriv('aes-256-gcm', this.keys[direction], nonce(kind, meta));
    cipher.setAAD(this.associatedData(direction, kind, meta));
    const head = cipher.update(plaintext);
    const tail = cipher.final();
    const out = new Uint8Array(head.byteLength + tail.byteLength + SEAL_OVERHEAD);
    out.set(head, 0);
    out.set(tail, head.byteLength);
    out.set(cipher.getAuthTag(), head.byteLength + tail.byteLength);
    return out;
  }

  /** The plaintext, or undefined when `sealed` was not sealed by the peer for exactly `meta`. */
  open(
    direction: ChannelDirection,
    kind: ChannelKind,
    meta: SealedMeta,
    sealed: Uint8Array,
  ): Uint8Array | undefined {
    if (sealed.byteLength < SEAL_OVERHEAD) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keys[direction], nonce(kind, meta));
      decipher.setAAD(this.associatedData(direction, kind, meta));
      decipher.setAuthTag(sealed.subarray(sealed.byteLength - SEAL_OVERHEAD));
      const head = decipher.update(sealed.subarray(0, sealed.byteLength - SEAL_OVERHEAD));
      const tail = decipher.final();
      if (tail.byteLength === 0) return new Uint8Array(head.buffer, head.byteOffset, head.length);
      return new Uint8Array(Buffer.concat([head, tail]));
    } catch {
      return undefined;
    }
  }

  private associatedData(direction: ChannelDirection, kind: ChannelKind, meta: SealedMeta) {
    return Buffer.from(
      `sinkflow/2|${this.runId}|${this.rank}|${direction}|${kind}|${meta.sequence}|${meta.index}/${meta.count}`,
    );
  }
}

/** 96-bit nonce: kind (1 byte), 3 zero bytes, sequence (u32), chunk index (u32). */
function nonce(kind: ChannelKind, meta: SealedMeta): Buffer {
  if (
    !(Number.isSafeInteger(meta.sequence) && meta.sequence >= 0 && meta.sequence < 2 ** 32) ||
    !(Number.isSafeInteger(meta.index) && meta.index >= 0 && meta.index < 2 ** 32)
  )
    throw new ProtocolError({
      channel: 'sealed channel',
      message: `sealed message sequence/index out of range (${meta.sequence}, ${meta.index})`,
    });
  const bytes = Buffer.alloc(12);
  bytes[0] = kind === 'data' ? 1 : 2;
  bytes.writeUInt32BE(meta.sequence, 4);
  bytes.writeUInt32BE(meta.index, 8);
  return bytes;
}

/** @internal Whether `value` looks like a raw X25519 public key in base64url. */
export function isHandshakeKey(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}
