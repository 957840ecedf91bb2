import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import { createPartnerSampler } from '@sinkflow/ot';
import type { CommandIo } from '../cli/command.js';
import type { Flags } from '../cli/parse-flags.js';
import { SEMIDISCRETE_RECORD } from '../commands/semidiscrete.js';
import { readArrayFlag, readCloudPairFlags, writeArrayFile } from './cloud-files.js';
import { fingerprintCloud, fingerprintMismatch } from './cloud-fingerprint.js';
import { writeJsonSummary } from './json-summary.js';
import { checkOutputPaths, outputFlag } from './output-paths.js';

/** The flags of `sample` that only apply to a coupling saved by `solve`. */
const COUPLING_ONLY = ['potentials', 'count', 'backend', 'recalibrate'] as const;

/**
 * `sinkflow sample --semidiscrete DIR --y Y.npy --x X.npy --seed S --out idx.npy`: for each row x of
 * X, the index j of its partner under the dual g saved by `sinkflow semidiscrete` in DIR
 * [mousavi2025semidiscrete]: `argmax_j (g_j - C(x, y_j))`, or a Gumbel-max draw from
 * `pi_j(x) ∝ b_j exp((g_j - C(x, y_j)) / eps)` when the fit was entropic. Writes int32 indices.
 *
 * @throws {@link InvalidArgumentError} naming `--semidiscrete` (a missing or unreadable fit, one
 * fitted on other points than Y) or a flag that only applies to `--potentials`.
 */
export async function sampleSemidiscretePartners(options: Flags, io: CommandIo): Promise<void> {
  const started = performance.now();
  const functionName = 'sinkflow sample';
  for (const flag of COUPLING_ONLY) {
    if (options.has(flag)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `--${flag}`,
        message: 'does not apply with --semidiscrete (one partner per row of --x)',
      });
    }
  }
  const directory = options.string('semidiscrete');
  const out = options.string('out');
  const seed = options.integer('seed', { fallback: 0, minimum: 0 });
  await checkOutputPaths('sample', [
    outputFlag(options, 'out', 'file'),
    outputFlag(options, 'json', 'file'),
  ]);
  const record = await readRecord(directory);
  const { x, y } = await readCloudPairFlags('sample', {
    x: options.string('x'),
    y: options.string('y'),
  });
  const mismatch = fingerprintMismatch(record.fingerprint, fingerprintCloud(y));
  if (mismatch !== undefined) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: '--semidiscrete',
      message: `was fitted on other points than --y ${options.string('y')}: ${mismatch}`,
    });
  }
  const g = await readArrayFlag('sample', '--semidiscrete', join(directory, 'g.npy'));
  if (
    !(g.data instanceof Float64Array) ||
    g.data.length !== y.n ||
    !g.data.every(Number.isFinite)
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: '--semidiscrete',
      message: `${directory}/g.npy must be a finite float64 vector of length N = ${y.n}`,
    });
  }
  // The wasm score kernel on threads (the TypeScript reference where the host has no wasm).
  const sampler = await createPartnerSampler({
    y: record.weights === undefined ? y : { ...y, weights: record.weights },
    g: g.data,
    cost: record.cost,
    epsilon: record.epsilon,
  });
  let indices: Int32Array;
  try {
    ({ indices } = sampler.sample({ x, seed }));
  } finally {
    await sampler.dispose();
  }
  await writeArrayFile(out, { dtype: 'int32', shape: [x.n], data: indices });
  const seconds = (performance.now() - started) / 1000;
  const json = options.optionalString('json');
  if (json !== undefined) await writeJsonSummary(json, { count: x.n, seed, seconds, out }, io);
  io.stdout.write(`wrote the partners of ${x.n} points to ${out} in ${seconds.toFixed(2)} s\n`);
}

/** DIR/semidiscrete.json, checked. */
async function readRecord(directory: string): Promise<{
  readonly epsilon: number;
  readonly cost: 'dot' | 'sqeuclidean';
  readonly fingerprint: ReturnType<typeof fingerprintCloud>;
  readonly weights: Float64Array | undefined;
}> {
  const fail = (message: string): never => {
    throw new InvalidArgumentError({
      functionName: 'sinkflow sample',
      argumentName: '--semidiscrete',
      message,
      value: directory,
    });
  };
  let record: Record<string, unknown> = {};
  try {
    record = JSON.parse(await readFile(join(directory, SEMIDISCRETE_RECORD), 'utf8'));
  } catch {
    fail(
      `${directory}/${SEMIDISCRETE_RECORD} is missing or not JSON (write it with 'sinkflow semidiscrete --save ${directory}')`,
    );
  }
  const { epsilon, cost, fingerprint, weighted } = record;
  if (typeof epsilon !== 'number' || !(epsilon >= 0)) fail('its epsilon is not a number >= 0');
  if (cost !== 'dot' && cost !== 'sqeuclidean') fail("its cost is not 'dot' or 'sqeuclidean'");
  if (fingerprint === null || typeof fingerprint !== 'object') fail('it has no fingerprint of Y');
  let weights: Float64Array | undefined;
  if (weighted === true) {
    const b = await readArrayFlag('sample', '--semidiscrete', join(directory, 'b.npy'));
    if (!(b.data instanceof Float64Array)) fail(`${directory}/b.npy must be float64 weights`);
    weights = b.data as Float64Array;
  }
  return {
    epsilon: epsilon as number,
    cost: cost as 'dot' | 'sqeuclidean',
    fingerprint: fingerprint as ReturnType<typeof fingerprintCloud>,
    weights,
  };
}
