import {
  BackendUnavailableError,
  InvalidArgumentError,
  requireInteger,
  requireOneOf,
} from '@sinkflow/core';
import type { SinkhornBackend } from '@sinkflow/ot';
import { type ActiveVariant, activateVariant } from './internal/activate-variant.js';
import { prepareTfjsKernel } from './internal/prepare-tfjs-kernel.js';
import { loadTfjsCore, type TfModule } from './internal/tfjs-module.js';
import type { TfjsBackendName, TfjsSkippedVariant, TfjsVariant } from './tfjs-variant.js';

/**
 * Options of {@link createTfjsBackend}.
 *
 * @example
 * ```ts
 * const options: TfjsBackendOptions = { backend: 'wasm', columnBlock: 256 };
 * ```
 */
export interface TfjsBackendOptions {
  /**
   * The TensorFlow.js module whose backends are used: `@tensorflow/tfjs-core`, or the
   * `@tensorflow/tfjs` / `@tensorflow/tfjs-node` namespace your application already loaded (pass
   * it when several copies of tfjs-core are installed, so that the backends registered by
   * tfjs-node are found). @default the `@tensorflow/tfjs-core` this package resolves
   */
  readonly tf?: typeof import('@tensorflow/tfjs-core');
  /**
   * Which TensorFlow.js backend to run on. `'auto'` takes the first that works of
   * tfjs-node-gpu (CUDA), tfjs-node (`'tensorflow'`), `'webgpu'`, `'wasm'`, `'cpu'` and records
   * why the others were skipped; a named backend is tried alone (`'tensorflow'` tries
   * tfjs-node-gpu, then tfjs-node) and its failure rejects with a `BackendUnavailableError`.
   * @default 'auto'
   */
  readonly backend?: 'auto' | TfjsBackendName;
  /**
   * Rows of K per device block (a block holds rowBlock x m scores). `'auto'` keeps a block near
   * 2^20 scores on `wasm` / `cpu` (cache-sized), 2^22 on tfjs-node without a GPU and 2^24 on a
   * GPU (CUDA or WebGPU), where each block costs a dozen kernel launches and one download.
   * @default 'auto'
   */
  readonly rowBlock?: number | 'auto';
  /**
   * Entries per column block of the two-level log-sum-exp: each float32 partial sum on the
   * device has at most this many terms; the partials are merged in float64.
   * @default 256
   */
  readonly columnBlock?: number;
}

/**
 * A {@link SinkhornBackend} on TensorFlow.js, with what it runs on and why faster variants were
 * skipped.
 *
 * @example
 * ```ts
 * const backend: TfjsSinkhornBackend = await createTfjsBackend();
 * backend.tfjsBackend; // 'wasm' on a machine without tfjs-node and without WebGPU
 * backend.skipped.map((entry) => entry.variant); // ['tfjs-node-gpu', 'tfjs-node', 'webgpu']
 * ```
 */
export interface TfjsSinkhornBackend extends SinkhornBackend {
  readonly name: 'tfjs';
  /** `'tfjs on wasm (XNNPACK, 1 thread, SIMD)'`, followed by the skipped variants and why. */
  readonly description: string;
  /** The TensorFlow.js backend the passes run on. */
  readonly tfjsBackend: TfjsBackendName;
  /** The variant that provides it. */
  readonly variant: TfjsVariant;
  /** The variants tried before it, with the reason each could not run. */
  readonly skipped: readonly TfjsSkippedVariant[];
}

const variantsByBackend: Readonly<Record<'auto' | TfjsBackendName, readonly TfjsVariant[]>> = {
  auto: ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu'],
  tensorflow: ['tfjs-node-gpu', 'tfjs-node'],
  webgpu: ['webgpu'],
  wasm: ['wasm'],
  cpu: ['cpu'],
};

