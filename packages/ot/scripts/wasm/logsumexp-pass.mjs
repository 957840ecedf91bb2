/**
 * The soft-max pass, out_i = eps log sum_j exp((h_j + K_ij) / eps) [klein2025], as a running
 * (shift, sum) state per row (see `$lse_update`), in both modes:
 *
 * - `lse_online`: items of G rows; for each block of B columns, for each 4 rows of the item, a
 *   tile computes the 4 x B kernel values (and their maxima) from the two clouds, then each row
 *   folds the block into its state. The panel block (B d floats) stays in L1/L2 while the item's
 *   rows reuse it; the 4 rows share every panel load.
 * - `lse_dense`: the same over the rows of the kept K (or K^T), block maximum then block sum.
 *
 * The host passes h' = max(h - max h, -2^30 / s) (float64) and its float32 rounding, padded to
 * the panel width with the clamp value, and reads back Ms_i and S_i:
 * out_i = max h + eps (Ms_i ln 2 + ln S_i).
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

/** Initialises the state of rows [first, last) to (shift = -inf, sum = 0). */
const initState = () =>
  lines(
    set('i', get('first')),
    '(block $initDone (loop $init',
    `  (br_if $initDone (i32.ge_u ${get('i')} ${get('last')}))`,
    set(
      'sp',
      `(i32.add ${get('state')} (i32.shl (i32.sub ${get('i')} ${get('first')}) (i32.const 5)))`,
    ),
    `(f64.store ${get('sp')} (f64.const -inf))`,
    `(f64.store offset=8 ${get('sp')} (f64.const 0))`,
    set('i', `(i32.add ${get('i')} (i32.const 1))`),
    '  (br $init)))',
  );

/** Copies the state of rows [first, last) to outM, outS. */
const writeState = () =>
  lines(
    set('i', get('first')),
    '(block $writeDone (loop $write',
    `  (br_if $writeDone (i32.ge_u ${get('i')} ${get('last')}))`,
    set(
      'sp',
      `(i32.add ${get('state')} (i32.shl (i32.sub ${get('i')} ${get('first')}) (i32.const 5)))`,
    ),
    `(f64.store (i32.add ${get('outM')} (i32.shl ${get('i')} (i32.const 3))) (f64.load ${get('sp')}))`,
    `(f64.store (i32.add ${get('outS')} (i32.shl ${get('i')} (i32.const 3))) (f64.load offset=8 ${get('sp')}))`,
    set('i', `(i32.add ${get('i')} (i32.const 1))`),
    '  (br $write)))',
  );

/** `lse_online(a, aStride, d, panels, rows, cols, hp, hp32, s, outM, outS, counter, G, B, tileIndex, scratch...)` */
export function logSumExpOnlineFunction() {
  return lines(
    '(func (export "lse_online")',
    '(param $a i32) (param $aStride i32) (param $d i32) (param $panels i32) (param $rows i32) (param $cols i32)',
    '(param $hp i32) (param $hp32 i32) (param $s f64) (param $kBound f64) (param $outM i32) (param $outS i32)',
    '(param $counter i32) (param $G i32) (param $B i32) (param $tileIndex i32)',
    SCRATCH_PARAMS,
    locals('i32', [
      'scratch',
      'state',
      'tile',
      'first',
      'last',
      'i',
      'sp',
      'cb',
      'count',
      'r0',
      'ap',
      'ts',
    ]),
    scratchPointer(),
    set('state', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.state}))`),
    set('tile', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.tile}))`),
    set('ts', `(i32.shl ${get('B')} (i32.const 2))`),
    itemLoop({
      perItem: get('G'),
      total: get('rows'),
      body: lines(
        initState(),
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
                `(call $lse_update`,
                `  (i32.add ${get('state')} (i32.shl (i32.sub (i32.add ${get('r0')} (i32.const ${r})) ${get('first')}) (i32.const 5)))`,
                `  (call $hmax (v128.load offset=${SCRATCH.maxima + 16 * r} ${get('scratch')}))`,
                `  (i32.add ${get('tile')} (i32.mul ${get('ts')} (i32.const ${r})))`,
                `  (i32.add ${get('hp')} (i32.shl ${get('cb')} (i32.const 3)))`,
                `  (i32.add ${get('hp32')} (i32.shl ${get('cb')} (i32.const 2)))`,
                `  ${get('count')} ${get('s')} ${get('kBound')})`,
              ),
            ),
          ]),
        ]),
        writeState(),
      ),
    }),
    ')',
  );
}

