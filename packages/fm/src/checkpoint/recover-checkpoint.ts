import { InvalidArgumentError } from '@sinkflow/core';
import { loadCheckpointHost } from './checkpoint-host.js';

/**
 * What {@link recoverCheckpoint} did: the leftover it moved into place (or null) and the leftovers
 * it removed.
 *
 * @example
 * ```ts
 * const { restored, removed } = await recoverCheckpoint({ directory: 'runs/a/checkpoint' });
 * ```
 */
export interface CheckpointRecovery {
  /** The complete leftover renamed to `directory` because no checkpoint was there, or null. */
  readonly restored: string | null;
  /** The leftover folders removed (complete ones older than the checkpoint, and partial ones). */
  readonly removed: readonly string[];
}

/**
 * Cleans up after writers of the checkpoint `directory` that were killed mid-write. `writeCheckpoint`
 * writes into a sibling `.NAME.tmp-*` folder, renames the old checkpoint to `.NAME.old-*`, moves
 * the new one into place and removes the old one; a process killed in between leaves those folders
 * behind, and, killed between the two renames, no `directory` at all. This moves the newest
 * complete leftover (the highest step; a folder is complete when its `checkpoint.json`, written
 * last, is there) into place when `directory` holds no checkpoint or an older one, and removes
 * every other leftover. Nothing saved is lost: a leftover is removed only when `directory` then
 * holds a checkpoint at least as far along, or when it is incomplete. Node only.
 *
 * Call it only while no other process writes this checkpoint (hold a lock on the run): a write in
 * progress looks like a leftover.
 *
 * @throws {@link InvalidArgumentError} on `directory` when it is not a non-empty string.
 * @example
 * ```ts
 * await recoverCheckpoint({ directory: 'runs/a/checkpoint' });
 * const trainer = await resumeFlowMatchingTrainer({ directory: 'runs/a/checkpoint', pairs });
 * ```
 */
export async function recoverCheckpoint({
  directory,
}: {
  readonly directory: string;
}): Promise<CheckpointRecovery> {
  if (typeof directory !== 'string' || directory.length === 0) {
    throw new InvalidArgumentError({
      functionName: 'recoverCheckpoint',
      argumentName: 'directory',
      message: 'must be a non-empty path',
      value: directory,
    });
  }
  const host = await loadCheckpointHost('recoverCheckpoint');
  const { readdir, readFile, rename, rm } = host.fs;
  const { basename, dirname, join, resolve } = host.path;
  const target = resolve(directory);
  const parent = dirname(target);
  const prefixes = [`.${basename(target)}.tmp-`, `.${basename(target)}.old-`];
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return { restored: null, removed: [] };
  }
  const stepOf = async (folder: string): Promise<number | null> => {
    try {
      const manifest = JSON.parse(await readFile(join(folder, 'checkpoint.json'), 'utf8'));
      return typeof manifest?.step === 'number' ? manifest.step : null;
    } catch {
      return null;
    }
  };
  const leftovers = names
    .filter((name) => prefixes.some((prefix) => name.startsWith(prefix)))
    .map((name) => join(parent, name));
  if (leftovers.length === 0) return { restored: null, removed: [] };
  let restored: string | null = null;
  const current = await stepOf(target);
  let best: { folder: string; step: number } | null = null;
  for (const folder of leftovers) {
    const step = await stepOf(folder);
    if (step !== null && (best === null || step > best.step)) best = { folder, step };
  }
  if (best !== null && (current === null || best.step > current)) {
    // Kept aside first, so that a kill here still leaves a complete checkpoint in a leftover.
    const aside = `${best.folder}.previous`;
    if (current !== null) await rename(target, aside);
    else await rm(target, { recursive: true, force: true });
    await rename(best.folder, target);
    await rm(aside, { recursive: true, force: true });
    restored = best.folder;
  }
  const removed: string[] = [];
  for (const folder of leftovers) {
    if (folder === restored) continue;
    await rm(folder, { recursive: true, force: true });
    removed.push(folder);
  }
  return { restored, removed };
}
