import type { ShardReply, ShardRequest, ShardVector } from '../collective/shard-protocol.js';
import { InvalidReplyError } from '../errors/invalid-reply-error.js';

/** @internal The block a rank was given by its `prepare` request: its rows and its columns. */
export interface ShardShape {
  readonly rowCount: number;
  readonly columnCount: number;
}

/** @internal The shape a `prepare` request announces. */
export function shapeOfPrepare(request: ShardRequest): ShardShape | undefined {
  const { header } = request;
  if (header.op !== 'prepare') return undefined;
  return { rowCount: header.rowCount, columnCount: header.columnCount ?? header.m };
}

/** What a reply vector must be. */
interface VectorRule {
  readonly type: 'f64' | 'i32';
  readonly length: number;
  /** Values allowed besides finite numbers (when the request itself was finite). */
  readonly allowNaN?: boolean;
  readonly allowNegativeInfinity?: boolean;
  readonly allowPositiveInfinity?: boolean;
  /** Nonnegative values only (sums of probabilities). */
  readonly nonnegative?: boolean;
  /** Integers in `[0, below)` (column indices of the worker's block). */
  readonly below?: number;
}

/** @internal Bytes a reply's JSON header may take (errors, the backend's description). */
export const REPLY_HEADER_BYTES = 64 * 1024;

/**
 * @internal What a worker may answer to `request` given its block `shape` (undefined before its
 * `prepare`): the vectors, their types and lengths, and the values each may hold. The rules follow
 * the shard protocol (`shard-server.ts`):
 *
 * - `logSumExp`: `out`, float64, one per row (`side: rows`) or column of the block; a partial
 *   `eps LSE` may be `-Infinity` (an empty sum, log 0) but not NaN or `+Infinity`;
 * - `statistics`: `rowSums`, `columnSums` (nonnegative, `+Infinity` on overflow) and the value
 *   `kernelMoment`;
 * - `sampleColumns`, `sampleBlockColumns`: `out`, int32, one column index in `[0, block columns)`
 *   per requested row;
 * - `conditionalExpectation`: `out`, float64, `rows x width` (NaN for a row of zero mass);
 *   `blockConditionalExpectation` adds `logMass` (one partial LSE per row);
 * - `prepare`, `dispose`: no vector.
 *
 * When the request itself carried NaN or `+Infinity` (a diverging solve), the value rules are not
 * applied: non-finite inputs give non-finite answers and the solver reports the divergence.
 */
function vectorRules(
  request: ShardRequest,
  shape: ShardShape | undefined,
): Record<string, VectorRule> {
  const { header, vectors } = request;
  const count = (name: string) => vectors[name]?.length ?? 0;
  if (shape === undefined || header.op === 'prepare' || header.op === 'dispose') return {};
  const lse = { type: 'f64', allowNegativeInfinity: true } as const;
  switch (header.op) {
    case 'logSumExp':
      return {
        out: { ...lse, length: header.side === 'rows' ? shape.rowCount : shape.columnCount },
      };
    case 'statistics':
      return {
        rowSums: {
          type: 'f64',
          length: shape.rowCount,
          nonnegative: true,
          allowPositiveInfinity: true,
        },
        columnSums: {
          type: 'f64',
          length: shape.columnCount,
          nonnegative: true,
          allowPositiveInfinity: true,
        },
      };
    case 'sampleColumns':
    case 'sampleBlockColumns':
      return { out: { type: 'i32', length: count('rows'), below: shape.columnCount } };
    case 'conditionalExpectation':
      return { out: { type: 'f64', length: count('rows') * header.width, allowNaN: true } };
    case 'blockConditionalExpectation':
      return {
        out: { type: 'f64', length: count('rows') * header.width, allowNaN: true },
        logMass: { ...lse, length: count('rows') },
      };
    default:
      return {};
  }
}

/** @internal The most bytes a well-formed reply to `request` can take (its frame, unsealed). */
export function maxReplyBytes(request: ShardRequest, shape: ShardShape | undefined): number {
  let bytes = REPLY_HEADER_BYTES;
  for (const rule of Object.values(vectorRules(request, shape)))
    bytes += 8 * Math.ceil(((rule.type === 'f64' ? 8 : 4) * rule.length) / 8);
  return bytes;
}

