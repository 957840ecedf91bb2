// Training throughput of the paper's velocity MLP (Klein et al. 2025, Sec. 4.2: 5 hidden layers of
// 512, d/8 time frequencies, batch 2048, Adam 1e-3) on TensorFlow.js, against the same model in
// PyTorch on the CPU (Debian's python3-torch), as a ratio. Imports the built dist: run it through
// `pnpm bench:fm`, which builds first.
//
// Options: --dims 32,64  --hidden-layers 5  --width (512 for d <= 64, else 1024)  --batch 2048  --steps 5  --warmup 2  --threads 2 (PyTorch's, and the
// thread count the ratios compare with)  --workers 1,2 (TensorFlow.js data-parallel replicas: the
// wasm backend is single-threaded in Node, so the trainer's `workers` option is how it uses more
// than one core)  --backend auto|wasm|cpu  --repeats 3 (rounds, alternating TensorFlow.js and
// PyTorch; the best round of each is reported, the usual estimate on a machine shared with other
// work). The load average is printed before and after: a busy machine lowers every figure. Before
// the rounds, bench/matmul-rate.mjs times wasm matMul in one process, then in two at once: the
// speed-up a second core gives on this machine at this moment, which bounds the 2-worker one.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createFlowMatchingTrainer,
  createIndependentPairSource,
  createMlpVelocityModel,
  selectBackend,
  standardNormalSampler,
} from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const options = Object.fromEntries(
  process.argv
    .slice(2)
    .map((arg, index, all) => (arg.startsWith('--') ? [arg.slice(2), all[index + 1]] : null))
    .filter((entry) => entry !== null),
);
const dims = (options.dims ?? '32,64').split(',').map(Number);
const batch = Number(options.batch ?? 2048);
const steps = Number(options.steps ?? 5);
const warmup = Number(options.warmup ?? 2);
const threads = Number(options.threads ?? 2);
const backend = options.backend ?? 'auto';
const repeats = Number(options.repeats ?? 3);
const workerCounts = (options.workers ?? '1,2').split(',').map(Number);
const hiddenLayers = Number(options['hidden-layers'] ?? 5);
// The paper's width (512 for d <= 64, 1024 above) unless given.
const widthOf = (d) => Number(options.width ?? (d <= 64 ? 512 : 1024));

const preference = backend === 'auto' ? ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] : [backend];
const selection = await selectBackend({ preference, log: null });
console.log(
  `TensorFlow.js backend: ${selection.backend} (${selection.attempts
    .map((attempt) => `${attempt.candidate}: ${attempt.ok ? 'ok' : attempt.reason}`)
    .join('; ')})`,
);
console.log(
  `machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}`,
);
const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
console.log(`load average (1, 5, 15 min) before: ${loadAverage()}`);

async function measureTfjs(d, workers) {
  const model = createMlpVelocityModel({ d, hiddenLayers, width: widthOf(d), seed: 0 });
  const pairs = createIndependentPairSource({
    source: standardNormalSampler({ d }),
    target: standardNormalSampler({ d }),
    chunkSize: batch,
  });
  const trainer = await createFlowMatchingTrainer({ model, pairs, batchSize: batch, workers });
  await trainer.train({ steps: warmup });
  const before = trainer.report();
  const started = performance.now();
  const after = await trainer.train({ steps });
  const seconds = (performance.now() - started) / 1000;
  trainer.dispose();
  model.dispose();
  await pairs.dispose();
  return {
    seconds,
    workers: trainer.workers,
    examplesPerSecond: (batch * steps) / seconds,
    waitSeconds: after.waitSeconds - before.waitSeconds,
  };
}

