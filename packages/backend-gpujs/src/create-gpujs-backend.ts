import { BackendUnavailableError, InvalidArgumentError } from '@sinkflow/core';
import type { SinkhornBackend } from '@sinkflow/ot';
import { GPUJS_MODES, type GpujsMode, type GpujsModeProbe } from './gpujs-mode.js';
import { loadGpujs } from './internal/gpujs-module.js';
import { prepareGpujsKernel } from './internal/prepare-gpujs-kernel.js';
import { probeGpujsMode } from './probe-gpujs-mode.js';

/** Options of {@link createGpujsBackend}. */
export interface GpujsBackendOptions {
  /**
   * The gpu.js mode to run in, or `'auto'` for the first of `webgpu`, `headlessgl`, `webasm`,
   * `cpu` that {@link probeGpujsMode} finds working. A named mode that cannot run rejects with a
   * `BackendUnavailableError` (backend `'gpujs:<mode>'`) instead of falling back.
   * @default 'auto'
   */
  readonly mode?: GpujsMode | 'auto';
  /**
   * Reduced points per kernel cell: each cell of a pass sums one tile of `tile` terms in float32
   * (the first level of the two-level accumulation), the host combines the `ceil(m / tile)` tiles
   * of a row in float64. Shorter tiles mean more cells (more parallelism, more host work) and
   * shorter float32 sums. The loops' `loopMaxIterations` follows it (never gpu.js's default of
   * 1000, past which gpu.js would stop a loop silently).
   * @default 256
   */
  readonly tile?: number;
  /**
   * `webasm` only: worker threads of gpu.js's pool (its default is all cores). `1` runs every
   * kernel synchronously on the calling thread; more runs gpu.js's asynchronous contract, which
   * splits a call of 4096 output cells or more across the workers.
   * @default undefined (gpu.js's default: all cores)
   */
  readonly threads?: number;
  /**
   * Milliseconds that probing one mode may take (loading Dawn, asking for an adapter, compiling
   * a test kernel) before it counts as unavailable.
   * @default 10000
   */
  readonly probeTimeout?: number;
}

/** A mode that `mode: 'auto'` passed over, and why. */
export interface GpujsSkippedMode {
  readonly mode: GpujsMode;
  readonly reason: string;
}

/** The gpu.js backend: a {@link SinkhornBackend} with the mode it runs in. */
export interface GpujsBackend extends SinkhornBackend {
  readonly name: 'gpujs';
  readonly description: string;
  /** The gpu.js mode every kernel of this backend runs in. */
  readonly mode: GpujsMode;
  /** The modes tried before `mode` and why they could not run (empty for a named mode). */
  readonly skipped: readonly GpujsSkippedMode[];
}

/**
 * The Sinkhorn backend (interface v1 of `@sinkflow/ot`) on gpu.js [gpujs2016]: every pass is a
 * gpu.js kernel, written once and compiled for WebGPU, headless WebGL, WebAssembly or plain
 * JavaScript, over the kernel `K_ij = <x_i, y_j>` recomputed on the fly in `online` mode (never an
 * n x m array) or kept once in float32 in `dense` mode [klein2025].
 *
 * The soft-min pass is a two-level log-sum-exp: a kernel cell reduces one tile of `tile` terms in
 * float32, streaming (a running maximum `M`, every exponent `<= 0`),
 *
 *   L_it = M_it + eps log sum_{j in tile t} exp((h'_j + K_ij - M_it) / eps),
 *
 * and the host combines a row's tiles in float64 [peyre2019, Remark 4.23]:
 * `out_i = max h + T_i + eps log sum_t exp((L_it - T_i) / eps)`, `T_i = max_t L_it`. The offsets
 * are shifted by their maximum in float64 before they are rounded to float32
 * (`h' = h - max h`), so potentials far larger than epsilon keep their precision, and floored
 * at -1e30, so `-Infinity` (zero weight) contributes exactly nothing. Statistics come from a rows
 * and a columns pass plus a moment kernel; sampling is Gumbel-max [gumbel1954] on kernel scores
 * with the keyed Philox noise of `@sinkflow/core` [salmon2011philox], so samples match the other
 * backends' up to float32 near-ties.
 *
 * Probing is safe: no unhandled rejection, no exit, each mode's probe bounded by `probeTimeout`.
 *
 * @throws {@link InvalidArgumentError} naming `options.mode`, `options.tile`, `options.threads` or
 *   `options.probeTimeout`; {@link BackendUnavailableError} when gpu.js cannot be imported, when a
 *   named mode cannot run (backend `'gpujs:<mode>'`, the message says why) or, for `'auto'`, when
 *   no mode can (all as rejections).
 * @example
 * ```ts
 * const backend = await createGpujsBackend({ mode: 'auto' });
 * backend.description; // 'gpu.js webasm mode, all cores (skipped webgpu, headlessgl)' on a CPU-only Linux box
 * backend.skipped[0]?.reason; // "the 'webgpu' package's Dawn binary needs GLIBCXX_3.4.32, ..."
 * const kernel = await backend.prepare({ x, y, n, m, d, mode: 'online' });
 * await kernel.logSumExp({ side: 'rows', offsets: g, epsilon: 0.05, out: lse });
 * await kernel.dispose();
 * ```
 */
