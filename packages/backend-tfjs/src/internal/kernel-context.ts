import type { KernelSide } from '@sinkflow/ot/backend';
import type { KernelTensors, SideTensors } from './kernel-tensors.js';
import type { TfModule } from './tfjs-module.js';

/** What every pass needs: the tfjs module, the device tensors and the block sizes. */
export interface KernelContext {
  readonly tf: TfModule;
  readonly tensors: KernelTensors;
  /** Rows per device block on a side (each block holds rowBlock x paddedLength scores). */
  rowBlock(side: KernelSide): number;
  /** The column block size asked for (before clamping to a side's length). */
  readonly columnBlock: number;
}

/** `rowBlock` rows per block, or as many as keep a block under `blockEntries` scores. */
export function rowBlockFor(
  side: SideTensors,
  rowBlock: number | 'auto',
  blockEntries: number,
): number {
  const rows = rowBlock === 'auto' ? Math.floor(blockEntries / side.paddedLength) : rowBlock;
  return Math.max(1, Math.min(side.count, rows));
}
