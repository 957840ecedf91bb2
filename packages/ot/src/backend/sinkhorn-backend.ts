/**
 * The Sinkhorn backend interface, version 1.
 *
 * A backend evaluates the few streaming passes that log-domain Sinkhorn and everything after it
 * need, over the kernel `K_ij = <x_i, y_j>` of two point clouds, without ever materialising the
 * n x m coupling (and, in `online` mode, without keeping the n x m kernel either: it is recomputed
 * block by block on every pass, the paper's "online" mode [klein2025]).
 *
 * Every cost that sinkflow supports is written `C_ij = u_i + v_j - K_ij` (the geometry supplies
 * `u`, `v`: zero for the dot-product cost, `1/2 ||x_i||^2` and `1/2 ||y_j||^2` for the squared
 * Euclidean cost), so a backend only ever sees *reduced* potentials `f~_i = f_i - u_i`,
 * `g~_j = g_j - v_j` and the plain dot product. The coupling is
 *
 *   P_ij = exp((f~_i + g~_j + K_ij) / eps).
 *
 * All vectors passed in and out are float64; the point clouds are float32 (row-major). A backend
 * may compute `K_ij` in float32 but must accumulate sums and log-sum-exps in float64 (or with a
 * compensated / two-level float32 scheme accurate to float32 rounding of each term).
 *
 * Backends are explicit values, not registered globally: pass one to the solver (docs/conventions.md, 3).
 * Every backend runs the conformance suite exported from `@sinkflow/ot/testing`.
 *
 * @example
 * ```ts
 * const backend = createJsBackend();
 * const kernel = await backend.prepare({ x, y, n, m, d, mode: 'online' });
 * await kernel.logSumExp({ side: 'rows', offsets: g, epsilon: 0.1, out: lse });
 * await kernel.dispose();
 * ```
 */
export interface SinkhornBackend {
  /** The version of this interface that the backend implements. */
  readonly specificationVersion: 'v1';
  /** A short name (`'js'`, `'wasm'`, `'gpujs'`, `'tfjs'`) shown in solver outputs. */
  readonly name: string;
  /**
   * What the backend runs on, for people: `'tfjs on webgpu (NVIDIA H200)'`, `'gpu.js cpu mode'`,
   * `'wasm, 2 threads'`. Optional (added in v1 without breaking it).
   */
  readonly description?: string;
  /**
   * Bytes a `dense` kernel keeps per entry of the n x m matrix, used to choose between dense and
   * online within a memory budget. @default 8 (K and K^T in float32)
   */
  readonly denseBytesPerEntry?: number;
  /**
   * The modes `prepare` accepts. Optional (added in v1 without breaking it).
   * @default ['dense', 'online']
   */
  readonly kernelModes?: readonly KernelMode[];
  /**
   * The most entries n m a `dense` (float32) kernel can keep, when the backend has a hard limit
   * (wasm32: 4 GiB of memory); `auto` does not pick `dense` beyond it. Optional. @default Infinity
   */
  readonly maxDenseEntries?: number;
  /**
   * Copies or uploads the two clouds (to shared memory, to a GPU) and, in `dense` mode, computes
   * and keeps `K` (and its transpose) once. The returned kernel owns those resources until
   * {@link PreparedKernel.dispose}.
   */
  prepare(problem: KernelProblem): Promise<PreparedKernel>;
}

/** The data a backend needs: two float32 point clouds in the same dimension. */
export interface KernelProblem {
  /** Row points, row-major, length `n * d` (already centred / projected by the geometry). */
  readonly x: Float32Array;
  /** Column points, row-major, length `m * d`. */
  readonly y: Float32Array;
  readonly n: number;
  readonly m: number;
  readonly d: number;
  /**
   * `dense`: compute `K` once and keep it (memory `8 n m` bytes for `K` and `K^T` in float32);
   * `online`: recompute `K` block by block on every pass (memory O((n + m) d)).
   */
  readonly mode: KernelMode;
}

/**
 * How the kernel matrix is handled: kept in memory in float32 (`dense`, K and K^T), kept once in
 * half precision as the anchored scaling kernel of stabilised Sinkhorn (`dense16`, 2 bytes an
 * entry, passes are matrix-vector products; only backends that list it in
 * {@link SinkhornBackend.kernelModes}), or recomputed on every pass (`online`).
 */
export type KernelMode = 'dense' | 'dense16' | 'online';

/** Which side a pass reduces over: `rows` gives one value per row i (a sum over j). */
export type KernelSide = 'rows' | 'columns';

