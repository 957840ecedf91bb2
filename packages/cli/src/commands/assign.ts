import { InvalidArgumentError } from '@sinkflow/core';
import { assignPointClouds } from '@sinkflow/ot';
import type { Command } from '../cli/command.js';
import { parseFlags } from '../cli/parse-flags.js';
import { readCloudPairFlags, writeArrayFile } from '../io/cloud-files.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { checkOutputPaths, outputFlag } from '../io/output-paths.js';

/** `sinkflow assign`: the exact assignment between two clouds of the same size. */
export const assignCommand: Command = {
  name: 'assign',
  summary: 'exact optimal assignment (Jonker-Volgenant) between two .npy clouds of equal size',
  help: `
Usage: sinkflow assign --x X.npy --y Y.npy [--out perm.npy] [--json FILE]

Solves the n x n assignment problem for the cost 1/2 ||x_i - y_j||^2 exactly (shortest augmenting
paths, Jonker-Volgenant): the epsilon -> 0 limit of the Sinkhorn coupling. Prints and writes
{ n, cost (the mean 1/2 ||x_i - y_sigma(i)||^2), seconds }; --out writes sigma as int32.

Example:
  sinkflow assign --x x.npy --y y.npy --out perm.npy --json assign.json
`,
  async run(args, io) {
    const options = parseFlags('assign', args, {
      x: 'string',
      y: 'string',
      out: 'string',
      json: 'string',
    });
    await checkOutputPaths('assign', [
      outputFlag(options, 'out', 'file'),
      outputFlag(options, 'json', 'file'),
    ]);
    const { x, y } = await readCloudPairFlags('assign', {
      x: options.string('x'),
      y: options.string('y'),
    });
    if (x.n !== y.n) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow assign',
        argumentName: '--y',
        message: `has n = ${y.n} points but --x has n = ${x.n} (the assignment is square)`,
      });
    }
    const result = assignPointClouds({ x, y, cost: 'sqeuclidean' });
    const out = options.optionalString('out');
    if (out !== undefined)
      await writeArrayFile(out, { dtype: 'int32', shape: [result.n], data: result.permutation });
    const summary = { n: result.n, cost: result.cost, seconds: result.seconds };
    const json = options.optionalString('json');
    if (json !== undefined) await writeJsonSummary(json, summary, io);
    io.stdout.write(
      `n = ${summary.n}: mean 1/2 ||x - y||^2 = ${summary.cost.toPrecision(8)} in ${summary.seconds.toFixed(3)} s\n`,
    );
  },
};
