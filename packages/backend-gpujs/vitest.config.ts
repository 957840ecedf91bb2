import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'backend-gpujs',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../tools/vitest/setup.ts'],
    // A differential solve compiles gpu.js kernels and runs a few hundred iterations; CI machines
    // have 2 busy cores.
    testTimeout: 60_000,
  },
});
