import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'scones',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../tools/vitest/setup.ts'],
    // Training tests take seconds on a free core; leave room for a shared 2-core CI runner.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
