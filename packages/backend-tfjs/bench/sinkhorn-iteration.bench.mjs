/**
 * Seconds per Sinkhorn iteration (one column pass + one row pass of the soft-max, as the solver
 * runs them) of this package's backend on the tfjs variants available here, against the
 * `js` (float64 reference) and `wasm` backends of @sinkflow/ot, in one process, with ratios.
 * Clouds are N(0, 1/d) per coordinate (|K| ~ 1), eps = 0.05, online mode by default (as
 * packages/ot/bench/sinkhorn-kernels.bench.ts).
 *
 *   pnpm --filter @sinkflow/backend-tfjs bench      (after a build: imports ../dist)
 *   node packages/backend-tfjs/bench/sinkhorn-iteration.bench.mjs [--n 4096] [--d 64]
 *        [--mode online|dense] [--iterations 3] [--backends tfjs-wasm,tfjs-cpu,js,wasm]
 *        [--row-block auto] [--column-block 256] [--json out.json]
 *
 * `tfjs-auto` runs whatever `createTfjsBackend()` picks (tfjs-node-gpu / tfjs-node / WebGPU when
 * present). The load average is printed before and after, since other work on the machine skews
 * wall-clock times.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createRandomGenerator } from '@sinkflow/core';
import { createJsBackend, createWasmBackend } from '@sinkflow/ot';
import { createTfjsBackend } from '../dist/index.js';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
};
const n = Number(option('n', '4096'));
const d = Number(option('d', '64'));
const mode = option('mode', 'online');
const iterations = Number(option('iterations', '3'));
const names = option('backends', 'tfjs-wasm,tfjs-cpu,js,wasm').split(',');
const rowBlockOption = option('row-block', 'auto');
const rowBlock = rowBlockOption === 'auto' ? 'auto' : Number(rowBlockOption);
const columnBlock = Number(option('column-block', '256'));
const jsonPath = option('json', undefined);
const EPSILON = 0.05;

const random = createRandomGenerator({ seed: 0 });
const scale = 1 / Math.sqrt(d);
const x = new Float32Array(n * d).map(() => scale * random.normal());
const y = new Float32Array(n * d).map(() => scale * random.normal());

async function makeBackend(name) {
  if (name === 'js') return createJsBackend();
  if (name === 'wasm') return createWasmBackend();
  const backend = name.slice('tfjs-'.length);
  return createTfjsBackend({ backend, rowBlock, columnBlock });
}

async function secondsPerIteration(backend) {
  const kernel = await backend.prepare({ x, y, n, m: n, d, mode });
  const f = new Float64Array(n);
  const g = new Float64Array(n);
  const iteration = async () => {
    await kernel.logSumExp({ side: 'columns', offsets: f, epsilon: EPSILON, out: g });
    for (let j = 0; j < n; j += 1) g[j] = -EPSILON * Math.log(n) - g[j];
    await kernel.logSumExp({ side: 'rows', offsets: g, epsilon: EPSILON, out: f });
    for (let i = 0; i < n; i += 1) f[i] = -EPSILON * Math.log(n) - f[i];
  };
  try {
    await iteration(); // warm-up: JIT, wasm compilation, worker start
    const started = performance.now();
    for (let k = 0; k < iterations; k += 1) await iteration();
    return (performance.now() - started) / 1000 / iterations;
  } finally {
    await kernel.dispose();
  }
}

console.log(
  `sinkhorn-iteration: n = m = ${n}, d = ${d}, ${mode}, eps = ${EPSILON}, ${iterations} iterations, node ${process.version}, ${availableParallelism()} cores, load ${loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')}`,
);
const rows = [];
for (const name of names) {
  let backend;
  try {
    backend = await makeBackend(name);
  } catch (error) {
    console.log(`${name.padEnd(10)} unavailable: ${error.message}`);
    continue;
  }
  const seconds = await secondsPerIteration(backend);
  rows.push({ name, description: backend.description ?? backend.name, seconds });
  console.log(
    `${name.padEnd(10)} ${(seconds * 1000).toFixed(0).padStart(7)} ms/iteration  (${backend.description ?? backend.name}) load ${loadavg()[0].toFixed(2)}`,
  );
}
const reference = rows.find((row) => row.name === 'wasm') ?? rows[0];
if (reference !== undefined) {
  console.log(`ratios to ${reference.name}:`);
  for (const row of rows)
    console.log(`  ${row.name.padEnd(10)} ${(row.seconds / reference.seconds).toFixed(2)}x`);
}
if (jsonPath !== undefined) {
  writeFileSync(jsonPath, `${JSON.stringify({ n, d, mode, epsilon: EPSILON, rows }, null, 2)}\n`);
}
