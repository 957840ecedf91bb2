import { checkEpsilon, checkRequestLengths } from '../check-requests.js';
import type { KernelProblem, LogSumExpRequest } from '../sinkhorn-backend.js';
import type { KernelContext } from './kernel-context.js';
import { runLogSumExp } from './log-sum-exp-pass.js';
import { tileIndex, writeShiftedOffsets } from './pass-inputs.js';

/** Stored values are 2^14 times the anchored kernel (see scripts/wasm/half-kernel.mjs). */
const STORAGE_EXPONENT = 14;
/** Decoded halves are 2^-112 Q; the weights carry 2^(112 - 14) back. */
const WEIGHT_SCALE = 2 ** (112 - STORAGE_EXPONENT);
/**
 * Each anchored entry below 2^-28 (where halves turn subnormal once the 2^14 scale is undone) is
 * off by at most 2^-39, so a sum S of entries times weights (each <= 1, total W) is off by at most
 * W 2^-39 beyond the 2^-11 rounding of normal halves: a relative error bound of W 2^-39 / S on top.
 */
const SUBNORMAL_ERROR = 2 ** -39;
/** The anchor is stale when one sum's subnormal bound exceeds this (6 %)... @internal */
export const LARGEST_ERROR = 2 ** -4;
/**
 * ...or when the mean of the subnormal part W 2^-39 / S over the outputs exceeds this: the next
 * potentials then move the L1 marginal error (a weighted mean of such relative errors) by at most
 * about 2^-12 beyond the rounding of the normal halves.
 */
export const MEAN_ERROR = 2 ** -12;

/**
 * A columns pass of one row chunk whose output is combined with other chunks' (see
 * `prepareRowChunkedKernel`): with `columnBounds`, a pass read from the kept matrix skips its own
 * staleness test and writes there, per column, the log of the absolute error bound of its partial
 * sum in the units of `exp(out_j / eps)`, `-beta'_j / eps + D' + ln(W 2^-39)` (-inf when it
 * answered exactly), so that the caller judges the bound of the combined sum, where a chunk's
 * small partial sums weigh little. @internal
 */
export interface PartialColumnsRequest extends LogSumExpRequest {
  readonly columnBounds?: Float64Array;
}

/**
 * Where the anchored kernel stands: the epsilon it was built for, the column anchor
 * beta'_j (float64, its maximum subtracted and clamped as the kernels want) and the row shifts
 * Ms_i (integers, float64), so that
 *
 *   exp(K_ij / eps) = Ktilde_ij 2^(Ms_i) exp(-beta'_j / eps),   Q_ij = half(2^14 Ktilde_ij).
 *
 * @internal
 */
export class HalfKernelAnchor {
  epsilon = Number.NaN;
  columnAnchor: Float64Array = new Float64Array(0);
  rowShifts: Float64Array = new Float64Array(0);
  /** Matrices built (the first one included). */
  builds = 0;
  /** Passes answered from the kept matrix. */
  keptPasses = 0;
  /** Passes answered by the online kernel (stale anchor, new epsilon, or `exact`). */
  exactPasses = 0;
  /** The offsets of the last rows pass (all finite) and its epsilon: a ready anchor. */
  lastRowOffsets: Float64Array | undefined;
  lastRowEpsilon = Number.NaN;

  get anchored(): boolean {
    return this.columnAnchor.length > 0;
  }
}

