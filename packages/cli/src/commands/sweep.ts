import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import type { Command } from '../cli/command.js';
import { parseFlags } from '../cli/parse-flags.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { createProgress } from '../io/progress.js';
import { openResultsStore } from '../sweep/results-store.js';
import { runSweep } from '../sweep/run-sweep.js';

/** `sinkflow sweep CONFIG`: the paper's grid, resumable, results in DuckDB. */
export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'run a grid of experiments from a YAML/JSON config; results in DuckDB, resumable',
  help: `
Usage: sinkflow sweep CONFIG [--db results.duckdb] [--runs DIR] [--jobs N] [--retry-failed]
                     [--export-csv FILE] [--export-parquet FILE] [--json FILE]

Expands CONFIG (benchmarks x dimensions x OT batch sizes x target entropies or relative epsilons x
seeds) and runs every run not finished yet, N at a time, each in its own process. Every run's
config, metrics, timings and status go to the DuckDB database. Interrupt it at any time (even
kill -9) and run the same command again: finished runs are kept, unfinished ones resume (train runs
from their last checkpoint, to the same result). SIGTERM or Ctrl-C stops the running runs and
waits for them (killing any still running 10 s later: nothing saved is lost); after kill -9 they notice on their own and stop. A run directory is never used by
two processes at once (runs/<id>/run.lock). A database in use by another sweep exits 2 naming --db.

CONFIG fields: name, kind (coupling | train), benchmarks, dimensions, otBatchSizes,
targetEntropies | relativeEpsilons, seeds, options.

Options:
  --db FILE             the DuckDB database            (default: sweeps/<name>.duckdb next to CONFIG)
  --runs DIR            run directories                (default: sweeps/<name>-runs next to CONFIG)
  --jobs N              runs at once                   (default 1)
  --retry-failed        run failed runs again (the old result is kept as result.failed-<time>.json)
  --export-csv FILE     write the runs table as CSV after the sweep
  --export-parquet FILE write it as Parquet
  --json FILE           write { sweep, total, done, failed, resumed, seconds } as JSON

Example:
  sinkflow sweep configs/entropy-grid.yaml --jobs 2 --export-parquet results.parquet
`,
  async run(args, io) {
    const options = parseFlags(
      'sweep',
      args,
      {
        db: 'string',
        runs: 'string',
        jobs: 'string',
        'retry-failed': 'boolean',
        'export-csv': 'string',
        'export-parquet': 'string',
        json: 'string',
      },
      { positionals: ['CONFIG'] },
    );
    const configPath = options.positionals[0];
    if (configPath === undefined) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow sweep',
        argumentName: 'CONFIG',
        message: 'give exactly one configuration file',
      });
    }
    const base = join(configPath, '..', 'sweeps');
    const stem = configPath.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/, '');
    const databasePath = options.string('db', join(base, `${stem}.duckdb`));
    const runsDirectory = options.string('runs', join(base, `${stem}-runs`));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(databasePath, '..'), { recursive: true });
    let progress: ReturnType<typeof createProgress> | undefined;
    const controller = new AbortController();
    let stoppedBy: NodeJS.Signals | undefined;
    const stop = (signal: NodeJS.Signals) => {
      stoppedBy ??= signal;
      controller.abort();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    let summary: Awaited<ReturnType<typeof runSweep>>;
    try {
      summary = await runSweep({
        configPath,
        databasePath,
        runsDirectory,
        jobs: options.integer('jobs', { fallback: 1, minimum: 1, maximum: 64 }),
        retryFailed: options.boolean('retry-failed'),
        onRun: ({ status, done, total, run }) => {
          progress ??= createProgress(io, {
            total,
            format: 'sweep [{bar}] {value}/{total} runs | {last}',
          });
          progress.update(done, { last: `${run.id} ${status}` });
        },
        signal: controller.signal,
        onWait: ({ run, pid }) =>
          io.stderr.write(
            `sweep: run ${run.id} waits for process ${pid ?? '?'}, which holds its directory\n`,
          ),
      });
    } finally {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
    }
    progress?.stop();
    if (stoppedBy !== undefined) {
      io.stderr.write(
        `sinkflow sweep: stopped by ${stoppedBy} (${summary.done}/${summary.total} done, running runs stopped and set back to pending); run the same command again to resume\n`,
      );
      // Die of the signal, as an interrupted program should (exit status 128 + its number).
      process.kill(process.pid, stoppedBy);
      return;
    }
    const exports: Array<[string | undefined, 'csv' | 'parquet']> = [
      [options.optionalString('export-csv'), 'csv'],
      [options.optionalString('export-parquet'), 'parquet'],
    ];
    if (exports.some(([path]) => path !== undefined)) {
      const store = await openResultsStore(databasePath, { functionName: 'sinkflow sweep' });
      try {
        for (const [path, format] of exports)
          if (path !== undefined) await store.exportTo(path, format);
      } finally {
        store.close();
      }
    }
    const { runs: _runs, ...counts } = summary;
    const json = options.optionalString('json');
    if (json !== undefined) await writeJsonSummary(json, { ...counts, database: databasePath }, io);
    io.stdout.write(
      `sweep ${summary.sweep}: ${summary.done}/${summary.total} done, ${summary.failed} failed` +
        `${summary.resumed > 0 ? `, ${summary.resumed} resumed` : ''} in ${summary.seconds.toFixed(1)} s (database ${databasePath})\n`,
    );
  },
};
