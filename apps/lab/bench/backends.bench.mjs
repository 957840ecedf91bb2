#!/usr/bin/env node
/**
 * pnpm bench:backends: every Sinkhorn backend available on this machine, side by side.
 *
 * For each size and dimension it prints the seconds per Sinkhorn iteration (one rows pass and one
 * columns pass of the log-sum-exp, the paper's online mode by default) of each backend variant:
 * js (float64 reference), wasm (1 thread and all threads), tfjs on each TensorFlow.js backend that
 * loads here, gpu.js in each mode that runs here; and, measured in the same run, a torch
 * online-block kernel (packages/ot/bench/reference_sinkhorn.py with /usr/bin/python3; `--device
 * cuda` on a GPU machine). Ratios are against torch and against wasm.
 *
 * Then it solves one problem with every backend (relative epsilon 0.05, dot cost) and prints the
 * renormalized entropy and the transport cost with their relative difference to the float64 js
 * reference: the backends must agree within float32 tolerance.
 *
 * Options: --sizes 2048,4096  --dims 64  --mode online|dense  --seconds 1  --agreement-size 1024
 *          --python /usr/bin/python3 (--no-python to skip)  --device cpu  --only js,wasm,...
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPointCloud, createRandomGenerator } from '@sinkflow/core';
import { relativeEpsilon } from '@sinkflow/entropy';
import { createJsBackend, createSinkhornProblem, createWasmBackend } from '@sinkflow/ot';

const argv = process.argv.slice(2);
const value = (name, fallback) => {
  const index = argv.indexOf(`--${name}`);
  return index === -1 ? fallback : argv[index + 1];
};
const list = (text) =>
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
const options = {
  sizes: list(value('sizes', '2048,4096')).map(Number),
  dims: list(value('dims', '64')).map(Number),
  mode: value('mode', 'online'),
  seconds: Number(value('seconds', '1')),
  agreementSize: Number(value('agreement-size', '1024')),
  python: argv.includes('--no-python') ? undefined : value('python', '/usr/bin/python3'),
  device: value('device', 'cpu'),
  only: argv.includes('--only') ? new Set(list(value('only', ''))) : undefined,
};
const EPSILON = 0.05;

/** Every backend variant to try: [label, family, () => Promise<SinkhornBackend>]. */
async function variants() {
  const found = [
    ['js', 'js', async () => createJsBackend()],
    ['wasm 1 thread', 'wasm', async () => createWasmBackend({ threads: 1 })],
    ['wasm', 'wasm', async () => createWasmBackend()],
  ];
  const tfjs = await import('@sinkflow/backend-tfjs').catch((error) => error);
  if (tfjs instanceof Error) console.log(`(tfjs skipped: ${tfjs.message})`);
  else {
    for (const backend of ['tensorflow', 'webgpu', 'wasm', 'cpu']) {
      found.push([`tfjs ${backend}`, 'tfjs', async () => tfjs.createTfjsBackend({ backend })]);
    }
  }
  const gpujs = await import('@sinkflow/backend-gpujs').catch((error) => error);
  if (gpujs instanceof Error) console.log(`(gpujs skipped: ${gpujs.message})`);
  else {
    for (const mode of ['webgpu', 'headlessgl', 'webasm', 'cpu']) {
      found.push([`gpujs ${mode}`, 'gpujs', async () => gpujs.createGpujsBackend({ mode })]);
    }
  }
  return options.only === undefined
    ? found
    : found.filter(([label, family]) => options.only.has(label) || options.only.has(family));
}

function clouds(n, d, seed) {
  const random = createRandomGenerator({ seed });
  const scale = 1 / Math.sqrt(d);
  return [
    new Float32Array(n * d).map(() => scale * random.normal()),
    new Float32Array(n * d).map(() => scale * random.normal()),
  ];
}

/** Best seconds per iteration after one warm-up, within about `options.seconds`. */
async function timeBackend(backend, n, d) {
  const [x, y] = clouds(n, d, 1);
  const kernel = await backend.prepare({ x, y, n, m: n, d, mode: options.mode });
  try {
    const f = new Float64Array(n);
    const g = new Float64Array(n);
    const iterate = async () => {
      const start = performance.now();
      await kernel.logSumExp({ side: 'columns', offsets: f, epsilon: EPSILON, out: g });
      for (let j = 0; j < n; j += 1) g[j] = -g[j];
      await kernel.logSumExp({ side: 'rows', offsets: g, epsilon: EPSILON, out: f });
      for (let i = 0; i < n; i += 1) f[i] = -f[i];
      return (performance.now() - start) / 1000;
    };
    let best = await iterate();
    let spent = best;
    for (let k = 0; k < 50 && (k < 2 || spent < options.seconds); k += 1) {
      const seconds = await iterate();
      spent += seconds;
      best = Math.min(best, seconds);
    }
    return best;
  } finally {
    await kernel.dispose();
  }
}

