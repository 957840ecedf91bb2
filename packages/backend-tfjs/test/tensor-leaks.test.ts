import { createRandomGenerator } from '@sinkflow/core';
import type { KernelMode } from '@sinkflow/ot';
import type { PreparedKernel } from '@sinkflow/ot/backend';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from '../src/index.js';

const n = 37;
const m = 29;
const d = 3;
const random = createRandomGenerator({ seed: 5 });
const x = Float32Array.from({ length: n * d }, () => random.normal());
const y = Float32Array.from({ length: m * d }, () => random.normal());
const f = Float64Array.from({ length: n }, () => 0.1 * random.normal());
const g = Float64Array.from({ length: m }, () => 0.1 * random.normal());
const rows = Int32Array.from({ length: 11 }, (_, s) => (7 * s) % n);

/** Every request of the interface once. */
async function everyPass(kernel: PreparedKernel): Promise<void> {
  await kernel.logSumExp({ side: 'rows', offsets: g, epsilon: 0.1, out: new Float64Array(n) });
  await kernel.logSumExp({ side: 'columns', offsets: f, epsilon: 0.1, out: new Float64Array(m) });
  await kernel.statistics({ rowPotentials: f, columnPotentials: g, epsilon: 0.1 });
  await kernel.sampleColumns({
    rows,
    draws: new Uint32Array(rows.length),
    columnPotentials: g,
    epsilon: 0.1,
    seed: 3,
    out: new Int32Array(rows.length),
  });
  await kernel.conditionalExpectation({
    rows,
    columnPotentials: g,
    epsilon: 0.1,
    values: y,
    width: d,
    out: new Float64Array(rows.length * d),
  });
}

describe('no tensor outlives its kernel (tf.memory().numTensors)', async () => {
  const cpu = await createTfjsBackend({ tf, backend: 'cpu', rowBlock: 8, columnBlock: 8 });
  const wasm = await createTfjsBackend({ tf, backend: 'wasm' });
  for (const backend of [cpu, wasm]) {
    for (const mode of ['online', 'dense'] as KernelMode[]) {
      it(`${backend.tfjsBackend}, ${mode}`, async () => {
        const before = tf.memory().numTensors;
        const kernel = await backend.prepare({ x, y, n, m, d, mode });
        const held = tf.memory().numTensors;
        await everyPass(kernel);
        // Passes free everything they make: only the kernel's own tensors remain.
        expect(tf.memory().numTensors).toBe(held);
        await everyPass(kernel);
        expect(tf.memory().numTensors).toBe(held);
        await kernel.dispose();
        expect(tf.memory().numTensors).toBe(before);
        await kernel.dispose(); // idempotent
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }

  it('kernels on cpu and wasm interleave (each request re-activates its tfjs backend)', async () => {
    const onCpu = await cpu.prepare({ x, y, n, m, d, mode: 'online' });
    const onWasm = await wasm.prepare({ x, y, n, m, d, mode: 'online' });
    const [a, b] = [new Float64Array(n), new Float64Array(n)];
    await onCpu.logSumExp({ side: 'rows', offsets: g, epsilon: 0.1, out: a });
    expect(tf.getBackend()).toBe('cpu');
    await onWasm.logSumExp({ side: 'rows', offsets: g, epsilon: 0.1, out: b });
    expect(tf.getBackend()).toBe('wasm');
    for (let i = 0; i < n; i += 1)
      expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThan(1e-5);
    await onCpu.dispose();
    await onWasm.dispose();
  });

  it('failed requests create no tensors', async () => {
    const kernel = await cpu.prepare({ x, y, n, m, d, mode: 'online' });
    const held = tf.memory().numTensors;
    await expect(
      kernel.logSumExp({ side: 'rows', offsets: f, epsilon: 0.1, out: new Float64Array(n) }),
    ).rejects.toThrow(/offsets/);
    await expect(
      kernel.sampleColumns({
        rows: Int32Array.of(n),
        draws: new Uint32Array(1),
        columnPotentials: g,
        epsilon: 0.1,
        seed: 0,
        out: new Int32Array(1),
      }),
    ).rejects.toThrow(/rows\[0\]/);
    expect(tf.memory().numTensors).toBe(held);
    await kernel.dispose();
  });
});
