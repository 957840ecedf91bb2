// The solve that wasm-in-chromium.test.ts runs in Node, on a page's main thread and in a Web
// Worker, with @sinkflow/ot's Node or browser build: Gaussian clouds from a small seeded generator.
import { createPointCloud } from '@sinkflow/core';
import { relativeEpsilon } from '@sinkflow/entropy';
import { createSinkhornProblem, createWasmBackend } from '@sinkflow/ot';

function cloud(n, d, seed) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const data = new Float32Array(n * d).map(
    () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
  );
  return createPointCloud(data, { d });
}

/** Solves at relative epsilon 0.05 on `threads` threads (or `backend: 'auto'` when 0). */
export async function solveExample({ threads, n = 700, d = 8 }) {
  const problem = await createSinkhornProblem({
    x: cloud(n, d, 1),
    y: cloud(n, d, 2),
    backend: threads === 0 ? 'auto' : createWasmBackend({ threads }),
  });
  try {
    const solution = await problem.solve({ epsilon: relativeEpsilon(0.05) });
    return {
      reason: problem.backendChoice.reason,
      description: problem.backendChoice.backend.description,
      converged: solution.converged,
      iterations: solution.iterations,
      transportCost: solution.transportCost,
      renormalizedEntropy: solution.renormalizedEntropy,
      f: Array.from(solution.f.subarray(0, 8)),
    };
  } finally {
    await problem.dispose();
  }
}
