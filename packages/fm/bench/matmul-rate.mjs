// One process's rate of TensorFlow.js wasm matMul at 2048 x 512 x 512 (the paper MLP's hidden
// layer at batch 2048) over --seconds, printed as one JSON line. train-throughput.mjs runs one
// alone, then two at once: how much a second core adds on this machine right now (a shared or
// oversubscribed machine gives less than 2x), the ceiling of the 2-worker speed-up.
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../dist/index.js';

const seconds = Number(process.argv[2] ?? 3);
await selectBackend({ preference: ['wasm'], log: null });
const a = tf.randomNormal([2048, 512]);
const b = tf.randomNormal([512, 512]);
for (let warm = 0; warm < 3; warm += 1) tf.matMul(a, b).dispose();
const started = performance.now();
let products = 0;
while (performance.now() - started < seconds * 1000) {
  const c = tf.matMul(a, b);
  c.dataSync();
  c.dispose();
  products += 1;
}
const elapsed = (performance.now() - started) / 1000;
console.log(JSON.stringify({ gflops: (products * 2 * 2048 * 512 * 512) / elapsed / 1e9 }));
