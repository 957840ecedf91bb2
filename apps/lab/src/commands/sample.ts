import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import { createSinkhornProblem } from '@sinkflow/ot';
import type { Command } from '../cli/command.js';
import { parseFlags } from '../cli/parse-flags.js';
import { BACKEND_NAMES, backendOptionsFromFlag } from '../io/backend-flag.js';
import {
  readArrayFlag,
  readCloudPairFlags,
  writeArrayFile,
  writeJsonFile,
} from '../io/cloud-files.js';
import type { SolveSummary } from './solve.js';

const flags = {
  x: 'string',
  y: 'string',
  potentials: 'string',
  count: 'string',
  seed: 'string',
  out: 'string',
  backend: 'string',
  json: 'string',
} as const;

/** `sinkflow sample`: exact pairs from a solved coupling. */
export const sampleCommand: Command = {
  name: 'sample',
  summary: 'draw exact (i, j) pairs from a coupling saved by solve --save-potentials',
  help: `
Usage: sinkflow sample --x X.npy --y Y.npy --potentials DIR --count K --seed S --out pairs.npy

Draws K pairs (i, j): i from the row weights, then j from row i of P = exp((f + g - C) / eps) by
Gumbel-max over the columns (exact; the coupling is never formed). Epsilon, the cost and the PCA
setting are read from DIR/solve.json. Writes an int32 K x 2 array of indices.

Options:
  --count K      number of pairs (required)
  --seed S       random seed (default 0)
  --backend NAME ${BACKEND_NAMES.join('|')} (default auto)
  --json FILE    write { count, seed, seconds, out } as JSON

Example:
  sinkflow solve --x x.npy --y y.npy --target-entropy 0.2 --save-potentials run1
  sinkflow sample --x x.npy --y y.npy --potentials run1 --count 4096 --seed 7 --out pairs.npy
`,
  async run(args, io) {
    const started = performance.now();
    const options = parseFlags('sample', args, flags);
    const count = options.integer('count', { minimum: 1, maximum: 2 ** 31 - 1 });
    const seed = options.integer('seed', { fallback: 0, minimum: 0 });
    const out = options.string('out');
    const backendOptions = backendOptionsFromFlag(options.choice('backend', BACKEND_NAMES, 'auto'));
    const directory = options.string('potentials');
    const summary = await readSolveSummary(directory);
    const { x, y } = await readCloudPairFlags('sample', {
      x: options.string('x'),
      y: options.string('y'),
    });
    const f = await readArrayFlag('sample', '--potentials', join(directory, 'f.npy'));
    const g = await readArrayFlag('sample', '--potentials', join(directory, 'g.npy'));
    if (
      !(f.data instanceof Float64Array) ||
      !(g.data instanceof Float64Array) ||
      f.data.length !== x.n ||
      g.data.length !== y.n
    ) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow sample',
        argumentName: '--potentials',
        message: `f.npy and g.npy must be float64 vectors of lengths n = ${x.n} and m = ${y.n} (were they saved for these clouds?)`,
      });
    }
    const problem = await createSinkhornProblem({
      x,
      y,
      ...backendOptions,
      cost: summary.cost,
      pcaComponents: summary.pcaComponents ?? undefined,
    });
    try {
      const pairs = await problem.samplePairs({
        potentials: { f: f.data, g: g.data, epsilon: summary.epsilon },
        count,
        seed,
      });
      const data = new Int32Array(2 * count);
      for (let s = 0; s < count; s += 1) {
        data[2 * s] = pairs.rows[s] as number;
        data[2 * s + 1] = pairs.columns[s] as number;
      }
      await writeArrayFile(out, { dtype: 'int32', shape: [count, 2], data });
    } finally {
      await problem.dispose();
    }
    const seconds = (performance.now() - started) / 1000;
    const json = options.optionalString('json');
    if (json !== undefined) await writeJsonFile(json, { count, seed, seconds, out });
    io.stdout.write(`wrote ${count} pairs to ${out} in ${seconds.toFixed(2)} s\n`);
  },
};

async function readSolveSummary(directory: string): Promise<SolveSummary> {
  const path = join(directory, 'solve.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new InvalidArgumentError({
      functionName: 'sinkflow sample',
      argumentName: '--potentials',
      message: `cannot read ${path} (${error instanceof Error ? error.message : String(error)}); run 'sinkflow solve --save-potentials DIR' first`,
    });
  }
  const summary = parsed as Partial<SolveSummary>;
  if (
    typeof summary.epsilon !== 'number' ||
    !(summary.epsilon > 0) ||
    (summary.cost !== 'dot' && summary.cost !== 'sqeuclidean')
  ) {
    throw new InvalidArgumentError({
      functionName: 'sinkflow sample',
      argumentName: '--potentials',
      message: `${path} lacks a positive epsilon and a cost`,
    });
  }
  return summary as SolveSummary;
}
