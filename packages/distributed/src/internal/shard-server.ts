import { ProtocolError } from '@sinkflow/core';
import {
  createJsBackend,
  createWasmBackend,
  type SinkhornBackend,
  wasmBackendSupported,
} from '@sinkflow/ot';
import type { PreparedKernel } from '@sinkflow/ot/backend';
import {
  PROTOCOL_VERSION,
  type ShardBackendName,
  type ShardHandler,
  type ShardReply,
  type ShardRequest,
  type ShardVector,
} from '../collective/shard-protocol.js';
import { checkPrepare } from './check-prepare.js';

/** @internal The local backend of a shard, by name (`auto`: wasm where supported, else js). */
export function createLocalBackend(name: ShardBackendName, threads?: number): SinkhornBackend {
  if (name === 'js') return createJsBackend();
  if (name === 'wasm' || wasmBackendSupported())
    return createWasmBackend(threads === undefined ? {} : { threads });
  return createJsBackend();
}

interface ShardState {
  readonly backend: SinkhornBackend;
  /** Undefined for an empty block (P > n): its passes return empty / neutral results. */
  readonly kernel: PreparedKernel | undefined;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly rowStart: number;
  readonly rowCount: number;
  /** Its columns of Y: `[columnStart, columnStart + columnCount)` (`y` holds only those). */
  readonly columnStart: number;
  readonly columnCount: number;
  /** Lazily prepared for sampling: rows [0, rowStart + rowCount) with zeros before rowStart. */
  prefixKernel: PreparedKernel | undefined;
}

/**
 * @internal One shard: owns rows `I = [rowStart, rowStart + rowCount)` of X and columns
 * `J = [columnStart, columnStart + columnCount)` of Y (all of Y when only rows are sharded), and
 * runs the passes of the sharded kernel on an ordinary local backend over its block `I x J`:
 *
 * - `logSumExp` rows: the partial `out_i = eps log sum_{j in J} exp((g~_j + K_ij) / eps)` for its
 *   rows (the whole row when J is all columns), combined by the driver over column blocks;
 * - `logSumExp` columns: the partial `l_j = eps log sum_{i in I} exp((f~_i + K_ij) / eps)` for
 *   its columns, combined by the driver (`combineLogSumExp`) over row blocks;
 * - `statistics`: its partial row sums, partial column sums and partial `<P, K>`;
 * - `sampleColumns`: Gumbel-max for the rows it owns, keyed by their *global* index: the
 *   counter-based noise `G(seed, i, j, draw)` must see the same `i` as in one process, so sampling
 *   runs on a second, online kernel over rows `[0, rowStart + rowCount)` whose rows before
 *   `rowStart` are zeros (never requested), prepared on the first sampling request;
 * - `conditionalExpectation`: for the rows it owns (no noise, local indices);
 * - grid layout only: `sampleBlockColumns` (Gumbel-max inside its block, local indices, a seed of
 *   its own) and `blockConditionalExpectation` (means over J with the block's partial row
 *   log-sum-exps, which the driver turns into the mixture weights).
 */
export class ShardServer implements ShardHandler {
  private state: ShardState | undefined;

  async handle(request: ShardRequest): Promise<ShardReply> {
    const started = performance.now();
    try {
      const { values, vectors } = await this.run(request);
      return {
        header: { ok: true, computeMilliseconds: performance.now() - started, values },
        vectors,
      };
    } catch (error) {
      return {
        header: {
          ok: false,
          errorName: error instanceof Error ? error.name : 'Error',
          message: error instanceof Error ? error.message : String(error),
        },
        vectors: {},
      };
    }
  }

