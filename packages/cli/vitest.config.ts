import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../tools/vitest/setup.ts'],
    // Commands run whole solves and trainings in process; CI machines have 2 busy cores.
    testTimeout: 60_000,
    // `--backend auto` keeps its calibration in the user's cache: the tests use their own.
    env: { XDG_CACHE_HOME: join(tmpdir(), `sinkflow-cli-test-cache-${process.pid}`) },
  },
});