function measureTorch(d, torchThreads) {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return { error: `${python} not found` };
  const run = spawnSync(
    python,
    [
      join(here, 'torch_reference.py'),
      ...[
        '--d',
        d,
        '--batch',
        batch,
        '--steps',
        steps,
        '--warmup',
        warmup,
        '--threads',
        torchThreads,
        '--hidden-layers',
        hiddenLayers,
        '--width',
        widthOf(d),
      ].map(String),
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) return { error: (run.stderr || 'failed').trim().split('\n').at(-1) };
  return JSON.parse(run.stdout.trim().split('\n').at(-1));
}

/** GFLOP/s of wasm matMul in one process alone, then in each of two processes at once. */
async function calibrateCores() {
  const run = () =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [join(here, 'matmul-rate.mjs'), '3'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      child.on('close', () => resolve(JSON.parse(output.trim().split('\n').at(-1) ?? '{}').gflops));
    });
  const alone = await run();
  const pair = await Promise.all([run(), run()]);
  return { alone, pair };
}
const cores = backend === 'cpu' ? null : await calibrateCores();

const best = (runs) =>
  runs.reduce((a, b) => ((b.examplesPerSecond ?? 0) > (a.examplesPerSecond ?? 0) ? b : a));
const rows = [];
for (const d of dims) {
  const runs = { tfjs: workerCounts.map(() => []), torch: [], torchOne: [] };
  for (let round = 0; round < repeats; round += 1) {
    for (const [index, workers] of workerCounts.entries()) {
      runs.tfjs[index].push(await measureTfjs(d, workers));
    }
    runs.torch.push(measureTorch(d, threads));
    if (threads !== 1) runs.torchOne.push(measureTorch(d, 1));
  }
  const torch = best(runs.torch);
  rows.push({
    d,
    tfjs: runs.tfjs.map(best),
    torch,
    torchOne: threads === 1 ? torch : best(runs.torchOne),
  });
}
const format = (value) =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
const ratio = (value, reference) =>
  reference.examplesPerSecond
    ? (value.examplesPerSecond / reference.examplesPerSecond).toFixed(2)
    : (reference.error ?? 'n/a');
console.log(
  `\nbest of ${repeats} rounds; batch ${batch}, ${steps} timed steps after ${warmup} warm-up; MLP ${hiddenLayers} x ${dims.map(widthOf).join('/')} (SiLU), Adam`,
);
console.log(`load average (1, 5, 15 min) after: ${loadAverage()}`);
const tfjsColumns = workerCounts.map(
  (workers) => `tfjs ${selection.backend}, ${workers} worker${workers === 1 ? '' : 's'}`,
);
console.log(
  `| d | ${tfjsColumns.join(' | ')} | PyTorch ${threads} threads | PyTorch 1 thread | ${workerCounts
    .map((workers) => `${workers}w / torch ${threads}t | ${workers}w / torch 1t`)
    .join(' | ')} |`,
);
console.log(
  `|---|${tfjsColumns.map(() => '---|').join('')}---|---|${workerCounts.map(() => '---|---|').join('')}`,
);
for (const { d, tfjs, torch, torchOne } of rows) {
  console.log(
    `| ${d} | ${tfjs.map((run) => `${format(run.examplesPerSecond)}${run.workers === undefined ? '' : ` (${run.workers})`}`).join(' | ')} | ${format(torch.examplesPerSecond)} | ${format(torchOne.examplesPerSecond)} | ${tfjs.map((run) => `${ratio(run, torch)} | ${ratio(run, torchOne)}`).join(' | ')} |`,
  );
}
console.log('(examples per second; the figure in parentheses is the replicas that trained)');
if (cores !== null) {
  const [first, second] = cores.pair;
  console.log(
    `\nwasm matMul 2048 x 512 x 512 before the rounds: ${cores.alone.toFixed(1)} GFLOP/s in one process alone, ${first.toFixed(1)} + ${second.toFixed(1)} GFLOP/s in two at once (${((first + second) / cores.alone).toFixed(2)}x: what a second core adds here now, the ceiling of the 2-worker speed-up)`,
  );
}
if (rows[0]?.torch.torch) console.log(`\nPyTorch ${rows[0].torch.torch}`);
