#!/usr/bin/env node
/**
 * `pnpm release-check` (run by .ci/run after the build): installs the packages as a user would,
 * from their tarballs, outside the repository.
 *
 * 1. `pnpm pack` every publishable package (packages/*, not private): pnpm rewrites `workspace:*`
 *    to the versions changesets gave, as `changeset publish` will.
 * 2. A fresh npm project in a temporary folder (outside the monorepo) installs every tarball with
 *    npm (the npm registry serves the third-party dependencies), then checks that each sinkflow
 *    package is installed once, at the version of its tarball (`npm ls`: no missing or invalid
 *    sibling).
 * 3. Runs the README's code snippet ("A first coupling in code"), `require()`s every package from
 *    CommonJS (the `default` export condition), installs the command line with `npm install
 *    --global` into a prefix of its own and runs that `sinkflow --version`, `sinkflow --help` and a
 *    toy `sinkflow quickstart` from a folder outside the project.
 * 4. Type-checks a small consumer (the README snippet and the command line's API) with
 *    `moduleResolution: nodenext` and with `bundler`, against the installed type declarations.
 *
 * Options: --keep (leave the temporary folder and print it), --skip-quickstart.
 * Needs the packages built (`pnpm build`) and pnpm and npm on the PATH.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const skipQuickstart = process.argv.includes('--skip-quickstart');
const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'sinkflow-release-check-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballs);
mkdirSync(project);

const step = (name) =>
  process.stdout.write(
    `release-check: ${name} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
  );
const run = (command, args, options = {}) =>
  execFileSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
const fail = (message) => {
  process.stderr.write(`release-check: FAILED: ${message}\n(work folder kept: ${work})\n`);
  process.exit(1);
};
const check = (condition, message) => {
  if (!condition) fail(message);
};
const manifestOf = (folder) => JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));

try {
  // 1. Pack.
  const packages = readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((folder) => {
      try {
        return manifestOf(folder).private !== true;
      } catch {
        return false;
      }
    })
    .map((folder) => ({ folder, manifest: manifestOf(folder) }));
  step(`pack ${packages.length} packages`);
  for (const { folder } of packages)
    run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: folder });
  const files = readdirSync(tarballs).filter((name) => name.endsWith('.tgz'));
  check(
    files.length === packages.length,
    `expected ${packages.length} tarballs, got ${files.length}`,
  );
  const tarballOf = (manifest) => {
    const stem = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
    check(files.includes(stem), `no tarball ${stem} for ${manifest.name}`);
    return join(tarballs, stem);
  };
  for (const { manifest } of packages) {
    const listing = run('tar', ['-tzf', tarballOf(manifest)]);
    check(listing.includes('package/LICENSE'), `${manifest.name}: the tarball has no LICENSE`);
    const packed = JSON.parse(run('tar', ['-xzOf', tarballOf(manifest), 'package/package.json']));
    // Installing one package alone pulls its siblings at exactly the versions released with it.
    for (const [name, range] of Object.entries(packed.dependencies ?? {})) {
      if (!name.startsWith('@sinkflow/')) continue;
      const sibling = packages.find((candidate) => candidate.manifest.name === name)?.manifest;
      check(
        sibling !== undefined && range === sibling.version,
        `${manifest.name}: the packed dependency ${name}@${range} is not the sibling's version ${sibling?.version}`,
      );
    }
  }

  // 2. Install into a fresh npm project.
  const rootManifest = manifestOf(root);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'sinkflow-release-check',
        private: true,
        type: 'module',
        dependencies: Object.fromEntries(
          packages.map(({ manifest }) => [manifest.name, `file:${tarballOf(manifest)}`]),
        ),
        devDependencies: {
          typescript: rootManifest.devDependencies.typescript,
          '@types/node': rootManifest.devDependencies['@types/node'],
        },
      },
      null,
      2,
    )}\n`,
  );
  step('npm install (fresh project outside the repository)');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project });
  const tree = JSON.parse(
    run('npm', ['ls', '--all', '--json'], { cwd: project, stdio: ['ignore', 'pipe', 'ignore'] }),
  );
  check(!tree.problems?.length, `npm ls: ${(tree.problems ?? []).join('; ')}`);
  const copies = new Map();
  const walk = (dependencies = {}) => {
    for (const [name, node] of Object.entries(dependencies)) {
      if (name.startsWith('@sinkflow/') && node.version !== undefined)
        copies.set(name, new Set([...(copies.get(name) ?? []), node.version]));
      walk(node.dependencies);
    }
  };
  walk(tree.dependencies);
  for (const { manifest } of packages) {
    const versions = [...(copies.get(manifest.name) ?? [])];
    check(
      versions.length === 1 && versions[0] === manifest.version,
      `${manifest.name}: installed ${versions.join(', ') || 'nowhere'}, expected ${manifest.version} once`,
    );
  }

  // 3. Run what a user runs.
  const typescript = join(project, 'node_modules', 'typescript', 'lib', 'typescript.js');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const snippet = /## A first coupling in code\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  check(snippet !== undefined, "README.md has no ```ts block under 'A first coupling in code'");
  writeFileSync(join(project, 'snippet.ts'), `${snippet}\nexport {};\n`);
  writeFileSync(
    join(project, 'transpile.cjs'),
    `const ts = require(${JSON.stringify(typescript)});
const fs = require('node:fs');
const source = fs.readFileSync('snippet.ts', 'utf8');
const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
fs.writeFileSync('snippet.mjs', out.outputText + "\\nconsole.log('pairs', pairs.rows.length, 'E', solution.renormalizedEntropy.toFixed(3));\\n");
`,
  );
  run(process.execPath, ['transpile.cjs'], { cwd: project });
  step("run the README's snippet");
  const snippetOutput = run(process.execPath, ['snippet.mjs'], { cwd: project });
  check(/^pairs 1024 E 0\.\d+/m.test(snippetOutput), `README snippet printed: ${snippetOutput}`);

  step('require() every package from CommonJS');
  const requireAll = packages.flatMap(({ manifest }) =>
    Object.keys(manifest.exports ?? { '.': null })
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => `${manifest.name}${subpath.slice(1)}`),
  );
  run(
    process.execPath,
    [
      '-e',
      `for (const name of ${JSON.stringify(requireAll)}) { const m = require(name); if (Object.keys(m).length === 0) throw new Error(name + ' exports nothing'); }`,
    ],
    { cwd: project },
  );

  // `npm install --global` of the installed @sinkflow/cli folder into a prefix of its own: npm links
  // the folder and writes the `sinkflow` shim into the prefix's bin, as a global install of the
  // published package does (its dependencies resolve from the project's node_modules, since
  // unpublished siblings cannot come from the registry).
  step('npm install --global (a prefix of its own), sinkflow from its bin');
  const prefix = join(work, 'global');
  run(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ].concat([join(project, 'node_modules', '@sinkflow', 'cli')]),
    { cwd: work },
  );
  const bin = join(prefix, 'bin', 'sinkflow');
  const elsewhere = join(work, 'elsewhere');
  mkdirSync(elsewhere);
  const cli = packages.find(({ manifest }) => manifest.name === '@sinkflow/cli')?.manifest;
  check(cli !== undefined, 'no @sinkflow/cli package');
  step('sinkflow --version and --help');
  check(run(bin, ['--version'], { cwd: elsewhere }).trim() === cli.version, 'sinkflow --version');
  const helpStarted = performance.now();
  const help = run(bin, ['--help'], { cwd: elsewhere });
  const helpSeconds = (performance.now() - helpStarted) / 1000;
  check(
    /^ {2}solve /m.test(help) && /^ {2}quickstart /m.test(help),
    'sinkflow --help lists no commands',
  );
  process.stdout.write(`release-check: sinkflow --help took ${helpSeconds.toFixed(2)} s\n`);
  if (!skipQuickstart) {
    step('sinkflow quickstart (toy size)');
    run(
      bin,
      [
        'quickstart',
        '--out',
        'quickstart',
        '--d',
        '4',
        '--steps',
        '12',
        '--batch-size',
        '32',
      ].concat(['--width', '16', '--hidden-layers', '1', '--n', '64', '--eval-n', '24']),
      { cwd: elsewhere },
    );
    const summary = JSON.parse(readFileSync(join(elsewhere, 'quickstart', 'summary.json'), 'utf8'));
    check(summary.runs?.length === 3, 'quickstart: summary.json has no three runs');
  }

  // 4. Type-check a consumer with both module resolutions.
  writeFileSync(
    join(project, 'consumer.ts'),
    `${snippet}
import { type Command, runCli } from '@sinkflow/cli';
import { InvalidArgumentError } from '@sinkflow/core';
import { relativeEpsilon } from '@sinkflow/entropy';
import { SINKHORN_DEFAULTS } from '@sinkflow/ot';
const command: Command | undefined = undefined;
const code: Promise<number> = runCli(['--version'], [], { stdout: process.stdout, stderr: process.stderr });
const threshold: number = SINKHORN_DEFAULTS.threshold;
export { code, command, InvalidArgumentError, pairs, relativeEpsilon, threshold };
`,
  );
  for (const [name, compilerOptions] of [
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ]) {
    step(`type-check a consumer with moduleResolution ${name}`);
    writeFileSync(
      join(project, `tsconfig.${name}.json`),
      `${JSON.stringify({
        compilerOptions: {
          ...compilerOptions,
          target: 'es2022',
          lib: ['es2023', 'dom'],
          types: ['node'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['consumer.ts'],
      })}\n`,
    );
    try {
      run(
        process.execPath,
        [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${name}.json`],
        {
          cwd: project,
        },
      );
    } catch (error) {
      fail(`tsc with moduleResolution ${name}:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
  step('passed');
} catch (error) {
  fail(`${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
}
if (keep) process.stdout.write(`release-check: work folder kept: ${work}\n`);
else rmSync(work, { recursive: true, force: true });
