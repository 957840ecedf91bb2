/**
 * Seconds per Sinkhorn iteration (one column pass + one row pass of the soft-max, as the solver
 * runs them) of the wasm backend with 1 and 2 threads, the JS reference backend, and (when
 * /usr/bin/python3 has POT and torch) POT's float32 `sinkhorn_log` and a torch online
 * log-sum-exp, with ratios. It first measures the SIMD128 roofline of the machine (the peak f32x4
 * multiply-add rate of one thread, bench/simd-roofline.ts) and reports, for the 1-thread wasm
 * backend, the CPU time per iteration (the fastest iteration: robust on a shared machine) and, in
 * online mode, the fraction of the roofline it reaches (2 passes x 2 n m d flop of the X Y^T
 * products per iteration; the exponentials are not counted). Run with `pnpm --filter @sinkflow/ot bench` (bundles this file with
 * tsup and runs it with node); options:
 *
 *   --sizes 2048,4096,16384   n = m
 *   --dims 2,64,256           d
 *   --modes online,dense,dense16 (dense only where 8 n m bytes fit in 3 GiB, dense16 where 2 n m
 *                             fit in 12 GiB; dense16 iterates until its anchor settles before timing,
 *                             and reports the matrix builds during the timed iterations)
 *   --js-max 4096             largest n for the JS backend
 *   --python /usr/bin/python3 (--no-python to skip) and --pot-max 8192
 *   --threads 1,2             thread counts of the wasm backend
 *   --seconds 1               target time per measurement
 *
 * Clouds are N(0, 1/d) per coordinate (|K| ~ 1), eps = 0.05, the dot-product cost.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRandomGenerator } from '@sinkflow/core';
import { createJsBackend } from '../src/backend/js/create-js-backend.js';
import type { KernelMode, SinkhornBackend } from '../src/backend/sinkhorn-backend.js';
import { createWasmBackend } from '../src/backend/wasm/create-wasm-backend.js';
import { measureRoofline } from './simd-roofline.js';

interface Options {
  readonly sizes: number[];
  readonly dims: number[];
  readonly modes: KernelMode[];
  readonly jsMax: number;
  readonly python: string | undefined;
  readonly potMax: number;
  readonly seconds: number;
  readonly threads: number[];
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: string): string => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && argv[index + 1] !== undefined ? (argv[index + 1] as string) : fallback;
  };
  const list = (name: string, fallback: string) => value(name, fallback).split(',').map(Number);
  return {
    sizes: list('sizes', '2048,4096,16384'),
    dims: list('dims', '2,64,256'),
    modes: value('modes', 'online,dense,dense16').split(',') as KernelMode[],
    jsMax: Number(value('js-max', '4096')),
    python: argv.includes('--no-python') ? undefined : value('python', '/usr/bin/python3'),
    potMax: Number(value('pot-max', '8192')),
    seconds: Number(value('seconds', '1')),
    threads: list('threads', '1,2'),
  };
}

const EPSILON = 0.05;

function clouds(n: number, d: number, seed: number): { x: Float32Array; y: Float32Array } {
  const random = createRandomGenerator({ seed });
  const scale = 1 / Math.sqrt(d);
  return {
    x: new Float32Array(n * d).map(() => scale * random.normal()),
    y: new Float32Array(n * d).map(() => scale * random.normal()),
  };
}

/** Prepares, warms up, then times iterations until `seconds` (at least 2, at most 50). */
async function secondsPerIteration(
  backend: SinkhornBackend,
  n: number,
  d: number,
  mode: KernelMode,
  seconds: number,
) {
  const { x, y } = clouds(n, d, 1);
  const started = performance.now();
  const kernel = await backend.prepare({ x, y, n, m: n, d, mode });
  const prepareSeconds = (performance.now() - started) / 1000;
  const f = new Float64Array(n);
  const g = new Float64Array(n);
  const logMass = -EPSILON * Math.log(n);
  const iteration = async () => {
    await kernel.logSumExp({ side: 'columns', offsets: f, epsilon: EPSILON, out: g });
    for (let j = 0; j < n; j += 1) g[j] = logMass - (g[j] as number);
    await kernel.logSumExp({ side: 'rows', offsets: g, epsilon: EPSILON, out: f });
    for (let i = 0; i < n; i += 1) f[i] = logMass - (f[i] as number);
  };
  try {
    // dense16: iterate until an iteration builds nothing (its anchor settled), at most 60.
    for (let warm = 0; mode === 'dense16' && warm < 60; warm += 1) {
      const before = kernel.keptKernelReport?.().builds ?? 0;
      await iteration();
      if ((kernel.keptKernelReport?.().builds ?? 0) === before) break;
    }
    const buildsBefore = kernel.keptKernelReport?.().builds ?? 0;
    const rssGiB = process.memoryUsage().rss / 2 ** 30;
    let t = performance.now();
    await iteration();
    const first = (performance.now() - t) / 1000;
    const count = Math.max(2, Math.min(50, Math.round(seconds / Math.max(first, 1e-4))));
    // Process CPU time of the fastest iteration: per-thread CPU time when no worker runs (1 thread).
    let cpuPerIteration = Number.POSITIVE_INFINITY;
    t = performance.now();
    for (let k = 0; k < count; k += 1) {
      const cpu = process.cpuUsage();
      await iteration();
      const used = process.cpuUsage(cpu);
      cpuPerIteration = Math.min(cpuPerIteration, (used.user + used.system) / 1e6);
    }
    return {
      perIteration: (performance.now() - t) / 1000 / count,
      cpuPerIteration,
      prepareSeconds,
      rssGiB,
      builds: (kernel.keptKernelReport?.().builds ?? 0) - buildsBefore,
    };
  } finally {
    await kernel.dispose();
  }
}