/** torch online-block seconds per iteration keyed by `n/d`, from reference_sinkhorn.py. */
function torchReference() {
  const results = new Map();
  if (options.python === undefined) return results;
  const check = spawnSync(options.python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (check.status !== 0) {
    console.log(`(torch reference skipped: ${options.python} cannot import torch)`);
    return results;
  }
  const script = fileURLToPath(
    new URL('../../../packages/ot/bench/reference_sinkhorn.py', import.meta.url),
  );
  const threads = String(Math.max(1, (globalThis.navigator?.hardwareConcurrency ?? 2) | 0));
  const run = spawnSync(
    options.python,
    [
      script,
      '--sizes',
      options.sizes.join(','),
      '--dims',
      options.dims.join(','),
      '--threads',
      threads,
      '--epsilon',
      String(EPSILON),
      '--seconds',
      String(options.seconds),
      '--device',
      options.device,
      '--no-pot',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for (const line of run.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const row = JSON.parse(line);
    results.set(`${row.n}/${row.d}`, row.seconds_per_iteration);
  }
  return results;
}

const format = (seconds) => (seconds === undefined ? '-' : `${(seconds * 1000).toFixed(1)} ms`);
const ratio = (reference, seconds) =>
  reference === undefined || seconds === undefined ? '-' : `${(reference / seconds).toFixed(2)}x`;

async function main() {
  console.log(
    `Sinkhorn backends, ${options.mode} mode, seconds per iteration (rows + columns pass), eps = ${EPSILON}`,
  );
  console.log(`machine: ${process.platform} ${process.arch}, Node ${process.version}`);
  const candidates = await variants();
  const reference = torchReference();
  const created = [];
  for (const [label, family, create] of candidates) {
    try {
      const backend = await create();
      created.push({ label, family, backend });
    } catch (error) {
      console.log(`(${label} skipped: ${error instanceof Error ? error.message : String(error)})`);
    }
  }
  for (const n of options.sizes) {
    for (const d of options.dims) {
      const torch = reference.get(`${n}/${d}`);
      console.log(
        `\nn = m = ${n}, d = ${d}${torch === undefined ? '' : `; torch ${options.device} ${format(torch)}`}`,
      );
      console.log('backend            | per iteration | vs torch | vs wasm | runs on');
      let wasm;
      const rows = [];
      for (const { label, backend } of created) {
        let seconds;
        let note = backend.description ?? '';
        try {
          seconds = await timeBackend(backend, n, d);
        } catch (error) {
          note = `failed: ${error instanceof Error ? error.message : String(error)}`;
        }
        if (label === 'wasm') wasm = seconds;
        rows.push([label, seconds, note]);
      }
      for (const [label, seconds, note] of rows) {
        console.log(
          `${label.padEnd(18)} | ${format(seconds).padStart(13)} | ${ratio(torch, seconds).padStart(8)} | ${ratio(wasm, seconds).padStart(7)} | ${note}`,
        );
      }
    }
  }
  await agreement(created);
}

/** One solve per backend: E and cost next to the float64 reference's. */
async function agreement(created) {
  const n = options.agreementSize;
  const d = options.dims[0];
  const [xData, yData] = clouds(n, d, 7);
  const x = createPointCloud(xData, { d });
  const y = createPointCloud(yData, { d });
  console.log(`\nAgreement: n = m = ${n}, d = ${d}, relative epsilon 0.05, dot cost`);
  console.log(
    'backend            | renormalized E | transport cost | |dE| / E vs js | |dcost| / |cost| vs js | iterations',
  );
  let reference;
  for (const { label, backend } of created) {
    let problem;
    try {
      problem = await createSinkhornProblem({ x, y, backend, mode: options.mode });
      const solution = await problem.solve({ epsilon: relativeEpsilon(0.05), maxIterations: 2000 });
      reference ??= solution;
      const relative = (a, b) => Math.abs(a - b) / Math.abs(b);
      console.log(
        `${label.padEnd(18)} | ${solution.renormalizedEntropy.toFixed(6).padStart(14)} | ${solution.transportCost.toPrecision(8).padStart(14)} | ${relative(solution.renormalizedEntropy, reference.renormalizedEntropy).toExponential(1).padStart(14)} | ${relative(solution.transportCost, reference.transportCost).toExponential(1).padStart(22)} | ${solution.iterations}`,
      );
    } catch (error) {
      console.log(
        `${label.padEnd(18)} | failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      await problem?.dispose();
    }
  }
}

await main();
