import type { SinkhornBackendProvider } from './backend-provider.js';

/** The backend packages that `backend: 'auto'` looks for, by backend name. */
export const OPTIONAL_BACKEND_PACKAGES = {
  tfjs: '@sinkflow/backend-tfjs',
  gpujs: '@sinkflow/backend-gpujs',
} as const;

/** What {@link loadOptionalBackendProviders} found: providers, and why the others are missing. */
export interface OptionalBackendProviders {
  readonly providers: readonly SinkhornBackendProvider[];
  /** Backend name to the reason its package could not be loaded. */
  readonly missing: Readonly<Record<string, string>>;
}

/**
 * Loads the `sinkhornBackendProvider` of each optional backend package that is installed
 * (`@sinkflow/backend-tfjs`, `@sinkflow/backend-gpujs`), without making them dependencies of
 * `@sinkflow/ot`: each is loaded by a plain dynamic `import()` of its package name, resolved from
 * `@sinkflow/ot` itself (as Node and bundlers resolve any import of this module). A package that
 * cannot be imported, or exports no provider, is reported in `missing` with the reason, never
 * thrown. Under a strict layout (pnpm) a package is visible to ot only when the project lists it
 * beside ot; pass `backendProviders` to choose candidates explicitly.
 *
 * @example
 * ```ts
 * const { providers, missing } = await loadOptionalBackendProviders();
 * providers.map((provider) => provider.name); // ['tfjs'] when only @sinkflow/backend-tfjs is installed
 * missing.gpujs; // "package '@sinkflow/backend-gpujs' is not installed (Cannot find package ...)"
 * ```
 */
export async function loadOptionalBackendProviders(): Promise<OptionalBackendProviders> {
  const providers: SinkhornBackendProvider[] = [];
  const missing: Record<string, string> = {};
  for (const [name, packageName] of Object.entries(OPTIONAL_BACKEND_PACKAGES)) {
    const loaded = await importProvider(packageName);
    if (typeof loaded === 'string') missing[name] = loaded;
    else providers.push(loaded);
  }
  return { providers, missing };
}

/** The package's provider, or why it cannot be had. */
async function importProvider(packageName: string): Promise<SinkhornBackendProvider | string> {
  let module: unknown;
  try {
    // The name is a value, not a literal: bundlers leave the import alone (the package stays
    // optional), and Node resolves it from this module, as it would a literal.
    module = await import(/* @vite-ignore */ packageName);
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `package '${packageName}' is not installed (${why})`;
  }
  const provider = (module as { sinkhornBackendProvider?: SinkhornBackendProvider })
    .sinkhornBackendProvider;
  if (typeof provider?.create !== 'function') {
    return `package '${packageName}' does not export a sinkhornBackendProvider`;
  }
  return provider;
}
