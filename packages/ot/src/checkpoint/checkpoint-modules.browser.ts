import { BackendUnavailableError } from '@sinkflow/core';
import type { NodeModules } from './checkpoint-modules.js';

export type { NodeModules } from './checkpoint-modules.js';

/**
 * @internal Checkpoint files need Node's file system: in the browser build a checkpointed solve
 * throws a `BackendUnavailableError` that says so.
 */
export async function loadCheckpointModules(functionName: string): Promise<NodeModules> {
  throw new BackendUnavailableError({
    backend: 'checkpoint files',
    message: `${functionName} writes its checkpoints to files, which only Node can (not a browser)`,
  });
}
