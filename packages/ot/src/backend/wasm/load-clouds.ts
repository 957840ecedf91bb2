import type { KernelProblem } from '../sinkhorn-backend.js';
import type { MemoryPlan } from './memory-plan.js';
import { PANEL_WIDTH } from './memory-plan.js';

/** What the host remembers about the clouds after copying them. @internal */
export interface CloudSummary {
  /** Rows of x (resp. columns, points of y) with a NaN or infinite coordinate; empty when none. */
  readonly badRows: readonly number[];
  readonly badColumns: readonly number[];
  /** The largest Euclidean norm of a point of x (resp. y), over finite points. */
  readonly maximumNormX: number;
  readonly maximumNormY: number;
}

/**
 * Copies both clouds into the kernel's memory in the two layouts the kernels read: row-major
 * (`xRows`, `yRows`: the broadcast side of a tile) and panels of 8 points
 * (`panel[c][l] = point_{8p+l, c}`: the vector side). Padding rows are zeros. Also records the
 * points with a non-finite coordinate (their kernel values are NaN; the passes report NaN for
 * what depends on them, as the reference backend does) and the largest norms (a bound of |K_ij|).
 *
 * @example
 * ```ts
 * const clouds = loadClouds(memory.buffer, plan, problem); // clouds.badRows: []
 * ```
 * @internal
 */
export function loadClouds(
  memory: ArrayBufferLike,
  plan: MemoryPlan,
  problem: KernelProblem,
): CloudSummary {
  const { d, nPad, mPad } = plan;
  const x = scanAndCopy(memory, plan.xRows, problem.x, problem.n, nPad, d);
  const y = scanAndCopy(memory, plan.yRows, problem.y, problem.m, mPad, d);
  writePanels(new Float32Array(memory, plan.xPanels, nPad * d), problem.x, problem.n, d);
  writePanels(new Float32Array(memory, plan.yPanels, mPad * d), problem.y, problem.m, d);
  return {
    badRows: x.bad,
    badColumns: y.bad,
    maximumNormX: x.maximumNorm,
    maximumNormY: y.maximumNorm,
  };
}

function scanAndCopy(
  memory: ArrayBufferLike,
  offset: number,
  points: Float32Array,
  count: number,
  padded: number,
  d: number,
) {
  const rows = new Float32Array(memory, offset, padded * d);
  rows.set(points);
  rows.fill(0, count * d);
  const bad: number[] = [];
  let maximumNorm = 0;
  for (let point = 0; point < count; point += 1) {
    let squared = 0;
    for (let c = point * d; c < (point + 1) * d; c += 1) {
      const value = points[c] as number;
      squared += value * value;
    }
    if (Number.isFinite(squared)) maximumNorm = Math.max(maximumNorm, Math.sqrt(squared));
    else bad.push(point);
  }
  return { bad, maximumNorm };
}

function writePanels(panels: Float32Array, points: Float32Array, count: number, d: number): void {
  panels.fill(0);
  for (let point = 0; point < count; point += 1) {
    const base = Math.floor(point / PANEL_WIDTH) * PANEL_WIDTH * d + (point % PANEL_WIDTH);
    for (let c = 0; c < d; c += 1) panels[base + c * PANEL_WIDTH] = points[point * d + c] as number;
  }
}
