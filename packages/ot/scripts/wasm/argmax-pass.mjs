/**
 * The row argmax pass of the semidiscrete score kernel [mousavi2025semidiscrete]: for each row i,
 *
 *   best_i = max_j (h32_j + K_ij),   index_i = the smallest j that attains it,
 *
 * in float32 (K_ij the tile's float32 dot product, h32 the float32 offsets; padded columns carry
 * h32 = -inf). Items of G rows; for each block of B columns and each 4 rows of the item, the tile
 * computes the 4 x B kernel values with their running maxima (`withMax`), and a row rescans its
 * block only when the block maximum beats its best so far (O(log blocks) rescans per row for
 * blocks in random order), so the pass costs the tile alone. The rescan recomputes
 * `h32_j + K_ij` with the same float32 addition as the tile, so the equality test finds the
 * column bit for bit; ties keep the smallest j (blocks in order, strict improvement).
 */
import {
  columnBlocks,
  itemLoop,
  quadRows,
  rowQuads,
  SCRATCH,
  SCRATCH_PARAMS,
  scratchPointer,
  tileCall,
} from './pass-common.mjs';
import { get, lines, locals, set } from './wat-text.mjs';

/** `$argmax_update(state, bm, kp, hp32, cb, count)`: folds one block of one row into (best, index). */
export function argmaxUpdateFunction() {
  return lines(
    '(func $argmax_update (param $state i32) (param $bm f32) (param $kp i32) (param $hp32 i32) (param $cb i32) (param $count i32)',
    locals('i32', ['j']),
    `(if (f32.gt ${get('bm')} (f32.load ${get('state')})) (then`,
    `(f32.store ${get('state')} ${get('bm')})`,
    '(block $found (loop $scan',
    `  (br_if $found (i32.ge_u ${get('j')} ${get('count')}))`,
    `  (if (f32.eq (f32.add (f32.load (i32.add ${get('kp')} (i32.shl ${get('j')} (i32.const 2))))`,
    `                       (f32.load (i32.add ${get('hp32')} (i32.shl ${get('j')} (i32.const 2))))) ${get('bm')})`,
    `    (then (i32.store offset=4 ${get('state')} (i32.add ${get('cb')} ${get('j')})) (br $found)))`,
    set('j', `(i32.add ${get('j')} (i32.const 1))`),
    '  (br $scan)))',
    ')))',
  );
}

/**
 * `row_argmax(a, aStride, d, panels, rows, cols, hp32, outBest, outIndex, counter, G, B,
 * tileIndex, scratch...)`: `outBest` float32 and `outIndex` int32 per row (rows a multiple of 4).
 */
export function rowArgmaxFunction() {
  const statePointer = (row) =>
    `(i32.add ${get('state')} (i32.shl (i32.sub ${row} ${get('first')}) (i32.const 3)))`;
  return lines(
    '(func (export "row_argmax")',
    '(param $a i32) (param $aStride i32) (param $d i32) (param $panels i32) (param $rows i32) (param $cols i32)',
    '(param $hp32 i32) (param $outBest i32) (param $outIndex i32)',
    '(param $counter i32) (param $G i32) (param $B i32) (param $tileIndex i32)',
    SCRATCH_PARAMS,
    locals('i32', [
      'scratch',
      'state',
      'tile',
      'ts',
      'first',
      'last',
      'i',
      'sp',
      'cb',
      'count',
      'r0',
      'ap',
    ]),
    scratchPointer(),
    set('state', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.state}))`),
    set('tile', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.tile}))`),
    set('ts', `(i32.shl ${get('B')} (i32.const 2))`),
    itemLoop({
      perItem: get('G'),
      total: get('rows'),
      body: lines(
        // (best, index) per row, 8 bytes: (-inf, 0).
        set('i', get('first')),
        '(block $initDone (loop $init',
        `  (br_if $initDone (i32.ge_u ${get('i')} ${get('last')}))`,
        set('sp', statePointer(get('i'))),
        `(f32.store ${get('sp')} (f32.const -inf))`,
        `(i32.store offset=4 ${get('sp')} (i32.const 0))`,
        set('i', `(i32.add ${get('i')} (i32.const 1))`),
        '  (br $init)))',
        columnBlocks('count', [
          rowQuads([
            tileCall({
              rows: quadRows(),
              cb: get('cb'),
              count: get('count'),
              tile: get('tile'),
              tileStride: get('ts'),
              h32: get('hp32'),
              maxima: `(i32.add ${get('scratch')} (i32.const ${SCRATCH.maxima}))`,
              withMax: true,
            }),
            [0, 1, 2, 3].map((r) =>
              lines(
                `(call $argmax_update ${statePointer(`(i32.add ${get('r0')} (i32.const ${r}))`)}`,
                `  (call $hmax (v128.load offset=${SCRATCH.maxima + 16 * r} ${get('scratch')}))`,
                `  (i32.add ${get('tile')} (i32.mul ${get('ts')} (i32.const ${r})))`,
                `  (i32.add ${get('hp32')} (i32.shl ${get('cb')} (i32.const 2)))`,
                `  ${get('cb')} ${get('count')})`,
              ),
            ),
          ]),
        ]),
        set('i', get('first')),
        '(block $writeDone (loop $write',
        `  (br_if $writeDone (i32.ge_u ${get('i')} ${get('last')}))`,
        set('sp', statePointer(get('i'))),
        `(f32.store (i32.add ${get('outBest')} (i32.shl ${get('i')} (i32.const 2))) (f32.load ${get('sp')}))`,
        `(i32.store (i32.add ${get('outIndex')} (i32.shl ${get('i')} (i32.const 2))) (i32.load offset=4 ${get('sp')}))`,
        set('i', `(i32.add ${get('i')} (i32.const 1))`),
        '  (br $write)))',
      ),
    }),
    ')',
  );
}
