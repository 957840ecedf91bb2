#!/usr/bin/env node
/**
 * Speed of semidiscrete OT (issue 19) [mousavi2025semidiscrete]:
 *
 * 1. the score pass inside the solver: seconds per training step of `solveSemidiscrete` (a batch
 *    of fresh noise x ~ N(0, I) against all N points, the row argmax or soft-max with its column
 *    sums, an Adam step), on the wasm kernels (the default), against torch doing the same step in
 *    the same run (bench/reference_semidiscrete.py, float32 CPU, same thread count). Reported as
 *    noise rows per second and scored pairs (rows x N) per second, from the fastest step of
 *    `--steps` steps in each of `--repeats` solves (both sides; the machine may be shared). The
 *    runs start from a state with costStd = 1, which skips the std(C) estimate.
 * 2. the time to fit g to a chi-square marginal error of 1e-3 (`threshold`, the default) on a
 *    smaller problem (`--fit-n` Gaussian points in `--fit-d` dimensions, hard and entropic).
 *
 * Run after `pnpm --filter @sinkflow/ot build`:
 *   node packages/ot/bench/semidiscrete-score.bench.mjs [--n 60000] [--dims 784,64] [--batch 1024]
 *     [--steps 4] [--repeats 3] [--threads 2] [--relative-epsilon 0.05]
 *     [--python /usr/bin/python3 | --no-python] [--fit-n 1000] [--fit-d 16] [--no-fit]
 *     [--fit-modes hard,entropic] [--fit-only]
 * Y: N points uniform in [0, 1)^d (pixel-like); eps = relative-epsilon x sqrt(d / 3), about
 * that fraction of std(<x, y>). Prints one JSON line per measurement and a summary table.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createPointCloud, createRandomGenerator } from '@sinkflow/core';
import { absoluteEpsilon, relativeEpsilon } from '@sinkflow/entropy';
import { solveSemidiscrete } from '@sinkflow/ot';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : fallback;
};
const flag = (name) => argv.includes(`--${name}`);
const n = Number(option('n', '60000'));
const dims = option('dims', '784,64').split(',').map(Number);
const batch = Number(option('batch', '1024'));
const steps = Number(option('steps', '4'));
const repeats = Number(option('repeats', '3'));
const threads = Number(option('threads', String(availableParallelism())));
const relative = Number(option('relative-epsilon', '0.05'));
const python = flag('no-python') ? undefined : option('python', '/usr/bin/python3');
const fitN = Number(option('fit-n', '1000'));
const fitD = Number(option('fit-d', '16'));
const fitModes = option('fit-modes', 'hard,entropic').split(',');
const timings = !flag('fit-only');

const print = (record) => process.stdout.write(`${JSON.stringify(record)}\n`);
const rows = [];

/**
 * Seconds of each training step of one solve: the source records when it is called (once per
 * step, then once for the closing evaluation), so that step k lasts from its draw to the next
 * (its score pass, the Adam update and the next draw), whatever loading the points and starting
 * the workers cost.
 */
async function stepSeconds(y, epsilon, count) {
  const initialState = {
    version: 1,
    step: 0,
    g: new Array(y.n).fill(0),
    gAverage: new Array(y.n).fill(0),
    firstMoment: new Array(y.n).fill(0),
    secondMoment: new Array(y.n).fill(0),
    epsilon,
    costStd: 1,
    random: createRandomGenerator({ seed: 1 }).getState(),
  };
  const calls = [];
  await solveSemidiscrete({
    y,
    initialState,
    source: (rows, random) => {
      calls.push(performance.now());
      return random.fillNormal(new Float32Array(rows * y.d));
    },
    epsilon: epsilon === 0 ? 0 : absoluteEpsilon(epsilon),
    batchSize: batch,
    maxSteps: count,
    evaluateEvery: 1e9,
    evaluationSize: batch,
  });
  return calls.slice(1).map((time, k) => (time - (calls[k] ?? 0)) / 1000);
}

for (const d of timings ? dims : []) {
  const random = createRandomGenerator({ seed: 1 });
  const y = createPointCloud(random.fillUniform(new Float32Array(n * d)), { d });
  for (const mode of ['hard', 'entropic']) {
    const epsilon = mode === 'hard' ? 0 : relative * Math.sqrt(d / 3);
    const durations = [];
    for (let r = 0; r < repeats; r += 1) durations.push(...(await stepSeconds(y, epsilon, steps)));
    // The first step of a solve also warms the code up: the minimum over steps and repeats.
    const best = Math.min(...durations);
    const record = { library: 'sinkflow-wasm', mode, n, d, batch, threads, secondsPerStep: best };
    print(record);
    rows.push(record);
  }
}

if (timings && python !== undefined) {
  const script = fileURLToPath(new URL('./reference_semidiscrete.py', import.meta.url));
  const run = spawnSync(
    python,
    [
      script,
      ...['--n', n, '--dims', dims.join(','), '--batch', batch, '--steps', steps],
      ...['--repeats', repeats, '--threads', threads, '--relative-epsilon', relative],
    ].map(String),
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (run.status !== 0) process.stderr.write(`torch reference failed: ${run.stderr}\n`);
  for (const line of run.stdout.split('\n').filter((text) => text.startsWith('{'))) {
    const parsed = JSON.parse(line);
    const record = { ...parsed, secondsPerStep: parsed.seconds_per_step };
    delete record.seconds_per_step;
    print(record);
    rows.push(record);
  }
}

if (rows.length > 0)
  process.stdout.write('\nlibrary        mode      d    s/step   rows/s    pairs/s\n');
for (const row of rows) {
  const rate = batch / row.secondsPerStep;
  process.stdout.write(
    `${row.library.padEnd(14)} ${row.mode.padEnd(9)} ${String(row.d).padStart(4)} ${row.secondsPerStep.toFixed(3).padStart(8)} ${rate.toFixed(0).padStart(8)} ${(rate * n).toExponential(2).padStart(10)}\n`,
  );
}

if (!flag('no-fit')) {
  const random = createRandomGenerator({ seed: 2 });
  const y = createPointCloud(random.fillNormal(new Float32Array(fitN * fitD)), { d: fitD });
  const modes = { hard: 0, entropic: relativeEpsilon(0.05) };
  for (const epsilon of fitModes.map((mode) => modes[mode])) {
    const solution = await solveSemidiscrete({ y, epsilon, seed: 3, maxSteps: 20_000 });
    const record = {
      fit: epsilon === 0 ? 'hard' : 'entropic (relative 0.05)',
      n: fitN,
      d: fitD,
      threshold: 1e-3,
      converged: solution.converged,
      steps: solution.steps,
      marginalError: solution.marginalError,
      seconds: solution.seconds,
    };
    print(record);
  }
}
