import { backendConformanceCases } from '@sinkflow/ot/testing';
import { describe, expect, it } from 'vitest';
import { createGpujsBackend, type GpujsMode } from '../src/index.js';

// Every CPU-side mode that runs in Node here: gpu.js's JavaScript mode, and its WebAssembly mode
// both synchronous (one thread) and on its worker pool.
const configurations: readonly {
  label: string;
  mode: GpujsMode;
  threads?: number;
  tile?: number;
}[] = [
  { label: 'cpu', mode: 'cpu' },
  { label: 'webasm, 1 thread', mode: 'webasm', threads: 1 },
  { label: 'webasm, 2 threads, tile 16', mode: 'webasm', threads: 2, tile: 16 },
];

for (const { label, mode, threads, tile } of configurations) {
  describe(`the gpu.js backend in ${label} passes the conformance suite`, async () => {
    const backend = await createGpujsBackend({ mode, threads, tile });
    it('runs in the mode it was asked for', () => {
      expect(backend.mode).toBe(mode);
      expect(backend.skipped).toEqual([]);
    });
    for (const conformance of backendConformanceCases()) {
      it(conformance.name, async () => {
        await expect(conformance.run(backend)).resolves.toBeUndefined();
      });
    }
  });
}