/** `lse_dense(K, kStride, rows, cols, hp, hp32, s, outM, outS, counter, G, B, scratch...)` */
export function logSumExpDenseFunction() {
  return lines(
    '(func (export "lse_dense")',
    '(param $K i32) (param $kStride i32) (param $rows i32) (param $cols i32)',
    '(param $hp i32) (param $hp32 i32) (param $s f64) (param $kBound f64) (param $outM i32) (param $outS i32)',
    '(param $counter i32) (param $G i32) (param $B i32)',
    SCRATCH_PARAMS,
    locals('i32', ['scratch', 'state', 'first', 'last', 'i', 'sp', 'cb', 'count', 'kp']),
    scratchPointer(),
    set('state', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.state}))`),
    itemLoop({
      perItem: get('G'),
      total: get('rows'),
      body: lines(
        initState(),
        set('i', get('first')),
        '(block $rowsDone (loop $rowLoop',
        `  (br_if $rowsDone (i32.ge_u ${get('i')} ${get('last')}))`,
        set(
          'sp',
          `(i32.add ${get('state')} (i32.shl (i32.sub ${get('i')} ${get('first')}) (i32.const 5)))`,
        ),
        columnBlocks('count', [
          set(
            'kp',
            `(i32.add (i32.add ${get('K')} (i32.mul ${get('i')} ${get('kStride')})) (i32.shl ${get('cb')} (i32.const 2)))`,
          ),
          `(call $lse_update ${get('sp')}`,
          `  (call $block_max ${get('kp')} (i32.add ${get('hp32')} (i32.shl ${get('cb')} (i32.const 2))) ${get('count')})`,
          `  ${get('kp')} (i32.add ${get('hp')} (i32.shl ${get('cb')} (i32.const 3)))`,
          `  (i32.add ${get('hp32')} (i32.shl ${get('cb')} (i32.const 2))) ${get('count')} ${get('s')} ${get('kBound')})`,
        ]),
        set('i', `(i32.add ${get('i')} (i32.const 1))`),
        '  (br $rowLoop)))',
        writeState(),
      ),
    }),
    ')',
  );
}

/** `build_dense(a, aStride, d, panels, rows, cols, K, kStride, counter, G, B, tileIndex)`: K = A B^T. */
export function buildDenseFunction() {
  return lines(
    '(func (export "build_dense")',
    '(param $a i32) (param $aStride i32) (param $d i32) (param $panels i32) (param $rows i32) (param $cols i32)',
    '(param $K i32) (param $kStride i32) (param $counter i32) (param $G i32) (param $B i32) (param $tileIndex i32)',
    SCRATCH_PARAMS,
    locals('i32', ['first', 'last', 'cb', 'count', 'r0', 'ap']),
    itemLoop({
      perItem: get('G'),
      total: get('rows'),
      body: lines(
        columnBlocks('count', [
          rowQuads([
            tileCall({
              rows: quadRows(),
              cb: get('cb'),
              count: get('count'),
              tile: `(i32.add (i32.add ${get('K')} (i32.mul ${get('r0')} ${get('kStride')})) (i32.shl ${get('cb')} (i32.const 2)))`,
              tileStride: get('kStride'),
              withMax: false,
            }),
          ]),
        ]),
      ),
    }),
    ')',
  );
}
