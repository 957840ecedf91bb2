// The coupling runs here, off the page's main thread: the wasm backend (threads when the page is
// cross-origin isolated), the entropy search to E, and exact pair sampling.
import { createPointCloud } from '@sinkflow/core';
import { createSinkhornProblem } from '@sinkflow/ot';
import type { CouplingAnswer, CouplingRequest } from './messages.js';

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
      post(
        {
          type: 'done',
          rows,
          columns,
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
        [rows.buffer, columns.buffer],
      );
    } finally {
      await problem.dispose();
    }
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