/**
 * The soft-max pass on the kept half-precision anchored kernel (`dense16` mode) [schmitzer2019]:
 *
 *   rows:    eps LSE_j((h_j + K_ij)/eps) = eps (Ms_i ln 2 + D + ln T_i),
 *            T_i = sum_j Ktilde_ij w_j,  w_j = exp((h_j - beta'_j)/eps - D),  D = max_j (h_j - beta'_j)/eps;
 *   columns: eps LSE_i((h_i + K_ij)/eps) = -beta'_j + eps (D' + ln U_j),
 *            U_j = sum_i Ktilde_ij u_i,  u_i = exp(h_i/eps + Ms_i ln 2 - D'),
 *
 * one matrix-vector product each way on the same stored matrix (no exponential per entry). Every
 * result is checked: sums so small that the subnormal halves may move them by more than 6 % (one
 * output) or 2^-12 (on average) mean that the anchor no longer resolves them (see `isStale`), and
 * a new epsilon needs a new anchor. Then the matrix is rebuilt around new offsets (absorption
 * [schmitzer2019]): a rows pass answers exactly and rebuilds in one sweep of the tile, beta' = h'
 * and Ms_i its row shifts (every row's largest entry about 1); a columns pass rebuilds around the
 * last rows pass's offsets and answers from the new matrix, or (at a new epsilon, or when that is
 * stale too) answers exactly online and rebuilds around its output l_j: beta = -l and
 * Ms_i = -round(s (h_i + max beta)) (every column sums to 1). Offsets with -inf entries (zero weights) never become an anchor: such passes run
 * online. `request.exact` asks for the online kernel explicitly.
 *
 * @example
 * ```ts
 * runHalfLogSumExp(context, problem, anchor, { side: 'rows', offsets: g, epsilon: 0.05, out: f });
 * ```
 * @internal
 */
export function runHalfLogSumExp(
  context: KernelContext,
  problem: KernelProblem,
  anchor: HalfKernelAnchor,
  request: PartialColumnsRequest,
): void {
  const functionName = 'createWasmBackend.logSumExp';
  const { side, offsets, out } = request;
  const bounds = side === 'columns' ? request.columnBounds : undefined;
  bounds?.fill(Number.NEGATIVE_INFINITY);
  checkRequestLengths(functionName, problem, side, offsets.length, out.length);
  const epsilon = checkEpsilon(functionName, request.epsilon);
  const exactOnly =
    request.exact === true ||
    context.clouds.badRows.length > 0 ||
    context.clouds.badColumns.length > 0;
  const finite = !exactOnly && offsets.every(Number.isFinite);
  if (side === 'rows' && finite) {
    anchor.lastRowOffsets = offsets.slice();
    anchor.lastRowEpsilon = epsilon;
  }
  if (!exactOnly && anchor.anchored && anchor.epsilon === epsilon) {
    const fresh =
      side === 'rows'
        ? storedRows(context, anchor, offsets, epsilon, out)
        : storedColumns(context, anchor, offsets, epsilon, out, bounds);
    if (fresh) return;
  }
  if (finite && side === 'rows') {
    // The exact pass and the new matrix around its offsets, in one sweep of the tile.
    if (buildWithRowsPass(context, anchor, offsets, epsilon, out, functionName)) {
      anchor.exactPasses += 1;
      return;
    }
  } else if (finite && anchor.lastRowOffsets !== undefined && anchor.lastRowEpsilon === epsilon) {
    // A stale columns pass: a new matrix around the last rows pass's offsets (one sweep), then
    // the columns pass from it; if even that is stale, the exact pass below.
    const discarded = new Float64Array(problem.n);
    const offsetsOfRows = anchor.lastRowOffsets;
    if (
      buildWithRowsPass(context, anchor, offsetsOfRows, epsilon, discarded, functionName) &&
      storedColumns(context, anchor, offsets, epsilon, out, bounds)
    ) {
      return;
    }
  }
  anchor.exactPasses += 1;
  // The exact answer (online kernel), then (columns) a new anchor around its output.
  bounds?.fill(Number.NEGATIVE_INFINITY);
  runLogSumExp(context, problem, request);
  if (!finite || !out.every(Number.isFinite) || side === 'rows') return;
  anchorFromColumns(context, anchor, offsets, out, epsilon, functionName);
}

/** Rows pass on the kept matrix; false (nothing written) when the anchor is stale. */
function storedRows(
  context: KernelContext,
  anchor: HalfKernelAnchor,
  offsets: Float64Array,
  epsilon: number,
  out: Float64Array,
): boolean {
  const { plan, tuning } = context;
  const weights = writeWeights(
    context,
    Float64Array.from(
      { length: plan.m },
      (_, j) => ((offsets[j] as number) - (anchor.columnAnchor[j] as number)) / epsilon,
    ),
    plan.mPad,
  );
  if (weights === 'stale') return false;
  if (weights === 'empty') {
    out.fill(Number.NEGATIVE_INFINITY);
    return true;
  }
  const args = [plan.half, 2 * plan.mPad, plan.nPad, plan.mPad, plan.offsets32, plan.outSum];
  context.run(
    'half_rows',
    [...args, plan.counter, tuning.rowGroup, tuning.columnBlock],
    plan.nPad * plan.mPad * 2,
  );
  const sums = new Float64Array(context.buffer, plan.outSum, plan.n);
  if (isStale(sums, weights.total)) return false;
  for (let i = 0; i < plan.n; i += 1) {
    const shift = (anchor.rowShifts[i] as number) * Math.LN2;
    out[i] = epsilon * (shift + weights.top + Math.log(sums[i] as number));
  }
  anchor.keptPasses += 1;
  return true;
}

