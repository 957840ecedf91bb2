import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMlpNetwork, createPseudoCoupling, klRegularizer } from '../src/index.js';
import { useFastBackend } from './helpers.js';

describe('createPseudoCoupling', () => {
  beforeAll(useFastBackend);
  const phi = createMlpNetwork({ inputDimension: 2, outputDimension: 1, width: 8, seed: 1 });
  const psi = createMlpNetwork({ inputDimension: 2, outputDimension: 1, width: 8, seed: 2 });
  const regularizer = klRegularizer({ lambda: 4 });
  const coupling = createPseudoCoupling({ phi, psi, regularizer });
  afterAll(() => coupling.dispose());

  it('rebuilds the coupling of two networks: density = M(phi(x) + psi(y) - ||x - y||^2)', async () => {
    const x = Float32Array.of(0, 1, -0.5, 2, 1.5, -1);
    const y = Float32Array.of(0.25, 0.5, 1, -1, 0, 0);
    const before = tf.memory().numTensors;
    const density = await coupling.density({ x, y });
    expect(tf.memory().numTensors).toBe(before);
    const [phiX, psiY] = await Promise.all([phi.predict(x), psi.predict(y)]);
    expect(coupling.d).toBe(2);
    expect(coupling.regularizer).toBe(regularizer);
    for (let i = 0; i < 3; i += 1) {
      const dx = (x[2 * i] as number) - (y[2 * i] as number);
      const dy = (x[2 * i + 1] as number) - (y[2 * i + 1] as number);
      const v = (phiX[i] as number) + (psiY[i] as number) - (dx * dx + dy * dy);
      expect(density[i]).toBeCloseTo(regularizer.compatibilityOf(v), 5);
    }
  });
});
