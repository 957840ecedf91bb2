import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import { selectBackend } from '@sinkflow/fm';
import type { Command, CommandIo } from '../cli/command.js';
import { parseFlags } from '../cli/parse-flags.js';
import { runCoupling } from '../sweep/run-coupling.js';
import { cleanRunLeftovers, type RunResult, writeJsonAtomically } from '../sweep/run-files.js';
import { acquireRunLock } from '../sweep/run-lock.js';
import { stopOnInterrupt } from '../sweep/stop-on-interrupt.js';
import type { RunSpec } from '../sweep/sweep-config.js';
import { runTrainSpec } from '../training/run-train-spec.js';

/** `sinkflow run`: one run of a sweep (what `sweep` starts in a child process). */
export const runCommand: Command = {
  name: 'run',
  summary: 'execute one sweep run from its spec file (used by sweep; useful to debug a run)',
  help: `
Usage: sinkflow run --spec SPEC.json --out DIR

Executes one run of a sweep as described by SPEC.json (written by 'sinkflow sweep' into the run's
directory) and writes DIR/result.json atomically. Checkpoints, where a run kind writes them, go to DIR.
DIR/run.lock keeps a second process out of DIR while this one runs (exit 2 naming --out; a lock
left by a killed run is taken over). SIGTERM or SIGINT, or the end of the sweep that started it
(even by kill -9), stops the run (exit 143); started again, it resumes from its last checkpoint.

Example:
  sinkflow run --spec runs/3f2a9c1d0b7e4a55/spec.json --out runs/3f2a9c1d0b7e4a55
`,
  async run(args, io) {
    const options = parseFlags('run', args, { spec: 'string', out: 'string' });
    const specPath = options.string('spec');
    const directory = options.string('out');
    let spec: RunSpec;
    try {
      spec = JSON.parse(await readFile(specPath, 'utf8')) as RunSpec;
    } catch (error) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow run',
        argumentName: '--spec',
        message: `cannot read ${specPath}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    const lock = await acquireRunLock({ directory, command: 'run', functionName: 'sinkflow run' });
    const stopWatching = stopOnInterrupt({
      command: 'run',
      stderr: io.stderr,
      cleanup: lock.release,
    });
    try {
      await cleanRunLeftovers(directory);
      await executeSpec(spec, directory, io);
    } finally {
      stopWatching();
      lock.release();
    }
  },
};

/** Runs the spec and writes `result.json` (failures included) into the run directory. */
async function executeSpec(spec: RunSpec, directory: string, io: CommandIo): Promise<void> {
  const started = performance.now();
  let result: RunResult;
  try {
    let metrics: RunResult['metrics'];
    if (spec.kind === 'train') {
      // As `sinkflow train` does: TensorFlow.js's wasm kernels (else its pure-JS cpu backend, which
      // a run without this choice fell to: 5-10 times slower), recorded with the run.
      const backend = await selectBackend({ preference: ['wasm', 'cpu'], log: null });
      metrics = { ...(await runTrainSpec(spec, directory)), backend: backend.backend };
    } else {
      metrics = (await runCoupling(spec)).metrics;
    }
    result = {
      id: spec.id,
      status: 'done',
      metrics,
      seconds: (performance.now() - started) / 1000,
      error: null,
    };
  } catch (error) {
    result = {
      id: spec.id,
      status: 'failed',
      metrics: {},
      seconds: (performance.now() - started) / 1000,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  await writeJsonAtomically(join(directory, 'result.json'), result);
  io.stdout.write(`${result.status}: ${spec.id} in ${result.seconds.toFixed(2)} s\n`);
}
