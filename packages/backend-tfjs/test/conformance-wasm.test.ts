import { backendConformanceCases } from '@sinkflow/ot/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from '../src/index.js';

describe('the tfjs backend on the wasm backend passes the conformance suite', async () => {
  const backend = await createTfjsBackend({ tf, backend: 'wasm' });
  it('runs on wasm', () => {
    expect(backend.tfjsBackend).toBe('wasm');
    expect(backend.description).toMatch(/^tfjs on wasm \(XNNPACK/);
  });
  for (const conformance of backendConformanceCases()) {
    it(conformance.name, async () => {
      await expect(conformance.run(backend)).resolves.toBeUndefined();
    });
  }
});
