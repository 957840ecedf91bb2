import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, open, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import type { Flags } from '../cli/parse-flags.js';

/** The `--json` value that means standard output (`--json -`): no file is written or checked. */
export const JSON_TO_STDOUT = '-';

/** One file or folder a command will write, and the flag that names it. */
export interface OutputPath {
  /** The flag, with its dashes (`--out`), or `CONFIG`-style names for positionals. */
  readonly flag: string;
  /** The path as the user gave it. */
  readonly path: string;
  /** `file`: the command writes this file; `directory`: it writes files inside this folder. */
  readonly kind: 'file' | 'directory';
}

/**
 * Checks, before any work, that a command can write every output it was given: a `file` must not
 * be a folder or a special file (a device, a FIFO) and its folder must accept new files; a
 * `directory` must be a folder that accepts new files, or one that can be created. The check
 * creates and removes one probe file (or one probe folder, where the folder does not exist yet),
 * so it leaves nothing behind. Undefined entries (flags not given) are skipped.
 *
 * Never uses `mkdir(..., { recursive: true })`: under `/proc` the kernel answers ENOENT for a child
 * of a folder that exists, and Node's recursive mkdir then loops forever between the child
 * (ENOENT, "create the parent first") and the parent (EEXIST, "now retry the child").
 *
 * @throws {@link InvalidArgumentError} naming the flag, with the path and the system's reason.
 * @example
 * ```ts
 * await checkOutputPaths('solve', [
 *   { flag: '--json', path: 'out/summary.json', kind: 'file' },
 *   { flag: '--save-potentials', path: 'run1', kind: 'directory' },
 * ]);
 * ```
 */
export async function checkOutputPaths(
  command: string,
  outputs: readonly (OutputPath | undefined)[],
): Promise<void> {
  for (const output of outputs) {
    if (output === undefined) continue;
    const problem = await outputProblem(output);
    if (problem !== undefined) {
      throw new InvalidArgumentError({
        functionName: `sinkflow ${command}`,
        argumentName: output.flag,
        message: `cannot write ${output.path}: ${problem}`,
      });
    }
  }
}

/**
 * The {@link OutputPath} of a flag (`--name`), or undefined when the flag was not given and has no
 * default.
 *
 * @example
 * ```ts
 * await checkOutputPaths('assign', [outputFlag(options, 'out', 'file'), outputFlag(options, 'json', 'file')]);
 * ```
 */
export function outputFlag(
  options: Flags,
  name: string,
  kind: OutputPath['kind'],
  fallback?: string,
): OutputPath | undefined {
  const path = options.optionalString(name) ?? fallback;
  // `--json -` writes to standard output: no file to check.
  if (path === undefined || (name === 'json' && path === JSON_TO_STDOUT)) return undefined;
  return { flag: `--${name}`, path, kind };
}

/**
 * Creates a folder and its missing parents, one level at a time (`mkdir -p`), failing instead of
 * looping where a parent exists but refuses children (see {@link checkOutputPaths}).
 *
 * @example
 * ```ts
 * await makeDirectory('runs/a/b'); // creates runs, runs/a and runs/a/b as needed
 * ```
 */
export async function makeDirectory(path: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    const info = await statOrUndefined(current);
    if (info !== undefined) break;
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST' || !(await statOrUndefined(folder))?.isDirectory())
        throw error;
    }
  }
}

/** Why `output` cannot be written, or undefined when it can. */
async function outputProblem(output: OutputPath): Promise<string | undefined> {
  const target = resolve(output.path);
  if (output.kind === 'directory') return folderProblem(target);
  const info = await statOrError(target);
  if (info instanceof Error) {
    if (errorCode(info) !== 'ENOENT' && errorCode(info) !== 'ENOTDIR') return describe(info);
  } else if (info.isDirectory()) {
    return 'it is a folder';
  } else if (!info.isFile()) {
    return 'it is not a regular file (a device, a socket or a FIFO)';
  }
  return folderProblem(dirname(target));
}

/** Why no file can be created in `folder` (creating the folder where needed), or undefined. */
async function folderProblem(folder: string): Promise<string | undefined> {
  const info = await statOrError(folder);
  if (!(info instanceof Error)) {
    if (!info.isDirectory()) return `${folder} is not a folder`;
    return probe(join(folder, probeName()), 'file');
  }
  if (errorCode(info) !== 'ENOENT' && errorCode(info) !== 'ENOTDIR') return describe(info);
  // The nearest existing ancestor must be a folder in which the next level can be created.
  let child = folder;
  let parent = dirname(folder);
  for (;;) {
    const parentInfo = await statOrError(parent);
    if (!(parentInfo instanceof Error)) {
      if (!parentInfo.isDirectory()) return `${parent} is not a folder`;
      return probe(child, 'folder');
    }
    if (errorCode(parentInfo) !== 'ENOENT' && errorCode(parentInfo) !== 'ENOTDIR')
      return describe(parentInfo);
    if (dirname(parent) === parent) return describe(parentInfo);
    child = parent;
    parent = dirname(parent);
  }
}

/** Creates and removes a probe file or folder at `target`; the reason it failed, or undefined. */
async function probe(target: string, kind: 'file' | 'folder'): Promise<string | undefined> {
  try {
    if (kind === 'folder') {
      await mkdir(target);
      await rmdir(target);
    } else {
      const handle = await open(target, 'wx');
      await handle.close();
      await rm(target, { force: true });
    }
    return undefined;
  } catch (error) {
    const what = kind === 'folder' ? `the folder ${target}` : `files in ${dirname(target)}`;
    return `cannot create ${what} (${describe(error)})`;
  }
}

function probeName(): string {
  return `.sinkflow-write-check-${process.pid}-${randomBytes(4).toString('hex')}`;
}

async function statOrError(path: string): Promise<Stats | Error> {
  try {
    return await stat(path);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  const info = await statOrError(path);
  return info instanceof Error ? undefined : info;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** `ENOENT: no such file or directory` from a Node system error, without the syscall and path. */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/,\s*\w+\s+'[^']*'$/, '');
}
