import { defineConfig } from 'vite';

/**
 * Cross-origin isolation (COOP / COEP) lets the wasm backend share its memory with Web Workers,
 * so `vite dev` and `vite preview` send both headers; a static host must send them too (see
 * README.md), else the kernels run on one thread.
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  server: { headers: isolation },
  preview: { headers: isolation, port: 4173 },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
