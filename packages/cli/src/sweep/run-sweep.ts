import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '@sinkflow/core';
import { executeRun } from './execute-run.js';
import { openResultsStore, type RunRecord } from './results-store.js';
import { runDirectory, setFailedResultAside } from './run-files.js';
import { STOP_GRACE_MS, stopChildren } from './stop-children.js';
import { expandSweep, parseSweepConfig, type RunSpec } from './sweep-config.js';

/** Options of {@link runSweep}. */
export interface SweepOptions {
  /** The YAML or JSON configuration file. */
  readonly configPath: string;
  /** The DuckDB database file. */
  readonly databasePath: string;
  /** Where each run gets a directory (spec, checkpoints, result). */
  readonly runsDirectory: string;
  /** Runs executed at once, each in its own process. @default 1 */
  readonly jobs?: number;
  /** Run failed runs again (their old `result.json` is kept as `result.failed-<time>.json`). @default false */
  readonly retryFailed?: boolean;
  /**
   * Stops the sweep (SIGTERM, Ctrl-C): no run is started any more, running children are sent
   * SIGTERM (SIGKILL after {@link STOP_GRACE_MS}) and waited for, and their runs go back to
   * `pending` for the next invocation.
   */
  readonly signal?: AbortSignal;
  /** Called when a run waits for another process that holds its directory. */
  readonly onWait?: (event: { readonly run: RunSpec; readonly pid: number | null }) => void;
  /** Called when a run starts or ends. */
  readonly onRun?: (event: {
    readonly run: RunSpec;
    readonly status: 'running' | 'done' | 'failed';
    readonly done: number;
    readonly total: number;
  }) => void;
}

/** Counts of a sweep's runs after {@link runSweep}. */
export interface SweepSummary {
  readonly sweep: string;
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Runs that a previous, interrupted invocation had left `running`. */
  readonly resumed: number;
  readonly seconds: number;
  /** True when `signal` stopped the sweep before every run was done. */
  readonly interrupted: boolean;
  readonly runs: readonly RunRecord[];
}

/**
 * Runs every run of a sweep that is not finished yet, `jobs` at a time, each in a child process
 * (`sinkflow run --spec`), and records config, metrics, timings and status in DuckDB.
 *
 * Crash safety: a run's result is written atomically into its directory by the child, then
 * recorded in the database in its own transaction; runs left `running` by a killed sweep are
 * reset to `pending` and resumed (from their own checkpoints, for runs that write them), and a
 * result a child finished while its parent was dead is picked up without running it again. A
 * child stops on its own when the sweep dies (even by SIGKILL), and two processes never run in one
 * run directory (see `executeRun`); a train run resumed from its checkpoint ends as the
 * uninterrupted run would have.
 *
 * @throws {@link InvalidArgumentError} naming `--jobs`, `CONFIG` or `--db` (a database held by
 * another process).
 */
export async function runSweep(options: SweepOptions): Promise<SweepSummary> {
  const started = performance.now();
  const { configPath, databasePath, runsDirectory, jobs = 1, retryFailed = false, onRun } = options;
  const { signal, onWait } = options;
  if (!Number.isSafeInteger(jobs) || jobs < 1) {
    throw new InvalidArgumentError({
      functionName: 'sinkflow sweep',
      argumentName: '--jobs',
      message: 'must be an integer >= 1',
      value: jobs,
    });
  }
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError({
      functionName: 'sinkflow sweep',
      argumentName: 'CONFIG',
      message: `cannot read ${configPath} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    });
  }
  const config = parseSweepConfig(text, configPath);
  const specs = expandSweep(config);
  const store = await openResultsStore(databasePath, { functionName: 'sinkflow sweep' });
  const children = new Set<ChildProcess>();
  const stopRuns = () => stopChildren(children);
  signal?.addEventListener('abort', stopRuns);
  try {
    await store.addRuns(specs);
    const resumed = await store.resetInterrupted(config.name);
    const statusById = new Map(
      (await store.list(config.name)).map((record) => [record.id, record.status]),
    );
    const todo = specs.filter((spec) => {
      const status = statusById.get(spec.id);
      return status === 'pending' || (retryFailed && status === 'failed');
    });
    let done = specs.length - todo.length;
    let next = 0;
    const worker = async () => {
      while (next < todo.length && !signal?.aborted) {
        const spec = todo[next] as RunSpec;
        next += 1;
        const directory = runDirectory(runsDirectory, spec.id);
        if (retryFailed && statusById.get(spec.id) === 'failed') {
          await setFailedResultAside(directory);
        }
        await store.setStatus(spec.id, 'running');
        onRun?.({ run: spec, status: 'running', done, total: specs.length });
        const result = await executeRun(spec, directory, {
          children,
          signal,
          onWait: (pid) => onWait?.({ run: spec, pid }),
        });
        if (result === undefined) {
          await store.setStatus(spec.id, 'pending');
          continue;
        }
        await store.setStatus(spec.id, result.status, {
          metrics: result.metrics,
          seconds: result.seconds,
          ...(result.error === null ? {} : { error: result.error }),
        });
        done += 1;
        onRun?.({ run: spec, status: result.status, done, total: specs.length });
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, todo.length)) }, worker));
    // This config's runs only: another config may share the sweep name (more seeds of a grid).
    const ids = new Set(specs.map((spec) => spec.id));
    const runs = (await store.list(config.name)).filter((run) => ids.has(run.id));
    return {
      sweep: config.name,
      total: specs.length,
      done: runs.filter((run) => run.status === 'done').length,
      failed: runs.filter((run) => run.status === 'failed').length,
      resumed,
      seconds: (performance.now() - started) / 1000,
      interrupted: signal?.aborted === true && runs.some((run) => run.status === 'pending'),
      runs,
    };
  } finally {
    signal?.removeEventListener('abort', stopRuns);
    stopRuns();
    store.close();
  }
}
