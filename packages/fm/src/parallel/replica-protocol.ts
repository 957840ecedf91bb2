import type { MlpVelocityModelConfig, NamedWeight } from '../model/velocity-model.js';
import type { AdamState } from '../optim/adam-optimizer.js';
import type { AllReduceBuffers } from './gradient-all-reduce.js';

/**
 * @internal The messages from the calling thread to a data-parallel replica (a worker thread
 * running `dist/train-worker.js`), one at a time, each answered by one {@link ReplicaAnswer}:
 *
 * - `init`: select the TensorFlow.js backend, build the model from its config and weights and
 *   Adam from its state, keep the all-reduce buffers; answered `ready`.
 * - `step`: the replica's shard of a batch (rows of `x_t`, `t`, the target velocity): compute its
 *   gradient part, write it to its slot, meet the others at the barrier for `generation`, add the
 *   slots and apply the update; answered `done`.
 * - `state`: a copy of the replica's weights and optimizer state (tests check that they equal
 *   the calling thread's); answered `state`.
 */
export type ReplicaRequest =
  | {
      readonly type: 'init';
      readonly backend: string;
      readonly config: MlpVelocityModelConfig;
      readonly weights: readonly NamedWeight[];
      readonly optimizer: AdamState;
      readonly buffers: AllReduceBuffers;
      readonly replica: number;
    }
  | {
      readonly type: 'step';
      readonly generation: number;
      readonly xt: Float32Array;
      readonly t: Float32Array;
      readonly velocity: Float32Array;
      readonly rows: number;
      readonly total: number;
      readonly microBatchSize: number;
    }
  | { readonly type: 'state' };

/** @internal A replica's answer to a {@link ReplicaRequest}, or the error it threw. */
export type ReplicaAnswer =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly generation: number }
  | {
      readonly type: 'state';
      readonly weights: readonly NamedWeight[];
      readonly optimizer: AdamState;
    }
  | { readonly type: 'error'; readonly name: string; readonly message: string };
