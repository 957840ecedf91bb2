import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'backend-tfjs',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../tools/vitest/setup.ts'],
    // The solver runs on the plain-JavaScript tfjs backend; CI machines have 2 busy cores.
    testTimeout: 60_000,
  },
});
