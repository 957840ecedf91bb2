import { defineConfig } from 'tsup';
import { browserBuild } from '../../tools/tsup/browser-build.js';

export default defineConfig([
  {
    entry: ['src/index.ts', 'src/testing.ts', 'src/backend.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: ['!browser/**'],
  },
  browserBuild({ index: 'src/index.ts', testing: 'src/testing.ts', backend: 'src/backend.ts' }),
]);
