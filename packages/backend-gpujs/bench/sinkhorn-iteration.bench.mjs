// Seconds per Sinkhorn iteration (one rows and one columns logSumExp pass, online mode) of the
// gpu.js backend in each mode that runs here, against @sinkflow/ot's js and wasm backends, in
// one process. Usage: node bench/sinkhorn-iteration.bench.mjs [sizes=2048,4096] [d=64] [repeats=3]
// (build first: the script imports dist/). Timings on shared machines vary: compare ratios.
import { availableParallelism } from 'node:os';
import { createRandomGenerator } from '@sinkflow/core';
import { createJsBackend, createWasmBackend } from '@sinkflow/ot';
import { createGpujsBackend, GPUJS_MODES, probeGpujsMode } from '../dist/index.js';

const sizes = (process.argv[2] ?? '2048,4096').split(',').map(Number);
const d = Number(process.argv[3] ?? 64);
const repeats = Number(process.argv[4] ?? 3);
const threads = availableParallelism();

const candidates = [
  ['js (float64 reference)', async () => createJsBackend()],
  [`wasm (@sinkflow/ot, ${threads} threads)`, async () => createWasmBackend({ threads })],
];
for (const mode of GPUJS_MODES) {
  const probe = await probeGpujsMode({ mode });
  if (!probe.available) {
    console.log(`gpujs ${mode}: unavailable (${probe.reason})`);
    continue;
  }
  if (mode === 'webasm') {
    candidates.push([`gpujs webasm, 1 thread`, () => createGpujsBackend({ mode, threads: 1 })]);
    candidates.push([
      `gpujs webasm, ${threads} threads`,
      () => createGpujsBackend({ mode, threads }),
    ]);
  } else {
    candidates.push([`gpujs ${mode}`, () => createGpujsBackend({ mode })]);
  }
}

for (const n of sizes) {
  const random = createRandomGenerator({ seed: n });
  const scale = 1 / Math.sqrt(d);
  const x = new Float32Array(n * d).map(() => scale * random.normal());
  const y = new Float32Array(n * d).map(() => scale * random.normal());
  const f = new Float64Array(n);
  const g = new Float64Array(n);
  console.log(`\nn = m = ${n}, d = ${d}, online, ${repeats} timed iterations after one warm-up`);
  for (const [label, create] of candidates) {
    const backend = await create();
    const kernel = await backend.prepare({ x, y, n, m: n, d, mode: 'online' });
    const iterate = async () => {
      await kernel.logSumExp({ side: 'rows', offsets: g, epsilon: 0.1, out: f });
      await kernel.logSumExp({ side: 'columns', offsets: f, epsilon: 0.1, out: g });
    };
    await iterate();
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < repeats; r += 1) {
      const start = performance.now();
      await iterate();
      best = Math.min(best, performance.now() - start);
    }
    await kernel.dispose();
    console.log(`  ${label.padEnd(34)} ${(best / 1000).toFixed(3)} s per iteration`);
  }
}
