/**
 * Set by `sweep` in the environment of each `run` child it starts (with an IPC channel): the
 * sweep's pid. A run that sees it watches the channel and stops when the sweep is gone.
 */
export const SWEEP_PARENT_ENV = 'SINKFLOW_SWEEP_PID';

/** Exit code of a command stopped by a signal or by the loss of its sweep: 128 + the signal number. */
export const STOPPED_EXIT = { SIGTERM: 143, SIGINT: 130 } as const;

/**
 * Makes a long command stop promptly, and cleanly, when it is asked to (SIGTERM, SIGINT) or, for
 * a run started by `sweep`, when that sweep is gone: the sweep starts each run with an IPC channel
 * and {@link SWEEP_PARENT_ENV} set, and the channel closes when the sweep exits, even when it is
 * killed with SIGKILL, so the run notices on its own. On any of these it calls `cleanup` (release
 * the run's lock), writes one line on stderr and exits with 143 (130 for SIGINT). Work already
 * saved stays: checkpoints and results are written atomically, and leftovers of a write cut short
 * are cleaned up by the next run. Returns a function that removes the handlers.
 */
export function stopOnInterrupt({
  command,
  stderr,
  cleanup,
}: {
  readonly command: string;
  readonly stderr: { write(text: string): unknown };
  readonly cleanup: () => void;
}): () => void {
  const stop = (reason: string, code: number) => {
    cleanup();
    stderr.write(
      `sinkflow ${command}: stopped (${reason}); run the same command again to resume\n`,
    );
    process.exit(code);
  };
  const onTerm = () => stop('SIGTERM', STOPPED_EXIT.SIGTERM);
  const onInt = () => stop('SIGINT', STOPPED_EXIT.SIGINT);
  const onDisconnect = () => stop('the sweep that started it is gone', STOPPED_EXIT.SIGTERM);
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  const watchesSweep =
    process.env[SWEEP_PARENT_ENV] !== undefined && typeof process.send === 'function';
  if (watchesSweep) {
    if (process.connected) {
      process.on('disconnect', onDisconnect);
      // The channel must not keep the run alive once its work is done.
      process.channel?.unref();
    } else {
      stop('the sweep that started it is gone', STOPPED_EXIT.SIGTERM);
    }
  }
  return () => {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    if (watchesSweep) process.off('disconnect', onDisconnect);
  };
}
