// One Sinkhorn iteration on a prepared wasm kernel (a columns pass, then a rows pass, as the
// solver does), timed the same way in Node and in a page: this module is imported by the Node
// side of wasm-browser.bench.mjs and bundled into its page.
import { createWasmBackend } from '@sinkflow/ot';

const EPSILON = 0.05;

/** Gaussian clouds N(0, I / d) from a small seeded generator (the same in Node and the page). */
function clouds(n, d, seed) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const scale = 1 / Math.sqrt(d);
  return {
    x: new Float32Array(n * d).map(() => scale * normal()),
    y: new Float32Array(n * d).map(() => scale * normal()),
  };
}

/**
 * Prepares a wasm kernel at n = m, dimension d, kernel mode and thread count and warms it up
 * (one iteration); `block(count)` then times `count` iterations and returns the seconds per
 * iteration. The driver alternates blocks of Node and of the page, so that load from other
 * processes hits both alike, and keeps each side's fastest block.
 */
export async function prepareTiming({ n, d, mode, threads }) {
  const backend = createWasmBackend({ threads });
  const { x, y } = clouds(n, d, 1);
  const kernel = await backend.prepare({ x, y, n, m: n, d, mode });
  const f = new Float64Array(n);
  const g = new Float64Array(n);
  const logMass = -EPSILON * Math.log(n);
  const iteration = async () => {
    await kernel.logSumExp({ side: 'columns', offsets: f, epsilon: EPSILON, out: g });
    for (let j = 0; j < n; j += 1) g[j] = logMass - g[j];
    await kernel.logSumExp({ side: 'rows', offsets: g, epsilon: EPSILON, out: f });
    for (let i = 0; i < n; i += 1) f[i] = logMass - f[i];
  };
  await iteration();
  return {
    description: backend.description,
    async block(count) {
      const started = performance.now();
      for (let k = 0; k < count; k += 1) await iteration();
      return (performance.now() - started) / 1000 / count;
    },
    dispose: () => kernel.dispose(),
  };
}
