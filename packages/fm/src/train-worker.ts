/**
 * The program of fm's data-parallel training replicas (built to `dist/train-worker.js`): one
 * copy of the velocity model and its optimizer per worker thread, driven by the calling thread's
 * trainer through {@link runReplicaWorker}.
 *
 * @internal
 */
import { parentPort } from 'node:worker_threads';
import { InternalError } from '@sinkflow/core';
import { runReplicaWorker } from './parallel/replica-worker.js';

if (parentPort === null) {
  throw new InternalError({ where: 'train-worker.js', message: 'must run in a worker thread' });
}
runReplicaWorker(parentPort);
