interface BrowserGlobals {
  readonly crossOriginIsolated?: boolean;
  readonly navigator?: { readonly hardwareConcurrency?: number };
}

/**
 * The threads this page lends to the kernels when the caller does not say: its logical cores
 * (`navigator.hardwareConcurrency`) when it is cross-origin isolated (served with
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`,
 * which let Web Workers share a WebAssembly memory), else one, with the reason in `limit`.
 *
 * @example
 * ```ts
 * hostThreads(); // { threads: 1, limit: 'the page is not cross-origin isolated ...' }
 * ```
 * @internal
 */
export function hostThreads(): { readonly threads: number; readonly limit: string | null } {
  const host = globalThis as unknown as BrowserGlobals;
  if (host.crossOriginIsolated !== true) {
    return {
      threads: 1,
      limit:
        'the page is not cross-origin isolated (COOP / COEP headers), so Web Workers cannot share its memory',
    };
  }
  return { threads: Math.max(1, host.navigator?.hardwareConcurrency ?? 1), limit: null };
}