/**
 * Columns pass on the kept matrix; false (nothing written) when the anchor is stale. With
 * `bounds`, the staleness test is the caller's: the per-column bounds go there instead.
 */
function storedColumns(
  context: KernelContext,
  anchor: HalfKernelAnchor,
  offsets: Float64Array,
  epsilon: number,
  out: Float64Array,
  bounds?: Float64Array,
): boolean {
  const { plan, tuning } = context;
  const weights = writeWeights(
    context,
    Float64Array.from(
      { length: plan.n },
      (_, i) => (offsets[i] as number) / epsilon + (anchor.rowShifts[i] as number) * Math.LN2,
    ),
    plan.nPad,
  );
  if (weights === 'stale') return false;
  if (weights === 'empty') {
    out.fill(Number.NEGATIVE_INFINITY);
    return true;
  }
  context.clearColumnSums();
  const args = [plan.half, 2 * plan.mPad, plan.nPad, plan.mPad, plan.offsets32, plan.columnSums];
  context.run(
    'half_columns',
    [...args, plan.counter, tuning.rowGroup, tuning.columnBlock],
    plan.nPad * plan.mPad * 2,
  );
  const sums = context.columnSums();
  if (bounds === undefined) {
    if (isStale(sums, weights.total)) return false;
  } else {
    const logFloor = weights.top + Math.log(weights.total * SUBNORMAL_ERROR);
    for (let j = 0; j < plan.m; j += 1)
      bounds[j] = logFloor - (anchor.columnAnchor[j] as number) / epsilon;
  }
  for (let j = 0; j < plan.m; j += 1) {
    out[j] =
      -(anchor.columnAnchor[j] as number) + epsilon * (weights.top + Math.log(sums[j] as number));
  }
  anchor.keptPasses += 1;
  return true;
}

/**
 * Writes the float32 weights exp(l - D) 2^98 of the log-weights l (D = max l, so every weight is
 * at most 1; 2^98 undoes the 2^-112 of the decoded halves and their 2^14 scale) to
 * plan.offsets32, zero-padded to `padded`. Returns D and the total weight; `'empty'` when every
 * l is -inf (the pass is -inf), `'stale'` on a NaN or +inf (the exact pass answers, with the
 * reference's NaN rules).
 */
function writeWeights(
  context: KernelContext,
  logWeights: Float64Array,
  padded: number,
): { readonly top: number; readonly total: number } | 'empty' | 'stale' {
  let top = Number.NEGATIVE_INFINITY;
  for (const value of logWeights) {
    if (Number.isNaN(value) || value === Number.POSITIVE_INFINITY) return 'stale';
    if (value > top) top = value;
  }
  if (top === Number.NEGATIVE_INFINITY) return 'empty';
  const weights = new Float32Array(context.buffer, context.plan.offsets32, padded);
  weights.fill(0);
  let total = 0;
  for (let k = 0; k < logWeights.length; k += 1) {
    const weight = Math.exp((logWeights[k] as number) - top);
    total += weight;
    weights[k] = weight * WEIGHT_SCALE;
  }
  return { top, total };
}

/**
 * The exact rows pass for offsets h and a new matrix around them, in one sweep of the X Y^T tile
 * (`build_half_exact`): beta' = h' (h - max h, clamped, as the pass uses it) and Ms_i the pass's
 * integer row shifts, so every row's largest entry is about 1. Writes the pass's answer
 * max h + eps (Ms_i ln 2 + ln S_i) to `out`, as `runLogSumExp` does. False (nothing done) when
 * the offsets are not all finite.
 */
