import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/testing.ts', 'src/backend.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
});
