import * as tf from '@tensorflow/tfjs';
import { type BackendCandidate, selectBackend } from '../backend/select-backend.js';
import { accumulateGradients } from '../internal/gradient-step.js';
import { mlpVelocityModelFromConfig } from '../model/create-mlp-velocity-model.js';
import type { VelocityModel } from '../model/velocity-model.js';
import { type AdamOptimizer, createAdamOptimizer } from '../optim/adam-optimizer.js';
import {
  type AllReduceBuffers,
  abortAllReduce,
  applyReducedGradients,
  arriveAtBarrier,
  waitAtBarrier,
  writeGradientSlot,
} from './gradient-all-reduce.js';
import type { ReplicaAnswer, ReplicaRequest } from './replica-protocol.js';

/** What a replica holds between requests. */
interface ReplicaState {
  readonly model: VelocityModel;
  readonly optimizer: AdamOptimizer;
  readonly buffers: AllReduceBuffers;
  readonly replica: number;
}

/** The `tf.getBackend()` names a replica can select, and the candidate that sets each. */
const candidateOf: Readonly<Record<string, BackendCandidate>> = { wasm: 'wasm', cpu: 'cpu' };

/**
 * @internal The program of a data-parallel replica (run by `dist/train-worker.js` in a worker
 * thread): answers the {@link ReplicaRequest}s arriving on `port`, in order. A failed request is
 * answered `error` (name and message) after the abort flag is set, so that no other replica stays
 * at the barrier.
 */
export function runReplicaWorker(port: {
  on(event: 'message', listener: (request: ReplicaRequest) => void): void;
  postMessage(answer: ReplicaAnswer): void;
}): void {
  let state: ReplicaState | null = null;
  let tail: Promise<void> = Promise.resolve();
  port.on('message', (request) => {
    tail = tail.then(async () => {
      try {
        switch (request.type) {
          case 'init':
            state = await initialise(request);
            port.postMessage({ type: 'ready' });
            return;
          case 'step':
            step(requireState(state), request);
            port.postMessage({ type: 'done', generation: request.generation });
            return;
          case 'state': {
            const { model, optimizer } = requireState(state);
            port.postMessage({
              type: 'state',
              weights: await model.getWeights(),
              optimizer: await optimizer.getState(),
            });
            return;
          }
        }
      } catch (error) {
        if (state !== null) abortAllReduce(state.buffers);
        const described = error instanceof Error ? error : new Error(String(error));
        port.postMessage({ type: 'error', name: described.name, message: described.message });
      }
    });
  });
}

function requireState(state: ReplicaState | null): ReplicaState {
  if (state === null) throw new Error('replica used before init');
  return state;
}

async function initialise(
  request: Extract<ReplicaRequest, { type: 'init' }>,
): Promise<ReplicaState> {
  const candidate = candidateOf[request.backend];
  if (candidate === undefined) {
    throw new Error(`backend '${request.backend}' cannot run in a training worker (wasm or cpu)`);
  }
  // TensorFlow.js's Node advertisement and kernel warnings would repeat once per worker.
  tf.env().set('PROD', true);
  await selectBackend({ preference: [candidate], log: null });
  const model = mlpVelocityModelFromConfig({ config: request.config });
  try {
    model.setWeights(request.weights);
    const {
      firstMoments: _first,
      secondMoments: _second,
      step: _step,
      ...hyper
    } = request.optimizer;
    const optimizer = createAdamOptimizer({ ...hyper, parameters: model.parameters });
    optimizer.setState(request.optimizer);
    return { model, optimizer, buffers: request.buffers, replica: request.replica };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** One data-parallel step of this replica (see {@link ReplicaRequest}). */
function step(state: ReplicaState, request: Extract<ReplicaRequest, { type: 'step' }>): void {
  const { model, optimizer, buffers, replica } = state;
  const { gradients, loss } = accumulateGradients({
    model,
    xt: request.xt,
    t: request.t,
    velocity: request.velocity,
    count: request.rows,
    total: request.total,
    microBatchSize: request.microBatchSize,
  });
  try {
    writeGradientSlot({ buffers, replica, gradients, loss });
  } finally {
    tf.dispose(gradients);
    loss.dispose();
  }
  arriveAtBarrier(buffers);
  waitAtBarrier(buffers, request.generation * buffers.replicas);
  applyReducedGradients({ buffers, optimizer, parameters: model.parameters });
}
