import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** The repository's root folder. */
export const root = resolve(import.meta.dirname, '..', '..', '..');

/** The packages that must bundle for the browser (issue 20), by folder name. */
export const BROWSER_PACKAGES = [
  'core',
  'entropy',
  'ot',
  'ode',
  'benchmarks',
  'metrics',
  'fm',
] as const;

interface Manifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Runs pnpm: the one running this test, else the pinned version through npx. */
function pnpm(args: readonly string[], cwd: string): void {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm\.c?js$/.test(execPath)) {
    execFileSync(process.execPath, [execPath, ...args], { cwd, stdio: 'pipe' });
    return;
  }
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    packageManager: string;
  };
  execFileSync('npx', ['--yes', manifest.packageManager, ...args], { cwd, stdio: 'pipe' });
}

/**
 * Packs each package with `pnpm pack` (as `changeset publish` would ship it) and unpacks the
 * tarballs into `folder/node_modules`, as an application's install would lay them out. Their
 * third-party dependencies and required peers are linked to the copies this workspace installed,
 * so nothing is downloaded.
 */
export function installPackedPackages(folder: string): void {
  const tarballs = join(folder, 'tarballs');
  const modules = join(folder, 'node_modules');
  mkdirSync(tarballs, { recursive: true });
  const linked = new Set<string>();
  for (const name of BROWSER_PACKAGES) {
    const source = join(root, 'packages', name);
    pnpm(['pack', '--pack-destination', tarballs], source);
    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as Manifest;
    const tarball = readdirSync(tarballs).find((file) =>
      file.startsWith(`${manifest.name.replace('@', '').replace('/', '-')}-`),
    );
    if (tarball === undefined) throw new Error(`pnpm pack wrote no tarball for ${manifest.name}`);
    const target = join(modules, manifest.name);
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', join(tarballs, tarball), '-C', target, '--strip-components=1']);
    const required = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter(
        (peer) => manifest.peerDependenciesMeta?.[peer]?.optional !== true,
      ),
    ];
    for (const dependency of required) {
      if (dependency.startsWith('@sinkflow/') || linked.has(dependency)) continue;
      const installed = join(source, 'node_modules', dependency);
      if (!existsSync(installed)) throw new Error(`${manifest.name}: ${dependency} not installed`);
      mkdirSync(dirname(join(modules, dependency)), { recursive: true });
      symlinkSync(realpathSync(installed), join(modules, dependency), 'dir');
      linked.add(dependency);
    }
  }
}

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * The Node built-ins that a bundle imports (static or dynamic) or, unless `requires` is false,
 * requires, and Vite's stand-in for a built-in it externalized (`__vite-browser-external`).
 * (Third-party ES modules may keep a guarded `require('util')` for their Node code path, which a
 * bundler leaves as text and a browser never runs: check `require` in sinkflow's own code.)
 *
 * @example
 * ```ts
 * nodeBuiltinsIn('import { readFile } from "node:fs";'); // ['node:fs']
 * ```
 */
export function nodeBuiltinsIn(code: string, { requires = true } = {}): string[] {
  const found = new Set<string>();
  const pattern = requires
    ? /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s*)["']([^"']+)["']/g
    : /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)["']([^"']+)["']/g;
  for (const match of code.matchAll(pattern)) {
    const specifier = match[1] as string;
    if (builtins.has(specifier) || builtins.has(specifier.split('/')[0] as string))
      found.add(specifier);
  }
  if (code.includes('__vite-browser-external')) found.add('__vite-browser-external');
  return [...found].sort();
}
