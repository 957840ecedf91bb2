import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';

/** The lock file of a run directory. */
export const RUN_LOCK_FILE = 'run.lock';

/** Who holds a run directory: what its lock file says. */
export interface RunLockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** ISO 8601 time the lock was taken. */
  readonly startedAt: string;
  /** The command line that took it (`run`, `train`). */
  readonly command: string;
}

/** A held lock; `release()` is synchronous, so that signal and exit handlers can call it. */
export interface RunLock {
  readonly path: string;
  readonly owner: RunLockOwner;
  /** Removes the lock file if it is still this process's; later calls do nothing. */
  release(): void;
}

/** What {@link inspectRunLock} found: the owner (null when unreadable) and whether it still runs. */
export interface RunLockState {
  readonly owner: RunLockOwner | null;
  /** True while the owner may still be running (its pid lives, or it is on another host). */
  readonly live: boolean;
}

/** A lock file this young that cannot be read yet is being written by its owner. */
const WRITING_GRACE_MS = 10_000;

/**
 * Takes the lock of a run directory: `DIR/run.lock`, created atomically (`O_EXCL`) and holding
 * the pid, host name, start time and command, so that two processes never train or write results
 * in one directory. A lock whose process is gone (same host, pid not running: a killed run) is
 * stale and taken over. The lock is released by `release()`, and at the latest when this process
 * exits.
 *
 * @throws {@link InvalidArgumentError} naming `argumentName` when a live process holds the
 * directory (the message names its pid, host and start time).
 */
export async function acquireRunLock({
  directory,
  command,
  functionName,
  argumentName = '--out',
}: {
  readonly directory: string;
  readonly command: string;
  readonly functionName: string;
  readonly argumentName?: string;
}): Promise<RunLock> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, RUN_LOCK_FILE);
  const owner: RunLockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    command,
  };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    let descriptor: number;
    try {
      descriptor = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const state = inspectRunLock(directory);
      if (state?.live) {
        throw new InvalidArgumentError({
          functionName,
          argumentName,
          message: `${directory} is in use by ${describeOwner(state.owner)} (lock ${path}); wait for it to finish or stop it`,
        });
      }
      // Stale: its process is gone. Remove it and try again (another process may win the race).
      try {
        unlinkSync(path);
      } catch (removal) {
        if ((removal as NodeJS.ErrnoException).code !== 'ENOENT') throw removal;
      }
      continue;
    }
    try {
      writeSync(descriptor, `${JSON.stringify(owner)}\n`);
    } finally {
      closeSync(descriptor);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      if (inspectRunLock(directory)?.owner?.startedAt !== owner.startedAt) return;
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
    };
    process.on('exit', release);
    return { path, owner, release };
  }
  throw new InvalidArgumentError({
    functionName,
    argumentName,
    message: `${directory}: could not take its lock ${path} (other processes keep taking it)`,
  });
}

/** Reads the lock of a run directory: undefined when there is none. */
export function inspectRunLock(directory: string): RunLockState | undefined {
  const path = join(directory, RUN_LOCK_FILE);
  let text: string;
  let modified: number;
  try {
    text = readFileSync(path, 'utf8');
    modified = statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  let owner: RunLockOwner | null = null;
  try {
    const parsed = JSON.parse(text) as Partial<RunLockOwner>;
    if (
      Number.isSafeInteger(parsed.pid) &&
      typeof parsed.hostname === 'string' &&
      typeof parsed.startedAt === 'string'
    ) {
      owner = {
        pid: parsed.pid as number,
        hostname: parsed.hostname,
        startedAt: parsed.startedAt,
        command: typeof parsed.command === 'string' ? parsed.command : '?',
      };
    }
  } catch {
    owner = null;
  }
  if (owner === null) return { owner, live: Date.now() - modified < WRITING_GRACE_MS };
  if (owner.hostname !== hostname()) return { owner, live: true };
  if (owner.pid === process.pid) {
    // This process's pid: ours if taken since this process started, else left by an earlier
    // process that had the same pid (pids are reused, in containers especially).
    const started = Date.now() - process.uptime() * 1000;
    return { owner, live: Date.parse(owner.startedAt) >= started - 1000 };
  }
  return { owner, live: isProcessRunning(owner.pid) };
}

/** Whether a process with this pid runs on this machine (signal 0 probes without sending). */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describeOwner(owner: RunLockOwner | null): string {
  if (owner === null) return 'a process that is taking its lock';
  return `another process (pid ${owner.pid} on ${owner.hostname}, sinkflow ${owner.command} since ${owner.startedAt})`;
}
