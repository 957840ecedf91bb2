// One flow is trained here, off the page's main thread: a small MLP velocity field on
// TensorFlow.js (WebGL when the worker has it, else the cpu backend), on independent pairs (I-FM)
// or on pairs of one Sinkhorn coupling at the chosen E (OT-FM); then Euler trajectories of a few
// source points for the animation.
import type { RandomGenerator } from '@sinkflow/core';
import {
  createFlowMatchingTrainer,
  createIndependentPairSource,
  createMlpVelocityModel,
  createModelVelocityField,
  createPrecomputedCouplingPairSource,
  type DistributionSampler,
  integrate,
  type PairSource,
} from '@sinkflow/fm';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { TrainingAnswer, TrainingRequest } from './messages.js';

// TensorFlow.js's wasm backend loads its binaries from the build (no CDN: the page works offline),
// on one thread (its threaded build would start workers of its own from a script of its CDN).
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

const post = (answer: TrainingAnswer, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(answer, transfer);

/**
 * Draws points of a finite cloud uniformly: without replacement up to the cloud's size (so the
 * one coupling of OT-FM is between the clouds themselves, with no repeated point), with
 * replacement beyond.
 */
function cloudSampler(data: Float32Array): DistributionSampler {
  const n = data.length / 2;
  return {
    d: 2,
    sample({ count, random }: { count: number; random: RandomGenerator }) {
      const out = new Float32Array(2 * count);
      const order = count <= n ? random.permutation(n) : null;
      for (let k = 0; k < count; k += 1) {
        const index = order === null ? random.integer(n) : (order[k] as number);
        out[2 * k] = data[2 * index] as number;
        out[2 * k + 1] = data[2 * index + 1] as number;
      }
      return out;
    },
  };
}

/**
 * The first of `names` that initialises here: by default WebGL (when this worker can create a
 * context through OffscreenCanvas), then wasm, then the cpu backend.
 */
async function chooseTfBackend(names: readonly string[]): Promise<string> {
  for (const name of names) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return tf.getBackend();
      }
    } catch {
      // try the next backend
    }
  }
  return tf.getBackend();
}

self.onmessage = async (event: MessageEvent<TrainingRequest>) => {
  const { coupling, x, y, targetEntropy, steps, starts, timeSteps, tfBackends } = event.data;
  let pairs: PairSource | undefined;
  try {
    tf.env().set('PROD', true);
    const tfBackend = await chooseTfBackend(tfBackends);
    const started = performance.now();
    const source = cloudSampler(x);
    const target = cloudSampler(y);
    pairs =
      coupling === 'independent'
        ? createIndependentPairSource({ source, target, seed: 0 })
        : createPrecomputedCouplingPairSource({
            source,
            target,
            couplingSize: Math.min(x.length, y.length) / 2,
            targetEntropy,
            runOn: 'main-thread',
            seed: 0,
          });
    const model = createMlpVelocityModel({ d: 2, hiddenLayers: 3, width: 64, seed: 0 });
    const trainer = await createFlowMatchingTrainer({ model, pairs, batchSize: 256, seed: 0 });
    let loss = Number.NaN;
    await trainer.train({
      steps,
      onStep: async (report) => {
        loss = report.loss;
        if (report.step % 10 === 0 || report.step === steps) {
          post({ type: 'progress', step: report.step, loss: report.loss });
          // Let the progress message out (and the page's cancel in) between steps.
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
      },
    });
    const field = createModelVelocityField({ model });
    const times = Array.from({ length: timeSteps + 1 }, (_, k) => k / timeSteps);
    const { saved } = await integrate({
      field,
      x0: Float64Array.from(starts),
      batch: starts.length / 2,
      method: 'euler',
      steps: timeSteps,
      saveAt: times,
    });
    const trajectories = saved.map((state) => Float32Array.from(state));
    const statistics = pairs.statistics();
    post(
      {
        type: 'done',
        trajectories,
        loss,
        seconds: (performance.now() - started) / 1000,
        tfBackend,
        renormalizedEntropy:
          coupling === 'independent' ? null : (statistics.meanRenormalizedEntropy ?? null),
      },
      trajectories.map((state) => state.buffer),
    );
    trainer.dispose();
    model.dispose();
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  } finally {
    await pairs?.dispose();
  }
};