function buildWithRowsPass(
  context: KernelContext,
  anchor: HalfKernelAnchor,
  offsets: Float64Array,
  epsilon: number,
  out: Float64Array,
  functionName: string,
): boolean {
  const { plan, tuning } = context;
  const shifted = writeShiftedOffsets(context, offsets, plan.mPad, epsilon, functionName);
  if (shifted.kind !== 'finite') return false;
  context.run(
    'build_half_exact',
    [
      plan.xRows,
      4 * plan.d,
      plan.d,
      plan.yPanels,
      plan.nPad,
      plan.mPad,
      plan.offsets,
      plan.offsets32,
      Math.LOG2E / epsilon,
      plan.outShift,
      plan.outSum,
      plan.half,
      2 * plan.mPad,
      plan.rowBuffer,
      plan.counter,
      tuning.rowGroup,
      tuning.columnBlock,
      tileIndex(plan.d),
    ],
    plan.nPad * plan.mPad * (plan.d + 16),
  );
  const shifts = new Float64Array(context.buffer, plan.outShift, plan.n);
  const sums = new Float64Array(context.buffer, plan.outSum, plan.n);
  for (let i = 0; i < plan.n; i += 1) {
    out[i] =
      shifted.top +
      (epsilon * Math.LN2 * (shifts[i] as number) + epsilon * Math.log(sums[i] as number));
  }
  anchor.columnAnchor = new Float64Array(context.buffer, plan.offsets, plan.m).slice();
  anchor.rowShifts = shifts.slice();
  anchor.epsilon = epsilon;
  anchor.builds += 1;
  return true;
}

/**
 * New anchor after an exact columns pass with output l: beta = -l (every column of the anchored
 * kernel then sums to 1) and Ms_i = -round(s (h_i + max beta)).
 */
function anchorFromColumns(
  context: KernelContext,
  anchor: HalfKernelAnchor,
  rowOffsets: Float64Array,
  columnOutput: Float64Array,
  epsilon: number,
  functionName: string,
): void {
  const { plan } = context;
  const beta = columnOutput.map((value) => -value);
  const shifted = writeShiftedOffsets(context, beta, plan.mPad, epsilon, functionName);
  if (shifted.kind !== 'finite') return;
  const scale = Math.LOG2E / epsilon;
  const shifts = new Float64Array(context.buffer, plan.outShift, plan.nPad);
  // Padded rows: zero points; any shift keeps their entries below 2^0.5 once >= max beta' s.
  shifts.fill(0);
  for (let i = 0; i < plan.n; i += 1)
    shifts[i] = -Math.round(scale * ((rowOffsets[i] as number) + shifted.top));
  // The build reads beta' = beta - max beta (clamped) from plan.offsets: that is the anchor.
  anchor.columnAnchor = new Float64Array(context.buffer, plan.offsets, plan.m).slice();
  buildHalf(context, epsilon);
  anchor.rowShifts = shifts.slice(0, plan.n);
  anchor.epsilon = epsilon;
  anchor.builds += 1;
}

/** Q = half(2^14 2^((h'_j + K_ij) s - Ms_i)) from plan.offsets (h') and plan.outShift (Ms). */
function buildHalf(context: KernelContext, epsilon: number): void {
  const { plan, tuning } = context;
  context.run(
    'build_half',
    [
      plan.xRows,
      4 * plan.d,
      plan.d,
      plan.yPanels,
      plan.nPad,
      plan.mPad,
      plan.offsets,
      Math.LOG2E / epsilon,
      plan.outShift,
      plan.half,
      2 * plan.mPad,
      plan.counter,
      tuning.rowGroup,
      tuning.columnBlock,
      tileIndex(plan.d),
    ],
    plan.nPad * plan.mPad * (plan.d + 16),
  );
}

/**
 * Whether sums of kept entries times weights (total `totalWeight`) are too small to trust: the
 * largest subnormal error bound above `LARGEST_ERROR`, or their mean above `MEAN_ERROR`. NaN sums
 * are stale too.
 */
function isStale(sums: Float64Array, totalWeight: number): boolean {
  const floor = totalWeight * SUBNORMAL_ERROR;
  let total = 0;
  for (let k = 0; k < sums.length; k += 1) {
    const bound = floor / (sums[k] as number);
    if (!(bound <= LARGEST_ERROR)) return true;
    total += bound;
  }
  return total > MEAN_ERROR * sums.length;
}
