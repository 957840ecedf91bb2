// The coupling runs here, off the page's main thread: the wasm backend (threads when the page is
// cross-origin isolated), the entropy search to E, and exact pair sampling.
import { createPointCloud } from '@sinkflow/core';
import { createSinkhornProblem } from '@sinkflow/ot';
import { type CouplingAnswer, type CouplingRequest, PLAN_BINS } from './messages.js';

/** Pairs drawn for the density of the plan. */
const PLAN_SAMPLES = 40_000;

/** For each point, its bin when the points are ordered by angle around the origin. */
function angleBins(data: Float32Array): Int32Array {
  const n = data.length / 2;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) =>
      Math.atan2(data[2 * a + 1] as number, data[2 * a] as number) -
      Math.atan2(data[2 * b + 1] as number, data[2 * b] as number),
  );
  const bins = new Int32Array(n);
  order.forEach((point, rank) => {
    bins[point] = Math.floor((rank * PLAN_BINS) / n);
  });
  return bins;
}

/** The plan's density from exact samples: counts of (bin of x_i, bin of y_j), scaled to max 1. */
function planDensity(x: Float32Array, y: Float32Array, rows: Int32Array, columns: Int32Array) {
  const rowBins = angleBins(x);
  const columnBins = angleBins(y);
  const plan = new Float32Array(PLAN_BINS * PLAN_BINS);
  for (let k = 0; k < rows.length; k += 1) {
    const cell =
      (rowBins[rows[k] as number] as number) * PLAN_BINS +
      (columnBins[columns[k] as number] as number);
    plan[cell] = (plan[cell] as number) + 1;
  }
  let top = 0;
  for (const value of plan) top = Math.max(top, value);
  return plan.map((value) => value / Math.max(top, 1));
}

const post = (answer: CouplingAnswer, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(answer, transfer);

self.onmessage = async (event: MessageEvent<CouplingRequest>) => {
  const { x, y, targetEntropy, pairCount } = event.data;
  try {
    const started = performance.now();
    const problem = await createSinkhornProblem({
      x: createPointCloud(x, { d: 2 }),
      y: createPointCloud(y, { d: 2 }),
      backend: 'auto',
    });
    post({ type: 'progress', message: problem.backendChoice.reason });
    try {
      let reported = 0;
      const { solution, reached, search } = await problem.solveForEntropy({
        targetEntropy,
        onProgress: ({ iteration, error, epsilon }) => {
          const now = performance.now();
          if (now - reported < 150) return;
          reported = now;
          post({
            type: 'progress',
            message: `searching epsilon for E = ${targetEntropy}: epsilon ${epsilon.toPrecision(3)}, iteration ${iteration}, marginal error ${error.toExponential(1)}`,
          });
        },
      });
      const { rows, columns } = await problem.samplePairs({
        potentials: solution,
        count: pairCount,
        seed: 0,
      });
      const many = await problem.samplePairs({
        potentials: solution,
        count: PLAN_SAMPLES,
        seed: 1,
      });
      const plan = planDensity(x, y, many.rows, many.columns);
      post(
        {
          type: 'done',
          rows,
          columns,
          plan,
          epsilon: solution.epsilon,
          relativeEpsilon: solution.relativeEpsilon,
          renormalizedEntropy: solution.renormalizedEntropy,
          reached,
          solves: search.solves,
          iterations: search.iterations,
          seconds: (performance.now() - started) / 1000,
          backend: problem.backendChoice.reason,
          crossOriginIsolated: self.crossOriginIsolated,
        },
        [rows.buffer, columns.buffer, plan.buffer],
      );
    } finally {
      await problem.dispose();
    }
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