export async function createGpujsBackend({
  mode = 'auto',
  tile = 256,
  threads,
  probeTimeout = 10_000,
}: GpujsBackendOptions = {}): Promise<GpujsBackend> {
  const functionName = 'createGpujsBackend';
  if (mode !== 'auto' && !GPUJS_MODES.includes(mode)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.mode',
      message: `must be 'auto' or one of ${GPUJS_MODES.map((name) => `'${name}'`).join(', ')}`,
      value: mode,
    });
  }
  if (!Number.isSafeInteger(tile) || tile < 1 || tile > 2 ** 20) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.tile',
      message: 'must be an integer in [1, 2^20]',
      value: tile,
    });
  }
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 1 || threads > 256)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.threads',
      message: 'must be an integer in [1, 256]',
      value: threads,
    });
  }
  if (!(probeTimeout > 0)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.probeTimeout',
      message: 'must be a positive number of milliseconds',
      value: probeTimeout,
    });
  }
  const gpujs = await loadGpujs();
  if (typeof gpujs === 'string')
    throw new BackendUnavailableError({ backend: 'gpujs', message: gpujs });

  const candidates = mode === 'auto' ? GPUJS_MODES : [mode];
  const skipped: GpujsSkippedMode[] = [];
  let chosen: GpujsMode | undefined;
  for (const candidate of candidates) {
    const probe: GpujsModeProbe = await probeGpujsMode({ mode: candidate, timeout: probeTimeout });
    if (probe.available) {
      chosen = candidate;
      break;
    }
    skipped.push({ mode: candidate, reason: probe.reason });
  }
  if (chosen === undefined) {
    if (mode !== 'auto') {
      throw new BackendUnavailableError({
        backend: `gpujs:${mode}`,
        message: `gpu.js mode '${mode}' cannot run here: ${skipped[0]?.reason}`,
      });
    }
    throw new BackendUnavailableError({
      backend: 'gpujs',
      message: `no gpu.js mode can run here: ${skipped.map((entry) => `${entry.mode}: ${entry.reason}`).join('; ')}`,
    });
  }
  const resolved = chosen;
  const where =
    resolved === 'webasm'
      ? `, ${threads === undefined ? 'all cores' : `${threads} thread${threads === 1 ? '' : 's'}`}`
      : '';
  const passedOver =
    skipped.length > 0 ? ` (skipped ${skipped.map((entry) => entry.mode).join(', ')})` : '';
  return {
    specificationVersion: 'v1',
    name: 'gpujs',
    description: `gpu.js ${resolved} mode${where}${passedOver}`,
    // K and K^T in float32, kept on the host.
    denseBytesPerEntry: 8,
    mode: resolved,
    skipped,
    prepare: (problem) => prepareGpujsKernel(problem, { gpujs, mode: resolved, tile, threads }),
  };
}
