import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');
const packageFolders = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(root, group, name))
    .filter((folder) => existsSync(join(folder, 'package.json'))),
);

function sourceFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('citations', () => {
  const references = readFileSync(join(root, 'docs', 'references.md'), 'utf8');
  const keys = new Set(
    [...references.matchAll(/^\| ([a-z][a-z0-9-]*) \|/gm)].map((match) => match[1]),
  );

  it('every citation key used in TSDoc resolves in docs/references.md', () => {
    const missing: string[] = [];
    for (const folder of packageFolders) {
      for (const file of sourceFiles(join(folder, 'src'))) {
        const text = readFileSync(file, 'utf8');
        // Citation keys look like [author2025] or [author2025, Sec. 3], optionally with a suffix word.
        for (const match of text.matchAll(/\[([a-z][a-z-]*\d{4}[a-z]*)(?:[,;][^\]]*)?\]/g)) {
          if (!keys.has(match[1] as string)) missing.push(`${relative(root, file)}: ${match[1]}`);
        }
        for (const match of text.matchAll(
          /\[([a-z][a-z-]*\d{4}[a-z]*); ([a-z][a-z-]*\d{4}[a-z]*)/g,
        )) {
          if (!keys.has(match[2] as string)) missing.push(`${relative(root, file)}: ${match[2]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('package template', () => {
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  for (const folder of packageFolders) {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    > & {
      name: string;
      exports?: Record<string, unknown>;
      files?: string[];
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
      private?: boolean;
    };
    const isApp = folder.startsWith(join(root, 'apps'));
    it(`${manifest.name} follows the template`, () => {
      expect(manifest.type).toBe('module');
      expect(existsSync(join(folder, 'README.md'))).toBe(true);
      for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
        if (name.startsWith('@sinkflow/')) expect(range).toBe('workspace:*');
      }
      // Apps are private and run from the repository: no build template.
      if (isApp) {
        expect(manifest.private).toBe(true);
        return;
      }
      expect(existsSync(join(folder, 'tsup.config.ts'))).toBe(true);
      for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
        if (subpath === './package.json') continue;
        const conditions = Object.keys(target as object);
        expect(conditions[0], `${manifest.name} exports ${subpath}: types first`).toBe('types');
        // Node's require() of ESM and any other resolver fall back on `default` (last).
        expect(conditions.at(-1), `${manifest.name} exports ${subpath}: default last`).toBe(
          'default',
        );
      }
      for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
        // Peers are ranges, so that a user's own compatible version installs next to ours (npm
        // refuses an exact pin with ERESOLVE); TensorFlow.js peers accept 4.21 and later 4.x.
        expect(range, `${manifest.name} peer ${name}`).toMatch(/^\^\d+\.\d+\.\d+$/);
        if (name.startsWith('@tensorflow/')) expect(range).toBe('^4.21.0');
      }
      for (const [name, range] of Object.entries(manifest.devDependencies ?? {})) {
        // The TensorFlow.js we build and test with is pinned to one exact version (docs/conventions.md, 17).
        if (name.startsWith('@tensorflow/')) expect(range).toBe('4.22.0');
      }
      expect(manifest.sideEffects).toBe(false);
      expect(manifest.files).toContain('dist');
      expect(manifest.files).toContain('LICENSE');
      expect(readFileSync(join(folder, 'LICENSE'), 'utf8')).toBe(license);
      expect((manifest.publishConfig as { access?: string } | undefined)?.access).toBe('public');
    });
    if (isApp) continue;
    it(`${manifest.name}: the README works on npm (no repository-only command or link)`, () => {
      const readme = readFileSync(join(folder, 'README.md'), 'utf8');
      // `pnpm add` / `pnpm install` are for users; `pnpm test`, `pnpm bench:x`, `pnpm --filter`,
      // `pnpm sinkflow` run only in a clone, and a relative link out of the package breaks on npm.
      expect(readme).not.toMatch(/`pnpm (?!add |install)|npx --yes pnpm/);
      expect(readme).not.toMatch(/\]\((?!https?:|#)[^)]*\.\.\//);
    });
    it(`${manifest.name}: src/index.ts holds only re-exports`, () => {
      const index = readFileSync(join(folder, 'src', 'index.ts'), 'utf8');
      const statements = index
        .split(/;\s*\n/)
        .map((statement) => statement.trim())
        .filter((statement) => statement.length > 0 && !statement.startsWith('//'));
      for (const statement of statements) expect(statement).toMatch(/^export (type )?(\{|\*)/);
    });
  }
});

describe('nothing imports from apps/', () => {
  it('no package source imports the lab', () => {
    const offenders = packageFolders
      .filter((folder) => folder.includes(`${join(root, 'packages')}`))
      .flatMap((folder) => sourceFiles(join(folder, 'src')))
      .filter((file) =>
        /from '@sinkflow\/lab'|from '\.\.\/.*apps\//.test(readFileSync(file, 'utf8')),
      );
    expect(offenders).toEqual([]);
  });
});
