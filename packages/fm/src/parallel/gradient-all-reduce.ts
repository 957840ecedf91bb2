import * as tf from '@tensorflow/tfjs';
import type { AdamOptimizer } from '../optim/adam-optimizer.js';

/** Index of the arrival counter in the control array. */
const ARRIVED = 0;
/** Index of the abort flag (non-zero once a replica failed or the pool was terminated). */
const ABORTED = 1;
/** How long one wait blocks before the abort flag is read again (milliseconds). */
const WAIT_SLICE_MS = 250;

/**
 * @internal The shared memory of a data-parallel all-reduce among `replicas` copies of a model
 * with `parameterCount` parameters: one gradient slot and one loss per replica, and a control
 * word pair (arrival counter, abort flag) for the barrier.
 *
 *     slots = [g_0 | g_1 | ... | g_{R-1} | L_0 ... L_{R-1}]   (float32),   control = [arrived, aborted]
 */
export interface AllReduceBuffers {
  readonly replicas: number;
  readonly parameterCount: number;
  readonly control: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
}

/** @internal Allocates the shared buffers of an all-reduce (zeroed). */
export function createAllReduceBuffers({
  replicas,
  parameterCount,
}: {
  readonly replicas: number;
  readonly parameterCount: number;
}): AllReduceBuffers {
  return {
    replicas,
    parameterCount,
    control: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
    slots: new SharedArrayBuffer(replicas * (parameterCount + 1) * Float32Array.BYTES_PER_ELEMENT),
  };
}

/**
 * @internal Writes replica `replica`'s gradients (parameter order, each flattened row-major) and
 * its part of the loss into its slot, reading them off the tensors.
 */
export function writeGradientSlot({
  buffers,
  replica,
  gradients,
  loss,
}: {
  readonly buffers: AllReduceBuffers;
  readonly replica: number;
  readonly gradients: readonly tf.Tensor[];
  readonly loss: tf.Scalar;
}): void {
  const { replicas, parameterCount } = buffers;
  const slot = new Float32Array(buffers.slots, replica * parameterCount * 4, parameterCount);
  let offset = 0;
  for (const gradient of gradients) {
    slot.set(gradient.dataSync() as Float32Array, offset);
    offset += gradient.size;
  }
  const losses = new Float32Array(buffers.slots, replicas * parameterCount * 4, replicas);
  losses[replica] = (loss.dataSync() as Float32Array)[0] as number;
}

/** @internal Counts this replica in at the barrier and wakes the waiting ones. */
export function arriveAtBarrier(buffers: AllReduceBuffers): void {
  const control = new Int32Array(buffers.control);
  Atomics.add(control, ARRIVED, 1);
  Atomics.notify(control, ARRIVED);
}

/** @internal Sets the abort flag and wakes every replica waiting at the barrier. */
export function abortAllReduce(buffers: AllReduceBuffers): void {
  const control = new Int32Array(buffers.control);
  Atomics.store(control, ABORTED, 1);
  Atomics.notify(control, ARRIVED);
}

/** @internal Thrown by a wait at the barrier once the abort flag is set. */
export class AllReduceAbortedError extends Error {
  constructor() {
    super('all-reduce aborted: another replica failed or the pool was terminated');
    this.name = 'AllReduceAbortedError';
  }
}

/**
 * @internal Blocks (`Atomics.wait`, worker threads only) until `target` arrivals have been
 * counted; throws {@link AllReduceAbortedError} once the abort flag is set.
 */
export function waitAtBarrier(buffers: AllReduceBuffers, target: number): void {
  const control = new Int32Array(buffers.control);
  for (;;) {
    if (Atomics.load(control, ABORTED) !== 0) throw new AllReduceAbortedError();
    const arrived = Atomics.load(control, ARRIVED);
    if (arrived >= target) return;
    Atomics.wait(control, ARRIVED, arrived, WAIT_SLICE_MS);
  }
}

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeout: number,
) => { readonly async: boolean; readonly value: Promise<string> | string };

/**
 * @internal The calling thread's wait at the barrier: `Atomics.waitAsync` (the event loop keeps
 * running, so a worker's error or exit is seen), raced against `failure`; throws
 * {@link AllReduceAbortedError} once the abort flag is set.
 */
export async function waitAtBarrierAsync(
  buffers: AllReduceBuffers,
  target: number,
  failure: Promise<never>,
): Promise<void> {
  const control = new Int32Array(buffers.control);
  const waitAsync = (Atomics as unknown as { readonly waitAsync?: WaitAsync }).waitAsync;
  for (;;) {
    if (Atomics.load(control, ABORTED) !== 0) throw new AllReduceAbortedError();
    const arrived = Atomics.load(control, ARRIVED);
    if (arrived >= target) return;
    const wait =
      waitAsync === undefined
        ? new Promise<void>((resolve) => setTimeout(resolve, 1))
        : waitAsync(control, ARRIVED, arrived, WAIT_SLICE_MS).value;
    await Promise.race([wait, failure]);
  }
}

/**
 * @internal The all-reduce itself and the update: the sum of every replica's gradient slot, added
 * in replica order `g_0 + g_1 + ... + g_{R-1}` by TensorFlow.js's float32 `add` (wasm SIMD; a
 * JavaScript loop over the shared slots was slower than the Adam update), then one optimizer update
 * with it. Every replica runs the same operations in the same order on the same bytes, so every
 * replica gets the same bits. Returns the batch's loss (the loss parts added in replica order).
 * Leaves no tensor.
 */
export function applyReducedGradients({
  buffers,
  optimizer,
  parameters,
}: {
  readonly buffers: AllReduceBuffers;
  readonly optimizer: AdamOptimizer;
  readonly parameters: readonly tf.Variable[];
}): number {
  const { replicas, parameterCount } = buffers;
  const gradients = tf.tidy(() => {
    let offset = 0;
    return parameters.map((parameter) => {
      const part = (replica: number) =>
        tf.tensor(
          new Float32Array(
            buffers.slots,
            (replica * parameterCount + offset) * Float32Array.BYTES_PER_ELEMENT,
            parameter.size,
          ),
          parameter.shape,
        );
      let sum = part(0);
      for (let replica = 1; replica < replicas; replica += 1) sum = tf.add(sum, part(replica));
      offset += parameter.size;
      return sum;
    });
  });
  try {
    optimizer.update(gradients);
  } finally {
    tf.dispose(gradients);
  }
  const losses = new Float32Array(buffers.slots, replicas * parameterCount * 4, replicas);
  let loss = 0;
  for (let replica = 0; replica < replicas; replica += 1) {
    loss = Math.fround(loss + (losses[replica] as number));
  }
  return loss;
}

/**
 * @internal The rows of replica `replica` when `count` rows are split among `replicas`: contiguous
 * shards, the first `count mod replicas` one row longer.
 */
export function shardRows({
  count,
  replicas,
  replica,
}: {
  readonly count: number;
  readonly replicas: number;
  readonly replica: number;
}): { readonly start: number; readonly rows: number } {
  const base = Math.floor(count / replicas);
  const extra = count % replicas;
  const start = replica * base + Math.min(replica, extra);
  return { start, rows: base + (replica < extra ? 1 : 0) };
}
