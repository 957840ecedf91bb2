import { BENCHMARK_NAMES, type BenchmarkName } from '@sinkflow/benchmarks';
import { createBenchmark } from '@sinkflow/benchmarks/node';
import { createRandomGenerator, InvalidArgumentError, type PointCloud } from '@sinkflow/core';
import type { Command } from '../cli/command.js';
import { type Flags, parseFlags } from '../cli/parse-flags.js';
import { readCloudFlag, writeArrayFile } from '../io/cloud-files.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { requireMemory } from '../io/memory-budget.js';
import { checkOutputPaths, outputFlag } from '../io/output-paths.js';

/**
 * Peak bytes per coordinate of `benchmark sample`: at most four n x d float64 arrays at once (the
 * noise, the sample, its image under T0 for `--target`, the bytes of the .npy file).
 */
const BYTES_PER_COORDINATE = 32;

/** `sinkflow benchmark sample|map`: samples and ground-truth maps of the synthetic benchmarks. */
export const benchmarkCommand: Command = {
  name: 'benchmark',
  summary:
    'write source/target samples or T0(x) for a named benchmark (known Monge maps, 2-D toys)',
  help: `
Usage: sinkflow benchmark sample --name NAME --d D --n N [--seed S] [--target] --out X.npy
       sinkflow benchmark map --name NAME --d D --x X.npy --out TX.npy

NAME: ${BENCHMARK_NAMES.join(', ')}.
A benchmark is fixed by (NAME, D, --benchmark-seed, default 0); --seed draws the sample.
'sample' writes n source points (or, with --target, n target points T0(x') of fresh source points);
'map' applies the ground-truth map T0 (benchmarks with a known map only). w2-mix3to10 needs
--checkpoints DIR (a folder with the published <d>_v1.pt and <d>_v2.pt files).
'sample' refuses (exit 2, naming --n) sizes whose arrays (32 n d bytes) exceed the memory budget
(half of the RAM, or SINKFLOW_MEMORY_BUDGET).

Options:
  --benchmark-seed B   (default 0)
  --checkpoints DIR    for w2-mix3to10
  --json FILE          write { name, d, n, out, seconds } as JSON

Examples:
  sinkflow benchmark sample --name piecewise-affine --d 32 --n 4096 --seed 1 --out x.npy
  sinkflow benchmark map --name piecewise-affine --d 32 --x x.npy --out tx.npy
`,
  async run(args, io) {
    const [action, ...rest] = args;
    if (action !== 'sample' && action !== 'map') {
      throw new InvalidArgumentError({
        functionName: 'sinkflow benchmark',
        argumentName: 'ACTION',
        message: "must be 'sample' or 'map'",
        value: action ?? '',
      });
    }
    const command = `benchmark ${action}`;
    const options = parseFlags(command, rest, {
      name: 'string',
      d: 'string',
      n: 'string',
      seed: 'string',
      target: 'boolean',
      x: 'string',
      out: 'string',
      'benchmark-seed': 'string',
      checkpoints: 'string',
      json: 'string',
    });
    const started = performance.now();
    const out = options.string('out');
    if (action === 'sample') {
      const n = options.integer('n', { minimum: 1, maximum: 2 ** 26 });
      const d = options.integer('d', { minimum: 1, maximum: 4096 });
      requireMemory({
        command,
        flag: '--n',
        bytes: BYTES_PER_COORDINATE * n * d,
        what: `--n ${n} points in --d ${d} dimensions`,
      });
    }
    await checkOutputPaths(command, [
      outputFlag(options, 'out', 'file'),
      outputFlag(options, 'json', 'file'),
    ]);
    const benchmark = await benchmarkFromFlags(command, options);
    let result: PointCloud;
    if (action === 'sample') {
      const n = options.integer('n', { minimum: 1, maximum: 2 ** 26 });
      const random = createRandomGenerator({
        seed: options.integer('seed', { fallback: 0, minimum: 0 }),
      });
      result = options.boolean('target')
        ? benchmark.sampleTarget(n, random)
        : benchmark.sampleSource(n, random);
    } else {
      if (benchmark.groundTruth !== 'brenier-map') {
        throw new InvalidArgumentError({
          functionName: `sinkflow ${command}`,
          argumentName: '--name',
          message: `'${benchmark.name}' has no known map (a 2-D toy); use 'sample'`,
        });
      }
      const x = await readCloudFlag(command, '--x', options.string('x'));
      if (x.d !== benchmark.d) {
        throw new InvalidArgumentError({
          functionName: `sinkflow ${command}`,
          argumentName: '--x',
          message: `has d = ${x.d} columns but the benchmark has d = ${benchmark.d}`,
        });
      }
      result = benchmark.transport(x);
    }
    const data = result.data instanceof Float64Array ? result.data : Float64Array.from(result.data);
    await writeArrayFile(out, { dtype: 'float64', shape: [result.n, result.d], data });
    const summary = {
      name: benchmark.name,
      d: benchmark.d,
      n: result.n,
      out,
      seconds: (performance.now() - started) / 1000,
    };
    const json = options.optionalString('json');
    if (json !== undefined) await writeJsonSummary(json, summary, io);
    io.stdout.write(`wrote ${result.n} x ${result.d} points of ${benchmark.name} to ${out}\n`);
  },
};

async function benchmarkFromFlags(command: string, options: Flags) {
  const name = options.choice('name', BENCHMARK_NAMES, 'piecewise-affine');
  if (!options.has('name')) {
    throw new InvalidArgumentError({
      functionName: `sinkflow ${command}`,
      argumentName: '--name',
      message: `is required (${BENCHMARK_NAMES.join(', ')})`,
    });
  }
  const d = options.integer('d', { minimum: 1, maximum: 4096 });
  return createBenchmark({
    name: name as BenchmarkName,
    d,
    benchmarkSeed: options.integer('benchmark-seed', { fallback: 0, minimum: 0 }),
    checkpointsDirectory: options.optionalString('checkpoints'),
  });
}
