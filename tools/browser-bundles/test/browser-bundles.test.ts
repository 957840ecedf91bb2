import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_PACKAGES, installPackedPackages, nodeBuiltinsIn } from './pack-packages.js';

// Every package an application may load in a page bundles from its published tarball with
// esbuild (platform browser) and Vite, with no flags and no externals, and the bundle reaches no
// Node built-in (issue 20; docs/browser.md).
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'sinkflow-browser-bundles-'));
  installPackedPackages(folder);
});

afterAll(() => {
  if (process.env.KEEP_BUNDLES === undefined) rmSync(folder, { recursive: true, force: true });
});

describe('the packed packages bundle for the browser', () => {
  for (const name of BROWSER_PACKAGES) {
    it(`@sinkflow/${name} with esbuild (platform browser)`, async () => {
      const result = await esbuild({
        stdin: {
          contents: `import * as api from '@sinkflow/${name}';\nglobalThis.api = api;\n`,
          resolveDir: folder,
          loader: 'js',
        },
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        logLevel: 'silent',
      });
      expect(result.errors).toEqual([]);
      const code = result.outputFiles[0]?.text ?? '';
      expect(code.length).toBeGreaterThan(1000);
      expect(
        nodeBuiltinsIn(code),
        `Node built-ins in the browser bundle of @sinkflow/${name}`,
      ).toEqual([]);
    });
  }

  it('all of them together with Vite (a page that imports each)', async () => {
    const page = join(folder, 'page');
    mkdirSync(page);
    writeFileSync(
      join(page, 'index.html'),
      '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>\n',
    );
    writeFileSync(
      join(page, 'main.js'),
      BROWSER_PACKAGES.map(
        (name, index) =>
          `import * as api${index} from '@sinkflow/${name}';\nconsole.log(api${index});\n`,
      ).join(''),
    );
    // Vite turns a built-in into an empty stand-in (`__vite-browser-external`) instead of failing:
    // record who imports one. TensorFlow.js's CommonJS seedrandom keeps a guarded
    // `require('crypto')` (mapped away by its `browser` field); sinkflow's code must import none.
    const imported: string[] = [];
    const output = await viteBuild({
      root: page,
      configFile: false,
      logLevel: 'silent',
      build: { write: false },
      plugins: [
        {
          name: 'record-node-builtins',
          enforce: 'pre',
          resolveId(source, importer) {
            if (nodeBuiltinsIn(`import "${source}";`).length > 0)
              imported.push(`${source} <- ${importer}`);
            return null;
          },
        },
      ],
    });
    expect(imported.filter((entry) => entry.includes('@sinkflow/'))).toEqual([]);
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) =>
      'output' in result ? result.output.filter((item) => item.type === 'chunk') : [],
    );
    const ours = chunks
      .flatMap((chunk) => Object.entries(chunk.modules))
      .filter(([id]) => id.includes('/node_modules/@sinkflow/'));
    expect(ours.length).toBeGreaterThanOrEqual(BROWSER_PACKAGES.length);
    for (const [id, rendered] of ours) {
      const code = rendered.code ?? '';
      expect(nodeBuiltinsIn(code), `Node built-ins in ${id}`).toEqual([]);
      // Node's globals are no import but fail as well: `process.env` is a ReferenceError in a page
      // (reading `globalThis.process?.versions` is fine).
      expect(code.match(/(?<![\w$.])(?:process|Buffer)\.\w+|\b__dirname\b/g) ?? [], id).toEqual([]);
    }
  });
});

describe('nodeBuiltinsIn', () => {
  it('finds static, dynamic and required built-ins, and nothing else', () => {
    expect(
      nodeBuiltinsIn(
        'import { a } from "node:fs"; import("worker_threads"); require("path"); import "x";',
      ),
    ).toEqual(['node:fs', 'path', 'worker_threads']);
    expect(nodeBuiltinsIn('const text = "reads files with node:fs";')).toEqual([]);
    expect(nodeBuiltinsIn('require("util");', { requires: false })).toEqual([]);
  });
});
