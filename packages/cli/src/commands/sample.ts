import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import { createSinkhornProblem } from '@sinkflow/ot';
import type { Command } from '../cli/command.js';
import { parseFlags } from '../cli/parse-flags.js';
import { BACKEND_NAMES, backendFromFlag } from '../io/backend-flag.js';
import { readArrayFlag, readCloudPairFlags, writeArrayFile } from '../io/cloud-files.js';
import { fingerprintCloud, fingerprintMismatch } from '../io/cloud-fingerprint.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { requireMemory } from '../io/memory-budget.js';
import { checkOutputPaths, outputFlag } from '../io/output-paths.js';
import { sampleSemidiscretePartners } from '../io/semidiscrete-partners.js';
import { readSolveRecord } from '../io/solve-record.js';

/**
 * Peak bytes of `sample --count K`: the row, draw and column indices of the library (4 bytes
 * each) and the K x 2 int32 output (8 bytes).
 */
const BYTES_PER_PAIR = 20;

const flags = {
  x: 'string',
  y: 'string',
  potentials: 'string',
  count: 'string',
  seed: 'string',
  out: 'string',
  backend: 'string',
  recalibrate: 'boolean',
  semidiscrete: 'string',
  json: 'string',
} as const;

/** `sinkflow sample`: exact pairs from a solved coupling. */
export const sampleCommand: Command = {
  name: 'sample',
  summary: 'draw exact (i, j) pairs from a coupling saved by solve --save-potentials',
  help: `
Usage: sinkflow sample --x X.npy --y Y.npy --potentials DIR --count K --seed S --out pairs.npy
       sinkflow sample --semidiscrete DIR --y Y.npy --x X.npy --seed S --out idx.npy

Draws K pairs (i, j): i from the row weights, then j from row i of P = exp((f + g - C) / eps) by
Gumbel-max over the columns (exact; the coupling is never formed). Epsilon, the cost and the PCA
setting are read from DIR/solve.json. Writes an int32 K x 2 array of indices.

With --semidiscrete DIR (a dual saved by 'sinkflow semidiscrete --save DIR'), writes instead,
for each row x of X, the index j of its partner among the points of Y (int32): the argmax of
g_j - C(x, y_j), or a Gumbel-max draw when the fit was entropic (seeded by --seed).

Refuses (exit 2, naming --potentials) potentials from a diverged solve, non-finite ones, and
potentials solved for other clouds: X and Y must match the SHA-256 fingerprints that
'solve --save-potentials' recorded in DIR/solve.json (shape, dtype and bytes). A --count whose
arrays would not fit in memory (20 bytes a pair; budget: half of the RAM, or
SINKFLOW_MEMORY_BUDGET) exits 2 before any work, as does an unwritable --out or --json.

Options:
  --count K      number of pairs (required)
  --seed S       random seed (default 0)
  --backend NAME ${BACKEND_NAMES.join('|')} (default auto: the calibration kept by solve, per
                 machine and package versions, in $XDG_CACHE_HOME/sinkflow)
  --recalibrate  calibrate --backend auto again
  --json FILE    write { count, seed, seconds, out } as JSON

Example:
  sinkflow solve --x x.npy --y y.npy --target-entropy 0.2 --save-potentials run1
  sinkflow sample --x x.npy --y y.npy --potentials run1 --count 4096 --seed 7 --out pairs.npy
`,
  async run(args, io) {
    const started = performance.now();
    const options = parseFlags('sample', args, flags);
    if (options.has('semidiscrete')) {
      await sampleSemidiscretePartners(options, io);
      return;
    }
    const count = options.integer('count', { minimum: 1, maximum: 2 ** 31 - 1 });
    const seed = options.integer('seed', { fallback: 0, minimum: 0 });
    const out = options.string('out');
    const json = options.optionalString('json');
    const backendName = options.choice('backend', BACKEND_NAMES, 'auto');
    const directory = options.string('potentials');
    requireMemory({
      command: 'sample',
      flag: '--count',
      bytes: BYTES_PER_PAIR * count,
      what: `${count} pairs`,
    });
    await checkOutputPaths('sample', [
      outputFlag(options, 'out', 'file'),
      outputFlag(options, 'json', 'file'),
    ]);
    const summary = await readSolveRecord('sample', '--potentials', directory);
    if (summary.converged === false) {
      io.stderr.write(
        `sinkflow sample: note: the potentials in ${directory} did not converge (saved with --allow-unconverged)\n`,
      );
    }
    const { x, y } = await readCloudPairFlags('sample', {
      x: options.string('x'),
      y: options.string('y'),
    });
    for (const [flag, cloud] of [
      ['--x', x],
      ['--y', y],
    ] as const) {
      const mismatch = fingerprintMismatch(
        summary.fingerprints[flag === '--x' ? 'x' : 'y'],
        fingerprintCloud(cloud),
      );
      if (mismatch !== undefined) {
        throw new InvalidArgumentError({
          functionName: 'sinkflow sample',
          argumentName: '--potentials',
          message: `were solved for other clouds than ${flag} ${options.string(flag.slice(2))}: ${mismatch}`,
        });
      }
    }
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
    if (!f.data.every(Number.isFinite) || !g.data.every(Number.isFinite)) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow sample',
        argumentName: '--potentials',
        message: `${directory}/f.npy or g.npy holds NaN or infinite values (a diverged solve); solve again with a larger epsilon`,
      });
    }
    const chosen = await backendFromFlag(backendName, {
      n: x.n,
      m: y.n,
      d: summary.pcaComponents ?? x.d,
      mode: 'auto',
      recalibrate: options.boolean('recalibrate'),
    });
    const problem = await createSinkhornProblem({
      x,
      y,
      ...chosen.options,
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
    if (json !== undefined) await writeJsonSummary(json, { count, seed, seconds, out }, io);
    io.stdout.write(`wrote ${count} pairs to ${out} in ${seconds.toFixed(2)} s\n`);
  },
};