/** Runs the Python reference; returns seconds per iteration keyed by `library/threads/n/d`. */
function pythonReference(options: Options): Map<string, number> {
  const results = new Map<string, number>();
  if (options.python === undefined) return results;
  const check = spawnSync(options.python, ['-c', 'import ot, torch'], { encoding: 'utf8' });
  if (check.status !== 0) {
    console.log(`(skipping POT / torch: ${options.python} cannot import ot and torch)`);
    return results;
  }
  const script = fileURLToPath(new URL('../reference_sinkhorn.py', import.meta.url));
  const run = spawnSync(
    options.python,
    [
      script,
      '--sizes',
      options.sizes.join(','),
      '--dims',
      options.dims.join(','),
      '--epsilon',
      String(EPSILON),
      '--pot-max',
      String(options.potMax),
      '--seconds',
      String(options.seconds),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  for (const line of run.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const row = JSON.parse(line) as {
      library: string;
      n: number;
      d: number;
      threads: number;
      seconds_per_iteration: number;
    };
    results.set(`${row.library}/${row.threads}/${row.n}/${row.d}`, row.seconds_per_iteration);
  }
  return results;
}

const format = (seconds: number | undefined) =>
  seconds === undefined ? '-' : seconds.toPrecision(3);
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined ? '-' : `${(a / b).toFixed(2)}x`;

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  console.log(
    `sinkhorn-kernels: seconds per iteration (2 soft-max passes), eps = ${EPSILON}, node ${process.version}`,
  );
  const roofline = await measureRoofline();
  console.log(
    `SIMD128 roofline (f32x4 mul + add, 1 thread): ${(roofline.flopsPerSecond / 1e9).toFixed(1)} Gflop/s of CPU time (${(roofline.wallFlopsPerSecond / 1e9).toFixed(1)} wall)`,
  );
  const reference = pythonReference(options);
  const most = Math.max(...options.threads);
  const best = `wasm ${most}t`;
  const header = [
    'n',
    'd',
    'mode',
    ...options.threads.map((t) => `wasm ${t}t`),
    `1t/${most}t`,
    `prepare ${most}t`,
    'cpu 1t',
    'roofline 1t',
    'rss GiB',
    'builds',
  ];
  header.push(
    'js',
    `js/${best}`,
    'pot f32',
    `pot/${best}`,
    'torch 1t',
    'torch 2t',
    `torch 2t/${best}`,
  );
  console.log(header.join('\t'));
  for (const n of options.sizes) {
    for (const d of options.dims) {
      for (const mode of options.modes) {
        if (mode === 'dense' && 8 * n * n > 3 * 2 ** 30) continue;
        if (mode === 'dense16' && 2 * n * n > 12 * 2 ** 30) continue;
        const wasm = new Map<
          number,
          {
            perIteration: number;
            cpuPerIteration: number;
            prepareSeconds: number;
            rssGiB: number;
            builds: number;
          }
        >();
        for (const threads of options.threads) {
          wasm.set(
            threads,
            await secondsPerIteration(createWasmBackend({ threads }), n, d, mode, options.seconds),
          );
        }
        const fastest = wasm.get(most)?.perIteration;
        const js =
          n <= options.jsMax
            ? (await secondsPerIteration(createJsBackend(), n, d, mode, options.seconds))
                .perIteration
            : undefined;
        const pot = mode !== 'online' ? reference.get(`pot/1/${n}/${d}`) : undefined;
        const torch1 = mode === 'online' ? reference.get(`torch/1/${n}/${d}`) : undefined;
        const torch2 = mode === 'online' ? reference.get(`torch/2/${n}/${d}`) : undefined;
        const row: (string | number)[] = [
          n,
          d,
          mode,
          ...options.threads.map((t) => format(wasm.get(t)?.perIteration)),
        ];
        row.push(ratio(wasm.get(1)?.perIteration, fastest), format(wasm.get(most)?.prepareSeconds));
        const cpu = wasm.get(1)?.cpuPerIteration;
        row.push(
          format(cpu),
          mode === 'online' && cpu !== undefined
            ? `${((100 * (2 * 2 * n * n * d)) / cpu / roofline.flopsPerSecond).toFixed(0)}%`
            : '-',
          (wasm.get(most)?.rssGiB ?? 0).toFixed(2),
          String(wasm.get(most)?.builds ?? 0),
        );
        row.push(
          format(js),
          ratio(js, fastest),
          format(pot),
          ratio(pot, fastest),
          format(torch1),
          format(torch2),
          ratio(torch2, fastest),
        );
        console.log(row.join('\t'));
      }
    }
  }
}

await main();