/**
 * @internal Checks a successful reply against {@link maxReplyBytes}'s rules (an error reply, `ok:
 * false`, only needs its name and message).
 *
 * @throws {@link InvalidReplyError} naming the worker, the operation and the vector or value.
 */
export function checkReply(
  reply: ShardReply,
  request: ShardRequest,
  shape: ShardShape | undefined,
  worker: { readonly rank: number; readonly id: string },
): void {
  const operation = request.header.op;
  const reject = (field: string, reason: string): never => {
    throw new InvalidReplyError({
      rank: worker.rank,
      workerId: worker.id,
      operation,
      field,
      reason,
    });
  };
  const { header } = reply;
  if (typeof header !== 'object' || header === null || typeof header.ok !== 'boolean')
    reject('reply', 'has no header { ok }');
  if (!header.ok) {
    if (typeof header.errorName !== 'string' || typeof header.message !== 'string')
      reject('reply', 'is an error without a name and message');
    return;
  }
  if (!(Number.isFinite(header.computeMilliseconds) && header.computeMilliseconds >= 0))
    reject('value computeMilliseconds', 'must be a finite number >= 0');
  const checkValues = !requestHasNaNOrInfinity(request);
  const rules = vectorRules(request, shape);
  for (const name of Object.keys(reply.vectors))
    if (rules[name] === undefined) reject(`vector '${name}'`, 'is not part of this reply');
  for (const [name, rule] of Object.entries(rules)) {
    const vector = reply.vectors[name];
    const field = `vector '${name}'`;
    const Type = rule.type === 'f64' ? Float64Array : Int32Array;
    if (!(vector instanceof Type)) reject(field, `is missing (expected ${Type.name})`);
    const values = vector as ShardVector;
    if (values.length !== rule.length)
      reject(field, `has ${values.length} values, expected ${rule.length}`);
    if (rule.below !== undefined) {
      for (let k = 0; k < values.length; k += 1) {
        const value = values[k]!;
        if (!(value >= 0 && value < rule.below))
          reject(field, `holds column ${value} at ${k}, outside [0, ${rule.below})`);
      }
    } else if (checkValues) {
      checkFloats(values, rule, (reason) => reject(field, reason));
    }
  }
  if (operation === 'statistics') {
    const moment = header.values?.kernelMoment;
    if (typeof moment !== 'number' || (checkValues && Number.isNaN(moment)))
      reject('value kernelMoment', 'must be a number (not NaN)');
  }
}

function checkFloats(values: ShardVector, rule: VectorRule, reject: (reason: string) => never) {
  for (let k = 0; k < values.length; k += 1) {
    const value = values[k]!;
    if (Number.isFinite(value)) {
      if (rule.nonnegative && value < 0) reject(`holds a negative value ${value} at ${k}`);
      continue;
    }
    if (Number.isNaN(value)) {
      if (!rule.allowNaN) reject(`holds NaN at ${k}`);
    } else if (value > 0) {
      if (!rule.allowPositiveInfinity) reject(`holds +Infinity at ${k}`);
    } else if (!rule.allowNegativeInfinity) {
      reject(`holds -Infinity at ${k}`);
    }
  }
}

/**
 * Whether the request itself carries NaN or `+Infinity` (in a float vector) or a non-finite
 * epsilon: then its answer may be non-finite too, and only its shape is checked.
 */
function requestHasNaNOrInfinity(request: ShardRequest): boolean {
  const epsilon = (request.header as { epsilon?: number }).epsilon;
  if (epsilon !== undefined && !Number.isFinite(epsilon)) return true;
  for (const vector of Object.values(request.vectors)) {
    if (!(vector instanceof Float64Array || vector instanceof Float32Array)) continue;
    for (let k = 0; k < vector.length; k += 1) {
      const value = vector[k]!;
      // -Infinity is a legitimate offset (a zero weight: eps log 0).
      if (Number.isNaN(value) || value === Number.POSITIVE_INFINITY) return true;
    }
  }
  return false;
}