  private async run(request: ShardRequest): Promise<{
    values?: Record<string, number | string>;
    vectors: Record<string, ShardVector>;
  }> {
    const { header, vectors } = request;
    switch (header.op) {
      case 'prepare': {
        await this.dispose();
        const backend = createLocalBackend(header.backend, header.threads);
        const x = vector(vectors, 'x', Float32Array);
        const y = vector(vectors, 'y', Float32Array);
        const { n, m, d, rowStart, rowCount, mode } = header;
        const columnStart = header.columnStart ?? 0;
        const columnCount = header.columnCount ?? m;
        checkPrepare(header, x, y);
        const kernel =
          rowCount === 0 || columnCount === 0
            ? undefined
            : await backend.prepare({ x, y, n: rowCount, m: columnCount, d, mode });
        this.state = {
          backend,
          kernel,
          x,
          y,
          n,
          m,
          d,
          rowStart,
          rowCount,
          columnStart,
          columnCount,
          prefixKernel: undefined,
        };
        return {
          values: {
            protocol: PROTOCOL_VERSION,
            backend: backend.name,
            description: backend.description ?? backend.name,
            // Echoed so that a driver can tell a shard that knows column blocks.
            columnStart,
            columnCount,
          },
          vectors: {},
        };
      }
      case 'logSumExp': {
        const state = this.use();
        const offsets = vector(vectors, 'offsets', Float64Array);
        const { epsilon } = header;
        const out = new Float64Array(header.side === 'rows' ? state.rowCount : state.columnCount);
        if (state.kernel === undefined) out.fill(Number.NEGATIVE_INFINITY);
        else {
          const exact = header.exact === true;
          await state.kernel.logSumExp({ side: header.side, offsets, epsilon, out, exact });
        }
        return { vectors: { out } };
      }
      case 'statistics': {
        const state = this.use();
        if (state.kernel === undefined) {
          return {
            values: { kernelMoment: 0 },
            vectors: {
              rowSums: new Float64Array(state.rowCount),
              columnSums: new Float64Array(state.columnCount),
            },
          };
        }
        const result = await state.kernel.statistics({
          rowPotentials: vector(vectors, 'rowPotentials', Float64Array),
          columnPotentials: vector(vectors, 'columnPotentials', Float64Array),
          epsilon: header.epsilon,
        });
        return {
          values: { kernelMoment: result.kernelMoment },
          vectors: { rowSums: result.rowSums, columnSums: result.columnSums },
        };
      }
      case 'sampleColumns': {
        const state = this.use();
        const rows = vector(vectors, 'rows', Int32Array);
        const out = new Int32Array(rows.length);
        if (rows.length > 0) {
          requireAllColumns(state, 'sampleColumns');
          const kernel = await this.prefix(state);
          await kernel.sampleColumns({
            rows,
            draws: vector(vectors, 'draws', Uint32Array),
            columnPotentials: vector(vectors, 'columnPotentials', Float64Array),
            epsilon: header.epsilon,
            seed: header.seed,
            out,
          });
        }
        return { vectors: { out } };
      }
      case 'conditionalExpectation': {
        const state = this.use();
        const rows = vector(vectors, 'rows', Int32Array);
        const local = rows.map((row) => row - state.rowStart);
        const values = vectors.values;
        if (!(values instanceof Float64Array || values instanceof Float32Array))
          throw new ProtocolError({
            channel: 'shard request',
            message: "conditionalExpectation needs a float vector 'values'",
          });
        const out = new Float64Array(rows.length * header.width);
        if (rows.length > 0) requireAllColumns(state, 'conditionalExpectation');
        if (rows.length > 0 && state.kernel !== undefined) {
          await state.kernel.conditionalExpectation({
            rows: local,
            columnPotentials: vector(vectors, 'columnPotentials', Float64Array),
            epsilon: header.epsilon,
            values,
            width: header.width,
            out,
          });
        }
        return { vectors: { out } };
      }
      case 'sampleBlockColumns': {
        const state = this.use();
        const rows = vector(vectors, 'rows', Int32Array);
        const out = new Int32Array(rows.length);
        if (rows.length > 0 && state.kernel !== undefined) {
          await state.kernel.sampleColumns({
            rows,
            draws: vector(vectors, 'draws', Uint32Array),
            columnPotentials: vector(vectors, 'columnPotentials', Float64Array),
            epsilon: header.epsilon,
            seed: header.seed,
            out,
          });
        }
        return { vectors: { out } };
      }
      case 'blockConditionalExpectation': {
        const state = this.use();
        const rows = vector(vectors, 'rows', Int32Array);
        const values = vectors.values;
        if (!(values instanceof Float64Array || values instanceof Float32Array))
          throw new ProtocolError({
            channel: 'shard request',
            message: "blockConditionalExpectation needs a float vector 'values'",
          });
        const out = new Float64Array(rows.length * header.width);
        const logMass = new Float64Array(rows.length).fill(Number.NEGATIVE_INFINITY);
        if (rows.length > 0 && state.kernel !== undefined) {
          const columnPotentials = vector(vectors, 'columnPotentials', Float64Array);
          await state.kernel.conditionalExpectation({
            rows,
            columnPotentials,
            epsilon: header.epsilon,
            values,
            width: header.width,
            out,
          });
          // The block's mass of each row, eps LSE_{j in J}((g~_j + K_ij) / eps): one rows pass
          // over the block (the local backend has no per-row variant).
          const all = new Float64Array(state.rowCount);
          await state.kernel.logSumExp({
            side: 'rows',
            offsets: columnPotentials,
            epsilon: header.epsilon,
            out: all,
          });
          for (let k = 0; k < rows.length; k += 1) logMass[k] = all[rows[k]!]!;
        }
        return { vectors: { out, logMass } };
      }
      case 'dispose':
        await this.dispose();
        return { vectors: {} };
      default:
        throw new ProtocolError({
          channel: 'shard request',
          message: `unknown shard operation '${(header as { op: string }).op}'`,
        });
    }
  }

  /** Frees the kernels (also on a new `prepare`). */
  async dispose(): Promise<void> {
    const state = this.state;
    this.state = undefined;
    if (state === undefined) return;
    await state.kernel?.dispose();
    await state.prefixKernel?.dispose();
  }

  private use(): ShardState {
    if (this.state === undefined) {
      throw new ProtocolError({
        channel: 'shard request',
        message: 'the shard has no prepared kernel',
      });
    }
    return this.state;
  }

  private async prefix(state: ShardState): Promise<PreparedKernel> {
    if (state.prefixKernel === undefined) {
      const rows = state.rowStart + state.rowCount;
      const x = new Float32Array(rows * state.d);
      x.set(state.x, state.rowStart * state.d);
      state.prefixKernel = await state.backend.prepare({
        x,
        y: state.y,
        n: rows,
        m: state.m,
        d: state.d,
        mode: 'online',
      });
    }
    return state.prefixKernel;
  }
}

/** The global-row sampler and the plain projection need all of Y (row sharding). */
function requireAllColumns(state: ShardState, operation: string): void {
  if (state.columnStart !== 0 || state.columnCount !== state.m)
    throw new ProtocolError({
      channel: 'shard request',
      message: `${operation} needs all columns; this shard owns a column block`,
    });
}

function vector<T extends ShardVector>(
  vectors: Readonly<Record<string, ShardVector>>,
  name: string,
  type: { new (length: number): T; name: string },
): T {
  const value = vectors[name];
  if (!(value instanceof type))
    throw new ProtocolError({
      channel: 'shard request',
      message: `missing the ${type.name} '${name}'`,
    });
  return value as T;
}
