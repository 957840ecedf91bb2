/**
 * A gpu.js mode that the backend runs its kernels in [gpujs2016]:
 *
 * - `'webgpu'`: WGSL compute shaders through WebGPU (in Node, Dawn from the `webgpu` package);
 * - `'headlessgl'`: GLSL fragment shaders on a headless WebGL 1 context (the optional `gl` package);
 * - `'webasm'`: WebAssembly with f32x4 SIMD, split across worker threads when `threads > 1`;
 * - `'cpu'`: the kernels transpiled to plain JavaScript.
 *
 * @example
 * ```ts
 * const mode: GpujsMode = 'webasm';
 * ```
 */
export type GpujsMode = 'webgpu' | 'headlessgl' | 'webasm' | 'cpu';

/**
 * The order in which `mode: 'auto'` tries the gpu.js modes: the GPU modes first, then WebAssembly,
 * then the JavaScript fallback (which runs wherever gpu.js loads).
 *
 * @example
 * ```ts
 * GPUJS_MODES[0]; // 'webgpu'
 * ```
 */
export const GPUJS_MODES: readonly GpujsMode[] = ['webgpu', 'headlessgl', 'webasm', 'cpu'];

/**
 * Whether one gpu.js mode can run here, and if not, why: the answer of {@link probeGpujsMode},
 * also listed (for the modes that `'auto'` passed over) in `GpujsBackend.skipped`.
 *
 * @example
 * ```ts
 * const probe: GpujsModeProbe = { mode: 'headlessgl', available: false, reason: "the optional 'gl' package ..." };
 * ```
 */
export type GpujsModeProbe =
  | { readonly mode: GpujsMode; readonly available: true }
  | { readonly mode: GpujsMode; readonly available: false; readonly reason: string };
