import { defineConfig } from 'tsup';
import { browserBuild } from '../../tools/tsup/browser-build.js';

export default defineConfig([
  {
    entry: ['src/index.ts', 'src/ot-worker.ts', 'src/train-worker.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: ['!browser/**'],
  },
  browserBuild({ index: 'src/index.ts' }),
]);
