import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSpec } from './sweep-config.js';

/** What a finished run leaves in its directory (`result.json`). */
export interface RunResult {
  readonly id: string;
  readonly status: 'done' | 'failed';
  readonly metrics: Readonly<Record<string, number | string | boolean | null>>;
  readonly seconds: number;
  readonly error: string | null;
}

/** `runs/<id>`: the run's working directory, its checkpoints and its result. */
export function runDirectory(runsDirectory: string, id: string): string {
  return join(runsDirectory, id);
}

/** Writes JSON atomically (temp file + rename), so a killed process never leaves half a file. */
export async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, path);
}

/**
 * A JSON file's value, or null when it is missing or does not parse (never written, or written by
 * something other than {@link writeJsonAtomically} and cut short). The caller checks its shape.
 */
export async function readJsonIfPresent<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/**
 * Removes what killed writers left in a run directory: half-written JSON files
 * (`result.json.<pid>.tmp`, from {@link writeJsonAtomically}). Call it while holding the run's
 * lock. Returns the names removed. (Checkpoint leftovers are `recoverCheckpoint`'s.)
 */
export async function cleanRunLeftovers(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return [];
  }
  const leftovers = names.filter((name) => /^[\w.-]+\.json\.\d+\.tmp$/.test(name));
  for (const name of leftovers) await rm(join(directory, name), { force: true });
  return leftovers;
}

/**
 * Moves a failed run's `result.json` aside (`result.failed-<time>.json`), so that the run is
 * executed again and the old failure stays on disk. Returns the new name, or undefined when there
 * was no result.
 */
export async function setFailedResultAside(directory: string): Promise<string | undefined> {
  const kept = `result.failed-${new Date().toISOString().replaceAll(':', '-')}.json`;
  try {
    await rename(join(directory, 'result.json'), join(directory, kept));
    return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Writes the run's spec (`spec.json`) into its directory and returns the path. */
export async function writeRunSpec(directory: string, spec: RunSpec): Promise<string> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, 'spec.json');
  await writeJsonAtomically(path, spec);
  return path;
}

/** The run's result, or undefined when it has not finished. */
export async function readRunResult(directory: string): Promise<RunResult | undefined> {
  return (await readJsonIfPresent<RunResult>(join(directory, 'result.json'))) ?? undefined;
}
