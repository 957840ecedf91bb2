import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/testing.ts', 'src/shard-thread.ts', 'src/worker-main.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
});
