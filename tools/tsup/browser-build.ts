import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * An esbuild plugin for the browser build of a package: a relative import of `name.js` whose
 * source `name.ts` has a sibling `name.browser.ts` resolves to that sibling. The Node-only pieces
 * of a package (worker threads, files, `node:os`) live in such files, so the browser build
 * contains no Node built-in (esbuild's browser platform refuses to resolve one).
 */
export function browserVariants(): EsbuildPlugin {
  return {
    name: 'sinkflow-browser-variants',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const base = resolve(args.resolveDir, args.path).replace(/\.js$/, '');
        const variant = `${base}.browser.ts`;
        return existsSync(variant) ? { path: variant } : undefined;
      });
    },
  };
}

/**
 * The tsup options of a package's browser build: the same entries, bundled for
 * `platform: 'browser'` into `dist/browser/` with the `*.browser.ts` variants, no declarations
 * (the Node build's `.d.ts` describe both). The package's exports map points its `browser` and
 * `default` conditions there and its `node` condition at the Node build.
 *
 * @example
 * ```ts
 * export default defineConfig([nodeOptions, browserBuild({ index: 'src/index.ts' })]);
 * ```
 */
export function browserBuild(entry: Record<string, string>): Options {
  return {
    entry,
    format: ['esm'],
    platform: 'browser',
    outDir: 'dist/browser',
    dts: false,
    sourcemap: true,
    clean: true,
    esbuildPlugins: [browserVariants()],
  };
}
