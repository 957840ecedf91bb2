import { BackendUnavailableError } from '@sinkflow/core';
import type { VelocityModel } from '../model/velocity-model.js';
import type { AdamOptimizer } from '../optim/adam-optimizer.js';
import type { ReplicaPool } from './replica-pool.js';

/** @internal The browser build has no training workers: `'auto'` resolves to one replica. */
export async function availableCores(): Promise<number> {
  return 1;
}

/**
 * @internal The browser build has no `node:worker_threads`: data-parallel training throws (run
 * the training in a Web Worker to keep a page responsive).
 */
export async function createReplicaPool(_options: {
  readonly model: VelocityModel;
  readonly optimizer: AdamOptimizer;
  readonly replicas: number;
  readonly backend: string;
}): Promise<ReplicaPool> {
  throw new BackendUnavailableError({
    backend: 'training workers',
    message:
      "data-parallel training (workers > 1) uses Node's worker threads and runs in Node only",
  });
}