/** A backend's handle on one prepared problem. */
export interface PreparedKernel {
  /** The mode this kernel was prepared in. */
  readonly mode: KernelMode;
  /**
   * Relative error of one kept kernel entry when it is coarser than float32 (`2^-11` for
   * `dense16`); absent otherwise. The solver asks for `exact` passes when its threshold is below
   * twice this value, and always for the passes that decide convergence.
   */
  readonly entryPrecision?: number;
  /**
   * For a kept kernel that is rebuilt on the fly (`dense16`): how often it was built, and how
   * many soft-max passes it answered against those the online kernel answered. Optional.
   */
  keptKernelReport?(): KeptKernelReport;
  /**
   * The soft-max pass:
   *
   *   side 'rows':    out_i = eps * log sum_j exp((h_j + K_ij) / eps),   h of length m, out of length n
   *   side 'columns': out_j = eps * log sum_i exp((h_i + K_ij) / eps),   h of length n, out of length m
   *
   * computed stably (shifted by the running maximum). The Sinkhorn updates are
   * `f~ = eps log a - (rows pass with h = g~)` and `g~ = eps log b - (columns pass with h = f~)`.
   * An `h` entry of `-Infinity` (zero weight) contributes nothing; if every term of a sum is
   * `-Infinity`, the output is `-Infinity`.
   */
  logSumExp(request: LogSumExpRequest): Promise<void>;
  /**
   * One streaming pass over the coupling `P_ij = exp((f~_i + g~_j + K_ij) / eps)` that returns
   * its row sums, column sums and `<P, K> = sum_ij P_ij K_ij` (everything the solver output
   * needs: marginal errors, transport costs in every convention, and the entropy
   * `H(P) = (<P, C> - <f, P 1> - <g, P^T 1>) / eps`).
   */
  statistics(request: StatisticsRequest): Promise<CouplingStatistics>;
  /**
   * Exact sampling of one column per requested row by the Gumbel-max trick [gumbel1954]:
   *
   *   out_k = argmax_j ( (g~_j + K_{rows_k, j}) / eps + G(seed, rows_k, j, draws_k) )
   *
   * which is distributed as `P_{i j} / sum_j P_{i j}` for `i = rows_k`. `G` is the counter-based
   * Gumbel noise of `@sinkflow/core` (`counterGumbel`), so the result does not depend on how a
   * backend splits the columns into blocks or the rows across threads. Ties (probability zero)
   * go to the smallest j.
   */
  sampleColumns(request: SampleColumnsRequest): Promise<void>;
  /**
   * Conditional expectation of column values under the coupling (the barycentric projection
   * when `values` is `y` itself):
   *
   *   out_{i,:} = sum_j P_ij values_{j,:} / sum_j P_ij,   P_ij proportional to exp((g~_j + K_ij) / eps)
   *
   * `values` is m x k row-major, `out` n x k. Row potentials do not matter (they cancel).
   */
  conditionalExpectation(request: ConditionalExpectationRequest): Promise<void>;
  /** Frees workers, shared buffers, GPU memory. The kernel must not be used afterwards. */
  dispose(): Promise<void>;
}

/** See {@link PreparedKernel.keptKernelReport}. */
export interface KeptKernelReport {
  /** Matrices built (the first included): each costs about two online passes. */
  readonly builds: number;
  /** Soft-max passes read from the kept matrix (matrix-vector products). */
  readonly keptPasses: number;
  /** Soft-max passes run online: stale anchor, new epsilon, or `exact: true`. */
  readonly exactPasses: number;
}

/** Arguments of {@link PreparedKernel.logSumExp}. */
export interface LogSumExpRequest {
  readonly side: KernelSide;
  /** `h`: length m for side 'rows', n for side 'columns'. */
  readonly offsets: Float64Array;
  /** The entropic regularisation, > 0. */
  readonly epsilon: number;
  /** Output, length n for side 'rows', m for side 'columns'. */
  readonly out: Float64Array;
  /**
   * Evaluate from the clouds, bypassing a kept copy coarser than float32 (only `dense16`
   * distinguishes). @default false
   */
  readonly exact?: boolean;
}

/** Arguments of {@link PreparedKernel.statistics}. */
export interface StatisticsRequest {
  /** Reduced row potentials `f~`, length n. */
  readonly rowPotentials: Float64Array;
  /** Reduced column potentials `g~`, length m. */
  readonly columnPotentials: Float64Array;
  readonly epsilon: number;
}

/** The result of {@link PreparedKernel.statistics}. */
export interface CouplingStatistics {
  /** `P 1`, length n. */
  readonly rowSums: Float64Array;
  /** `P^T 1`, length m. */
  readonly columnSums: Float64Array;
  /** `<P, K> = sum_ij P_ij <x_i, y_j>`. */
  readonly kernelMoment: number;
}

/** Arguments of {@link PreparedKernel.sampleColumns}. */
export interface SampleColumnsRequest {
  /** The row of each sample, each in [0, n). */
  readonly rows: Int32Array;
  /** The draw index of each sample (the fourth key of the Gumbel noise), same length as rows. */
  readonly draws: Uint32Array;
  /** Reduced column potentials `g~`, length m. */
  readonly columnPotentials: Float64Array;
  readonly epsilon: number;
  /** Seed of the counter-based Gumbel noise (a non-negative safe integer). */
  readonly seed: number;
  /** Output: the sampled column of each sample. */
  readonly out: Int32Array;
}

/** Arguments of {@link PreparedKernel.conditionalExpectation}. */
export interface ConditionalExpectationRequest {
  /** The rows to project, each in [0, n). */
  readonly rows: Int32Array;
  /** Reduced column potentials `g~`, length m. */
  readonly columnPotentials: Float64Array;
  readonly epsilon: number;
  /** Column values, m x k row-major (float32 or float64). */
  readonly values: Float32Array | Float64Array;
  /** k, the number of values per column. */
  readonly width: number;
  /** Output, rows.length x k row-major. */
  readonly out: Float64Array;
}
