import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandomGenerator } from '@sinkflow/core';
import { writeNpyFile } from '@sinkflow/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkOutputPaths, makeDirectory } from '../src/io/output-paths.js';
import { sinkflow } from './run-cli-helper.js';

const directory = mkdtempSync(join(tmpdir(), 'sinkflow-outputs-'));
const path = (name: string) => join(directory, name);
// procfs answers ENOENT for a child of an existing folder: Node's recursive mkdir loops forever.
const proc = '/proc/sinkflow-no-such-dir';

beforeAll(async () => {
  const random = createRandomGenerator({ seed: 5 });
  const cloud = (n: number) => Float32Array.from({ length: n * 3 }, () => random.normal());
  await writeNpyFile(path('x.npy'), { dtype: 'float32', shape: [40, 3], data: cloud(40) });
  await writeNpyFile(path('y.npy'), { dtype: 'float32', shape: [40, 3], data: cloud(40) });
  writeFileSync(path('a-file'), 'not a folder');
  mkdirSync(path('a-folder'));
});

describe('checkOutputPaths and makeDirectory', () => {
  it('accepts new files in new folders and leaves nothing behind', async () => {
    await expect(
      checkOutputPaths('test', [
        { flag: '--out', path: path('new/deeper/p.npy'), kind: 'file' },
        { flag: '--dir', path: path('new-dir/inner'), kind: 'directory' },
        { flag: '--json', path: path('a-folder/s.json'), kind: 'file' },
        undefined,
      ]),
    ).resolves.toBeUndefined();
    expect(existsSync(path('new'))).toBe(false);
    expect(existsSync(path('new-dir'))).toBe(false);
    expect(readdirSync(path('a-folder'))).toEqual([]);
  });

  const refusals: Array<[string, { path: string; kind: 'file' | 'directory' }, RegExp]> = [
    ['a folder under /proc', { path: `${proc}/p.npy`, kind: 'file' }, /cannot create the folder/],
    ['a file inside a file', { path: 'a-file/p.npy', kind: 'file' }, /a-file is not a folder/],
    ['a folder given as a file', { path: 'a-folder', kind: 'file' }, /it is a folder/],
    ['a device', { path: '/dev/null', kind: 'file' }, /not a regular file/],
    ['a file given as a folder', { path: 'a-file', kind: 'directory' }, /a-file is not a folder/],
  ];
  for (const [label, output, pattern] of refusals) {
    it(`refuses ${label}, naming the flag`, async () => {
      const target = output.path.startsWith('/') ? output.path : path(output.path);
      await expect(
        checkOutputPaths('test', [{ flag: '--out', path: target, kind: output.kind }]),
      ).rejects.toThrow(
        new RegExp(`^sinkflow test: invalid argument '--out': cannot write .*${pattern.source}`),
      );
    });
  }

  it('makeDirectory creates missing parents and fails under /proc instead of looping', async () => {
    await makeDirectory(path('made/a/b'));
    expect(existsSync(path('made/a/b'))).toBe(true);
    await makeDirectory(path('made/a/b'));
    await expect(makeDirectory(`${proc}/a`)).rejects.toThrow(/ENOENT/);
  });
});

describe('every command checks its outputs before any work (exit 2 naming the flag)', () => {
  const io = ['--x', 'x.npy', '--y', 'y.npy'];
  const cases: Array<[string, string[], string]> = [
    ['solve --json', ['solve', ...io, '--json', `${proc}/s.json`], '--json'],
    [
      'solve --save-potentials',
      ['solve', ...io, '--save-potentials', 'a-file/run'],
      '--save-potentials',
    ],
    [
      'sample --out',
      ['sample', ...io, '--potentials', 'nowhere', '--count', '5', '--out', `${proc}/p.npy`],
      '--out',
    ],
    ['assign --out', ['assign', ...io, '--out', `${proc}/perm.npy`], '--out'],
    ['assign --json', ['assign', ...io, '--json', 'a-folder'], '--json'],
    [
      'distance --json',
      ['distance', ...io, '--kind', 'sliced', '--json', `${proc}/d.json`],
      '--json',
    ],
    [
      'benchmark sample --out',
      [
        'benchmark',
        'sample',
        '--name',
        'piecewise-affine',
        '--d',
        '2',
        '--n',
        '10',
        '--out',
        `${proc}/b.npy`,
      ],
      '--out',
    ],
    [
      'benchmark sample --json',
      [
        'benchmark',
        'sample',
        '--name',
        'piecewise-affine',
        '--d',
        '2',
        '--n',
        '10',
        '--out',
        'b.npy',
        '--json',
        'a-file/b.json',
      ],
      '--json',
    ],
    ['demo --out', ['demo', '--d', '2', '--n', '16', '--out', `${proc}/demo`], '--out'],
    ['quickstart --out', ['quickstart', '--out', `${proc}/qs`], '--out'],
    ['evaluate --json', ['evaluate', '--model', 'nowhere', '--json', `${proc}/e.json`], '--json'],
    ['report --out', ['report', '--db', 'x.npy', '--out', `${proc}/r.html`], '--out'],
    ['scones --db', ['scones', '--d', '2', '--db', `${proc}/s.duckdb`], '--db'],
  ];
  for (const [label, argv, flag] of cases) {
    it(`${label}`, { timeout: 15_000 }, async () => {
      const resolved = argv.map((arg) =>
        /^(x|y|b)\.npy$|^a-(file|folder)|^nowhere$/.test(arg) ? path(arg) : arg,
      );
      const result = await sinkflow(...resolved);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`invalid argument '${flag}': cannot write `));
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stdout).toBe('');
    });
  }

  it('solve writes nothing when one of its outputs is unwritable (checked first)', async () => {
    const result = await sinkflow(
      'solve',
      ...io.map((arg) => (arg.endsWith('.npy') ? path(arg) : arg)),
      '--save-potentials',
      path('run-before-json'),
      '--json',
      path('a-file/s.json'),
    );
    expect(result.code).toBe(2);
    expect(existsSync(path('run-before-json'))).toBe(false);
  });
});
