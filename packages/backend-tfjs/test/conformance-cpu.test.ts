import { backendConformanceCases } from '@sinkflow/ot/testing';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from '../src/index.js';

describe('the tfjs backend on the cpu backend passes the conformance suite', async () => {
  const backend = await createTfjsBackend({ tf, backend: 'cpu' });
  it('runs on cpu', () => {
    expect(backend.tfjsBackend).toBe('cpu');
    expect(backend.description).toMatch(/^tfjs on cpu/);
  });
  for (const conformance of backendConformanceCases()) {
    it(conformance.name, async () => {
      await expect(conformance.run(backend)).resolves.toBeUndefined();
    });
  }
});

describe('with tiny blocks (many row and column blocks, padded columns)', async () => {
  // 5 rows and 8 columns per block: every shape of the suite spans several blocks of both kinds.
  const backend = await createTfjsBackend({ tf, backend: 'cpu', rowBlock: 5, columnBlock: 8 });
  for (const conformance of backendConformanceCases()) {
    it(conformance.name, async () => {
      await expect(conformance.run(backend)).resolves.toBeUndefined();
    });
  }
});
