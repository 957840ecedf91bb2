import type { ChildProcess } from 'node:child_process';

/**
 * How long a run has to stop on SIGTERM before the sweep kills it. A run answers SIGTERM between
 * two steps; one step of a large coupling or a niced run on a loaded machine can take longer, and
 * the sweep must not hang on it. SIGKILL loses nothing saved: checkpoints and results are written
 * atomically, a dead owner's run lock is taken over, and the run goes back to `pending`.
 */
export const STOP_GRACE_MS = 10_000;

/**
 * Sends SIGTERM to every child still running, then SIGKILL to those still running `graceMs`
 * later (the timer does not keep the process alive by itself).
 *
 * @example
 * ```ts
 * signal.addEventListener('abort', () => stopChildren(children));
 * ```
 */
export function stopChildren(
  children: Iterable<ChildProcess>,
  graceMs: number = STOP_GRACE_MS,
): void {
  const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
  for (const child of children) {
    if (!running(child)) continue;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (running(child)) child.kill('SIGKILL');
    }, graceMs);
    timer.unref();
    child.once('exit', () => clearTimeout(timer));
  }
}
