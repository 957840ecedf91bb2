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
 * `@sinkflow/ot`: each is imported by name from beside `@sinkflow/ot`, then (in Node, for
 * package managers with a strict layout such as pnpm) resolved from the current working
 * directory's project. A package that is absent is reported in `missing`, never thrown.
 *
 * @example
 * ```ts
 * const { providers, missing } = await loadOptionalBackendProviders();
 * providers.map((provider) => provider.name); // ['tfjs'] when only @sinkflow/backend-tfjs is installed
 * missing.gpujs; // "package '@sinkflow/backend-gpujs' is not installed"
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

async function importProvider(packageName: string): Promise<SinkhornBackendProvider | string> {
  const module =
    (await importBesideOt(packageName)) ?? (await importFromWorkingDirectory(packageName));
  if (module === undefined) return `package '${packageName}' is not installed`;
  const provider = (module as { sinkhornBackendProvider?: SinkhornBackendProvider })
    .sinkhornBackendProvider;
  if (typeof provider?.create !== 'function') {
    return `package '${packageName}' does not export a sinkhornBackendProvider`;
  }
  return provider;
}

async function importBesideOt(packageName: string): Promise<unknown> {
  try {
    // A variable specifier: bundlers leave it alone, so the package stays optional.
    return await import(/* @vite-ignore */ packageName);
  } catch {
    return undefined;
  }
}

/**
 * Resolves the package from the current working directory's project: its `package.json` (our
 * packages export it), then the `import` target of its `.` export (`require.resolve` alone
 * cannot resolve an ESM-only exports map).
 */
async function importFromWorkingDirectory(packageName: string): Promise<unknown> {
  try {
    const { createRequire } = await import('node:module');
    const { pathToFileURL } = await import('node:url');
    const { dirname, join } = await import('node:path');
    const { readFile } = await import('node:fs/promises');
    const require = createRequire(join(process.cwd(), 'package.json'));
    const manifestPath = require.resolve(`${packageName}/package.json`);
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      exports?: { '.'?: { import?: string } };
      main?: string;
    };
    const entry = manifest.exports?.['.']?.import ?? manifest.main;
    if (entry === undefined) return undefined;
    return await import(/* @vite-ignore */ pathToFileURL(join(dirname(manifestPath), entry)).href);
  } catch {
    return undefined;
  }
}
