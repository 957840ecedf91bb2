/**
 * @internal The shard protocol, version 1: what the driver (the process that runs the Sinkhorn
 * loop) asks a shard (one worker, owning a block of rows of X and a block of the columns of Y,
 * all of Y when only the rows are sharded) to do, and what it answers.
 *
 * A message is a small JSON header plus named typed vectors. In process the message is posted as
 * is (the vectors' buffers are transferred); on NATS it is encoded into one frame
 * (`frame-codec.ts`) and cut into chunks under the server's `max_payload` (`chunking.ts`).
 */

/** @internal The protocol version every header carries; a shard rejects any other. */
export const PROTOCOL_VERSION = 1;

/** The typed arrays a message may carry. */
export type ShardVector = Float64Array | Float32Array | Int32Array | Uint32Array;

/** Named vectors of a message. */
export type ShardVectors = Readonly<Record<string, ShardVector>>;

/** The operations of a shard. */
export type ShardOperation =
  | 'prepare'
  | 'logSumExp'
  | 'statistics'
  | 'sampleColumns'
  | 'conditionalExpectation'
  | 'sampleBlockColumns'
  | 'blockConditionalExpectation'
  | 'dispose';

/** The local backend a shard runs. */
export type ShardBackendName = 'auto' | 'js' | 'wasm';

/** A request header: the operation and its scalar arguments. */
export type ShardRequestHeader =
  | {
      readonly op: 'prepare';
      readonly backend: ShardBackendName;
      readonly threads?: number | undefined;
      readonly n: number;
      readonly m: number;
      readonly d: number;
      readonly rowStart: number;
      readonly rowCount: number;
      /**
       * The shard's columns `[columnStart, columnStart + columnCount)` of Y (the vector `y` holds
       * only those). @default 0 and m (all of Y: row sharding)
       */
      readonly columnStart?: number | undefined;
      readonly columnCount?: number | undefined;
      readonly mode: 'dense' | 'dense16' | 'online';
    }
  | {
      readonly op: 'logSumExp';
      readonly side: 'rows' | 'columns';
      readonly epsilon: number;
      /** Bypass a kept half-precision kernel (`LogSumExpRequest.exact`). @default false */
      readonly exact?: boolean | undefined;
    }
  | { readonly op: 'statistics'; readonly epsilon: number }
  | { readonly op: 'sampleColumns'; readonly epsilon: number; readonly seed: number }
  | { readonly op: 'conditionalExpectation'; readonly epsilon: number; readonly width: number }
  /**
   * Grid layout: Gumbel-max sampling inside the shard's block, on its block kernel. `rows` are
   * local to its row block, `columnPotentials` and the answer local to its column block; `seed`
   * is the block's own seed (derived by the driver).
   */
  | { readonly op: 'sampleBlockColumns'; readonly epsilon: number; readonly seed: number }
  /**
   * Grid layout: conditional expectations over the shard's columns for `rows` (local), with the
   * block's partial row log-sum-exps `logMass_i = eps LSE_{j in J_b}((g~_j + K_ij) / eps)` that
   * weight them (`values` holds the rows `J_b` of the values).
   */
  | {
      readonly op: 'blockConditionalExpectation';
      readonly epsilon: number;
      readonly width: number;
    }
  | { readonly op: 'dispose' };

/** A request to one shard. */
export interface ShardRequest {
  readonly header: ShardRequestHeader;
  readonly vectors: ShardVectors;
}

/** A shard's answer header. */
export type ShardReplyHeader =
  | {
      readonly ok: true;
      /** Milliseconds the shard spent in its local backend. */
      readonly computeMilliseconds: number;
      /** Scalar results (`kernelMoment` of the statistics pass; the backend's description). */
      readonly values?: Readonly<Record<string, number | string>> | undefined;
    }
  | { readonly ok: false; readonly errorName: string; readonly message: string };

/** A shard's answer. */
export interface ShardReply {
  readonly header: ShardReplyHeader;
  readonly vectors: ShardVectors;
}

/** Something that answers shard requests (a thread, a process over NATS, a test double). */
export interface ShardHandler {
  handle(request: ShardRequest): Promise<ShardReply>;
}

/** Bytes of a message as counted in traffic reports: its vectors plus its JSON header. */
export function messageBytes(message: ShardRequest | ShardReply): number {
  let bytes = JSON.stringify(message.header).length;
  for (const vector of Object.values(message.vectors)) bytes += vector.byteLength;
  return bytes;
}
