import { BackendUnavailableError } from '@sinkflow/core';
import type { CheckpointHost } from './checkpoint-host.js';

export type { CheckpointHost } from './checkpoint-host.js';

/**
 * @internal Checkpoint files need Node's file system: in the browser build, writing, reading or
 * recovering a checkpoint throws a `BackendUnavailableError` that says so.
 */
export async function loadCheckpointHost(functionName: string): Promise<CheckpointHost> {
  throw new BackendUnavailableError({
    backend: 'checkpoint files',
    message: `${functionName} reads and writes files, which only Node can (not a browser)`,
  });
}
