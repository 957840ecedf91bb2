import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InternalError } from '@sinkflow/core';
import { type RunResult, readRunResult, writeRunSpec } from './run-files.js';
import { inspectRunLock } from './run-lock.js';
import { SWEEP_PARENT_ENV } from './stop-on-interrupt.js';
import type { RunSpec } from './sweep-config.js';

/** How often a run whose directory another process holds is checked again. */
const LOCK_POLL_MS = 200;

/**
 * Runs one spec in a child process (`sinkflow run --spec DIR/spec.json --out DIR`) and returns its
 * result; a crash becomes a `failed` result with the stderr tail. The child gets an IPC channel
 * and `SINKFLOW_SWEEP_PID`, so it stops on its own when this process dies, even by SIGKILL.
 *
 * Never two processes in one run directory: while another live process holds the directory's
 * lock (a run left by a killed sweep that has not stopped yet, another sweep on the same runs
 * directory), this waits for it, then takes that process's result if it finished the run. Returns
 * undefined when `signal` aborts (the child is sent SIGTERM by the caller, see `children`).
 */
export async function executeRun(
  spec: RunSpec,
  directory: string,
  {
    children,
    signal,
    onWait,
  }: {
    /** The running children, for the caller to stop on SIGTERM. */
    readonly children: Set<ChildProcess>;
    readonly signal?: AbortSignal | undefined;
    /** Called once when the run waits for another process's lock. */
    readonly onWait?: ((pid: number | null) => void) | undefined;
  },
): Promise<RunResult | undefined> {
  let waited = false;
  for (;;) {
    while (inspectRunLock(directory)?.live) {
      if (signal?.aborted) return undefined;
      if (!waited) onWait?.(inspectRunLock(directory)?.owner?.pid ?? null);
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    if (signal?.aborted) return undefined;
    const finished = await readRunResult(directory);
    if (finished !== undefined) return finished;
    const specPath = await writeRunSpec(directory, spec);
    if (signal?.aborted) return undefined;
    const started = performance.now();
    const stderr = await runChild(specPath, directory, children);
    const result = await readRunResult(directory);
    if (result !== undefined) return result;
    if (signal?.aborted) return undefined;
    // The child found the directory locked (another process took it first): wait again.
    if (inspectRunLock(directory)?.live) continue;
    return {
      id: spec.id,
      status: 'failed',
      metrics: {},
      seconds: (performance.now() - started) / 1000,
      error: stderr.trim() || 'the run process exited without a result',
    };
  }
}

/** Starts `sinkflow run` and resolves with its stderr tail when it has exited. */
function runChild(specPath: string, directory: string, children: Set<ChildProcess>) {
  return new Promise<string>((resolve) => {
    const child = spawn(
      process.execPath,
      [cliPath(), 'run', '--spec', specPath, '--out', directory],
      {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        env: { ...process.env, [SWEEP_PARENT_ENV]: String(process.pid) },
      },
    );
    children.add(child);
    let tail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-2000);
    });
    child.on('close', () => {
      children.delete(child);
      resolve(tail);
    });
  });
}

/** The built `sinkflow` entry (packages/cli/dist/cli.js, or the installed package's), found from this module's location. */
function cliPath(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@sinkflow/cli'
    ) {
      return join(directory, 'dist', 'cli.js');
    }
    const parent = dirname(directory);
    if (parent === directory) {
      throw new InternalError({
        where: 'sinkflow sweep',
        message: 'cannot find the @sinkflow/cli package root',
      });
    }
    directory = parent;
  }
}