/**
 * Creates the Sinkhorn backend (interface v1 of `@sinkflow/ot`) on TensorFlow.js [smilkov2019]:
 * the soft-min passes, the statistics pass, Gumbel-max sampling and conditional expectations
 * over `K = X Y^T`, with `K` recomputed block by block by `tf.matMul` in `online` mode (memory
 * O((n + m) d + rowBlock m)) or kept once on the device in `dense` mode (K and K^T, float32).
 *
 * TensorFlow.js computes in float32. Each pass therefore uses a two-level log-sum-exp: offsets are
 * shifted by their maximum H in float64 first, then the device reduces each row block to per
 * column block partials `m_b = max_j z_j`, `s_b = sum_j exp(z_j - m_b)` with
 * `z_j = (h_j - H + K_ij) / eps`, and the partials are merged in float64:
 *
 *   eps log sum_j exp((h_j + K_ij) / eps) = H + eps (M + log sum_b s_b exp(m_b - M)),  M = max_b m_b
 *
 * [peyre2019, Remark 4.23; higham2002, Sec. 4.2]. Errors are those of float32 `K_ij` and
 * `h_j - H` (relative 2^-24 of each, divided by eps), not of the sums. Gumbel noise is the keyed
 * float64 noise of `@sinkflow/core`, added on the CPU, so samples equal the other backends'
 * wherever the float32 scores do not reorder two near-equal candidates [gumbel1954].
 *
 * Resolves once the TensorFlow.js backend is initialised; rejects with a
 * `BackendUnavailableError` (`backend` is `'tfjs'` for 'auto', else `'tfjs:<name>'`) listing the
 * reason of each variant tried, and with an `InvalidArgumentError` for bad options.
 *
 * @param options - See {@link TfjsBackendOptions}.
 * @example
 * ```ts
 * const backend = await createTfjsBackend({ backend: 'wasm' });
 * backend.description; // 'tfjs on wasm (XNNPACK, 1 thread, SIMD)'
 * const solution = await solveSinkhorn({ x, y, backend });
 * ```
 */
export async function createTfjsBackend({
  tf,
  backend = 'auto',
  rowBlock = 'auto',
  columnBlock = 256,
}: TfjsBackendOptions = {}): Promise<TfjsSinkhornBackend> {
  const functionName = 'createTfjsBackend';
  requireOneOf(backend, ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'], {
    functionName,
    argumentName: 'backend',
  });
  if (rowBlock !== 'auto') {
    requireInteger(rowBlock, { functionName, argumentName: 'rowBlock', minimum: 1 });
  }
  requireInteger(columnBlock, { functionName, argumentName: 'columnBlock', minimum: 1 });
  if (tf !== undefined && typeof (tf as Partial<TfModule>).setBackend !== 'function') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'tf',
      message: 'must be the @tensorflow/tfjs-core (or @tensorflow/tfjs) module',
      value: tf,
    });
  }
  const module = tf ?? (await loadTfjsCore());
  const skipped: TfjsSkippedVariant[] = [];
  let active: ActiveVariant | undefined;
  for (const variant of variantsByBackend[backend]) {
    try {
      active = await activateVariant(module, variant);
      break;
    } catch (error) {
      const reason = BackendUnavailableError.isInstance(error)
        ? error.reason
        : error instanceof Error
          ? error.message
          : String(error);
      skipped.push({ variant, reason });
    }
  }
  if (active === undefined) {
    throw new BackendUnavailableError({
      backend: backend === 'auto' ? 'tfjs' : `tfjs:${backend}`,
      message: skipped.map(({ variant, reason }) => `${variant}: ${reason}`).join('; '),
    });
  }
  const { backendName, variant, detail, blockEntries } = active;
  const settings = { tf: module, backendName, rowBlock, columnBlock, blockEntries };
  const notes = skipped.map((entry) => `${entry.variant}: ${entry.reason}`);
  return {
    specificationVersion: 'v1',
    name: 'tfjs',
    description: `tfjs on ${backendName} (${detail})${notes.length === 0 ? '' : `; skipped ${notes.join('; ')}`}`,
    // K and K^T in float32.
    denseBytesPerEntry: 8,
    tfjsBackend: backendName,
    variant,
    skipped,
    prepare: (problem) => prepareTfjsKernel(settings, problem),
  };
}
