// Training throughput of two velocity fields for 28 x 28 images (Fashion-MNIST, d = 784) on
// TensorFlow.js in Node (wasm backend, else cpu): the MLP of `sinkflow images` (fm's
// createMlpVelocityModel: Fourier time features, hidden layers of `width`, SiLU) against a small
// convolutional U-Net (tf.layers: 32 channels at 28 x 28, 64 at 14 x 14, 7 x 7 bottleneck of 64,
// skip connections, time as an extra input channel; on the cpu backend, since the wasm backend
// cannot differentiate a convolution). Reports examples per second of wall and of
// process CPU time (the machine may be shared: CPU time is the steadier number). Imports built
// packages: run `pnpm --filter @sinkflow/cli... build` first.
//
// Options: --batch 128  --steps 5  --warmup 2  --width 512  --layers 3
import {
  createFlowMatchingTrainer,
  createIndependentPairSource,
  createMlpVelocityModel,
  selectBackend,
  standardNormalSampler,
} from '@sinkflow/fm';
import * as tf from '@tensorflow/tfjs';

const options = Object.fromEntries(
  process.argv
    .slice(2)
    .map((arg, index, all) => (arg.startsWith('--') ? [arg.slice(2), all[index + 1]] : null))
    .filter((entry) => entry !== null),
);
const batch = Number(options.batch ?? 128);
const steps = Number(options.steps ?? 5);
const warmup = Number(options.warmup ?? 2);
const width = Number(options.width ?? 512);
const layers = Number(options.layers ?? 3);
const d = 784;
const selection = await selectBackend({ preference: ['wasm', 'cpu'], log: null });
console.log(`TensorFlow.js backend: ${selection.backend}`);

function timed(run) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  return run().then(() => ({
    wall: (performance.now() - started) / 1000,
    cpu: (() => {
      const used = process.cpuUsage(cpu);
      return (used.user + used.system) / 1e6;
    })(),
  }));
}

async function mlp() {
  const model = createMlpVelocityModel({ d, hiddenLayers: layers, width, seed: 0 });
  const pairs = createIndependentPairSource({
    source: standardNormalSampler({ d }),
    target: standardNormalSampler({ d }),
  });
  const trainer = await createFlowMatchingTrainer({ model, pairs, batchSize: batch });
  await trainer.train({ steps: warmup });
  const time = await timed(() => trainer.train({ steps }));
  trainer.dispose();
  model.dispose();
  await pairs.dispose();
  return time;
}

function unet() {
  const image = tf.input({ shape: [28, 28, 2] }); // pixels and t
  const conv = (x, filters, strides = 1) =>
    tf.layers
      .conv2d({ filters, kernelSize: 3, padding: 'same', strides, activation: 'relu' })
      .apply(x);
  const a = conv(conv(image, 32), 32); // 28 x 28 x 32
  const b = conv(conv(a, 64, 2), 64); // 14 x 14 x 64
  const c = conv(conv(b, 64, 2), 64); // 7 x 7 x 64
  const up1 = tf.layers.upSampling2d({ size: [2, 2] }).apply(c);
  const e = conv(tf.layers.concatenate().apply([up1, b]), 64);
  const up2 = tf.layers.upSampling2d({ size: [2, 2] }).apply(e);
  const f = conv(tf.layers.concatenate().apply([up2, a]), 32);
  const out = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same' }).apply(f);
  return tf.model({ inputs: image, outputs: out });
}

async function conv() {
  // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel: a conv net trains only on the
  // (pure JavaScript) cpu backend.
  if (tf.getKernel('Conv2DBackpropFilter', tf.getBackend()) === undefined) {
    console.log(`no Conv2DBackpropFilter on '${tf.getBackend()}': the U-Net trains on 'cpu'`);
    await tf.setBackend('cpu');
  }
  const model = unet();
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([batch, 28, 28, 2]);
  const y = tf.randomNormal([batch, 28, 28, 1]);
  const step = async () => {
    const loss = optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x)), true);
    await loss.data();
    loss.dispose();
  };
  for (let k = 0; k < warmup; k += 1) await step();
  const time = await timed(async () => {
    for (let k = 0; k < steps; k += 1) await step();
  });
  console.log(`U-Net parameters: ${model.countParams()}`);
  model.dispose();
  x.dispose();
  y.dispose();
  return time;
}

for (const [name, run] of [
  [`MLP ${layers} x ${width}`, mlp],
  ['conv U-Net 32-64-64', conv],
]) {
  const { wall, cpu } = await run();
  console.log(
    `${name}: ${((batch * steps) / wall).toFixed(0)} examples/s (wall), ${((batch * steps) / cpu).toFixed(0)} examples/s of CPU time, batch ${batch}`,
  );
}
