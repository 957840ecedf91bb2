import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'browser-bundles',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../vitest/setup.ts'],
    // Packs seven packages and bundles them: about a minute on two busy cores.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
