/**
 * Pieces shared by the passes: the work-stealing loop over items, thread scratch, tile calls.
 *
 * Every pass is one exported function that each thread (the main thread and the workers) calls
 * with the same arguments plus its thread index `tid`. Work is split into items (groups of rows)
 * that threads claim with an atomic increment of a shared counter, so the split adapts to uneven
 * thread speed and the result does not depend on which thread ran an item.
 */
import { PANEL_WIDTH } from './tile-kernel.mjs';
import { get, lines, set } from './wat-text.mjs';

/**
 * Both sides are padded to a multiple of this many points: whole panels (8) and whole exponential
 * groups (8); 24 (a multiple of both, and of the 12-point panels of earlier versions) keeps the
 * padding, and so the memory plans, as they were. Column blocks are multiples of it too.
 */
export const PADDING_UNIT = 24;

/** Byte offsets inside one thread's scratch area. */
export const SCRATCH = {
  /** 4 f32x4 row maxima written by a tile (64 bytes). */
  maxima: 0,
  /** Per-row float64 state, 32 bytes per row (at most 32 rows: 1024 bytes). */
  state: 64,
  /** The tile: 4 rows x B float32 (then E: B float32 for the conditional expectation). */
  tile: 1088,
};

/** Parameters naming this thread's scratch: `(scratchBase, scratchStride, tid)`. */
export const SCRATCH_PARAMS =
  '(param $scratchBase i32) (param $scratchStride i32) (param $tid i32)';

/** Sets `$scratch` to this thread's scratch area. */
export const scratchPointer = () =>
  set('scratch', `(i32.add ${get('scratchBase')} (i32.mul ${get('scratchStride')} ${get('tid')}))`);

/**
 * The claim loop: `item` <- atomic counter++ until `item * perItem >= total`; sets `first` and
 * `last` (exclusive, clamped to `total`). `body` runs once per item.
 */
export function itemLoop({ perItem, total, body }) {
  return lines(
    '(block $itemsDone (loop $items',
    set('first', `(i32.mul (i32.atomic.rmw.add ${get('counter')} (i32.const 1)) ${perItem})`),
    `  (br_if $itemsDone (i32.ge_u ${get('first')} ${total}))`,
    set(
      'last',
      `(select (i32.add ${get('first')} ${perItem}) ${total} (i32.lt_u (i32.add ${get('first')} ${perItem}) ${total}))`,
    ),
    body,
    '  (br $items)))',
  );
}

/** `(call_indirect (type $tile) ...)` on 4 row pointers, the block of panels from column `cb`. */
export function tileCall({ rows, cb, count, tile, tileStride, h32, maxima, withMax }) {
  const panels = `(i32.add ${get('panels')} (i32.mul (i32.div_u ${cb} (i32.const ${PANEL_WIDTH})) (i32.mul ${get('d')} (i32.const ${4 * PANEL_WIDTH}))))`;
  const h = withMax ? `(i32.add ${h32} (i32.shl ${cb} (i32.const 2)))` : '(i32.const 0)';
  return `(call_indirect (type $tile) ${rows.join(' ')} ${get('d')} ${panels} (i32.div_u ${count} (i32.const ${PANEL_WIDTH})) ${tile} ${tileStride} ${h} ${maxima ?? '(i32.const 0)'} ${withMax ? `(i32.add ${get('tileIndex')} (i32.const 9))` : get('tileIndex')})`;
}

/** `min(a, b)` for unsigned i32 expressions (evaluated twice: pass locals). */
export const minU = (a, b) => `(select ${a} ${b} (i32.lt_u ${a} ${b}))`;

/**
 * The loop over column blocks: `cb` = 0, B, 2B, ... while `cb < cols`, with local `count` (the
 * name given) set to `min(B, cols - cb)` before `body` runs.
 */
export function columnBlocks(count, body) {
  return lines(
    set('cb', '(i32.const 0)'),
    '(block $blocksDone (loop $blocks',
    `  (br_if $blocksDone (i32.ge_u ${get('cb')} ${get('cols')}))`,
    set(count, minU(get('B'), `(i32.sub ${get('cols')} ${get('cb')})`)),
    body,
    set('cb', `(i32.add ${get('cb')} ${get('B')})`),
    '  (br $blocks)))',
  );
}

/**
 * The loop over groups of 4 rows of an item: `r0` = first, first + 4, ... while `r0 < last`,
 * with `ap` pointing at row `r0` of the row cloud before `body` runs.
 */
export function rowQuads(body) {
  return lines(
    set('r0', get('first')),
    '(block $rowBlocksDone (loop $rowBlocks',
    `  (br_if $rowBlocksDone (i32.ge_u ${get('r0')} ${get('last')}))`,
    set('ap', `(i32.add ${get('a')} (i32.mul ${get('r0')} ${get('aStride')}))`),
    body,
    set('r0', `(i32.add ${get('r0')} (i32.const 4))`),
    '  (br $rowBlocks)))',
  );
}

/** The 4 row pointers of a row group inside {@link rowQuads}: `ap + r aStride`, r = 0..3. */
export const quadRows = () => [
  get('ap'),
  ...[1, 2, 3].map(
    (offset) => `(i32.add ${get('ap')} (i32.mul ${get('aStride')} (i32.const ${offset})))`,
  ),
];
