/**
 * The statistics pass: one streaming sweep over P_ij = exp((f_i + g_j + K_ij) / eps) that
 * accumulates the row sums, this thread's column sums and <P, K> [klein2025].
 *
 * There is no per-row shift here (the sums are absolute), so each P_ij is a full-range float64
 * 2^((f_i + g_j + K_ij) s) (`exp2Float64`: exact zero below 2^-1022, saturation at 2^1023), with
 * (f_i + g_j) + K_ij formed in float64 as the reference does. Column sums go to a per-thread
 * float64 array that the host adds up after the pass, so threads never write the same word.
 */
import { exp2Float64 } from './exp2-kernel.mjs';
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

/** `$stat_row(kp, f, gp, cp, count, s, rowSum, moment)`: one row segment of `count` columns. */
export function statisticsRowFunction() {
  return lines(
    '(func $stat_row (param $kp i32) (param $f f64) (param $gp i32) (param $cp i32) (param $count i32) (param $s f64) (param $rowSum i32) (param $moment i32)',
    locals('i32', ['end']),
    locals('v128', ['vf', 'vs', 'k', 'w', 'p', 'rs', 'mo', 'ec', 'ev']),
    set('vf', `(f64x2.splat ${get('f')})`),
    set('vs', `(f64x2.splat ${get('s')})`),
    set('end', `(i32.add ${get('kp')} (i32.shl ${get('count')} (i32.const 2)))`),
    '(block $done (loop $columns',
    `  (br_if $done (i32.ge_u ${get('kp')} ${get('end')}))`,
    set('k', `(f64x2.promote_low_f32x4 (v128.load64_zero ${get('kp')}))`),
    set(
      'w',
      `(f64x2.mul (f64x2.add (f64x2.add ${get('vf')} (v128.load ${get('gp')})) ${get('k')}) ${get('vs')})`,
    ),
    exp2Float64('p', get('w'), 'e'),
    set('rs', `(f64x2.add ${get('rs')} ${get('p')})`),
    `(v128.store ${get('cp')} (f64x2.add (v128.load ${get('cp')}) ${get('p')}))`,
    set('mo', `(f64x2.add ${get('mo')} (f64x2.mul ${get('p')} ${get('k')}))`),
    set('kp', `(i32.add ${get('kp')} (i32.const 8))`),
    set('gp', `(i32.add ${get('gp')} (i32.const 16))`),
    set('cp', `(i32.add ${get('cp')} (i32.const 16))`),
    '  (br $columns)))',
    `(f64.store ${get('rowSum')} (f64.add (f64.load ${get('rowSum')}) (f64.add (f64x2.extract_lane 0 ${get('rs')}) (f64x2.extract_lane 1 ${get('rs')}))))`,
    `(f64.store ${get('moment')} (f64.add (f64.load ${get('moment')}) (f64.add (f64x2.extract_lane 0 ${get('mo')}) (f64x2.extract_lane 1 ${get('mo')})))))`,
  );
}

/**
 * `statistics(a, aStride, d, panels, K, kStride, dense, rows, cols, fp, gp, s, rowSums, colBase,
 * momentBase, counter, G, B, tileIndex, scratch...)`. Padded rows and columns must carry -inf
 * potentials (they then contribute exact zeros).
 */
export function statisticsFunction() {
  const rowCall = (kp, row) =>
    lines(
      `(call $stat_row ${kp} (f64.load (i32.add ${get('fp')} (i32.shl ${row} (i32.const 3))))`,
      `  (i32.add ${get('gp')} (i32.shl ${get('cb')} (i32.const 3))) (i32.add ${get('cols8')} (i32.shl ${get('cb')} (i32.const 3)))`,
      `  ${get('count')} ${get('s')} (i32.add ${get('rowSums')} (i32.shl ${row} (i32.const 3))) ${get('moment')})`,
    );
  return lines(
    '(func (export "statistics")',
    '(param $a i32) (param $aStride i32) (param $d i32) (param $panels i32) (param $K i32) (param $kStride i32) (param $dense i32)',
    '(param $rows i32) (param $cols i32) (param $fp i32) (param $gp i32) (param $s f64)',
    '(param $rowSums i32) (param $colBase i32) (param $momentBase i32)',
    '(param $counter i32) (param $G i32) (param $B i32) (param $tileIndex i32)',
    SCRATCH_PARAMS,
    locals('i32', [
      'scratch',
      'tile',
      'ts',
      'first',
      'last',
      'i',
      'cb',
      'count',
      'r0',
      'ap',
      'cols8',
      'moment',
    ]),
    scratchPointer(),
    set('tile', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.tile}))`),
    set('ts', `(i32.shl ${get('B')} (i32.const 2))`),
    // This thread's column sums and moment.
    set(
      'cols8',
      `(i32.add ${get('colBase')} (i32.mul (i32.shl ${get('cols')} (i32.const 3)) ${get('tid')}))`,
    ),
    set('moment', `(i32.add ${get('momentBase')} (i32.shl ${get('tid')} (i32.const 3)))`),
    itemLoop({
      perItem: get('G'),
      total: get('rows'),
      body: lines(
        set('i', get('first')),
        '(block $zeroDone (loop $zero',
        `  (br_if $zeroDone (i32.ge_u ${get('i')} ${get('last')}))`,
        `(f64.store (i32.add ${get('rowSums')} (i32.shl ${get('i')} (i32.const 3))) (f64.const 0))`,
        set('i', `(i32.add ${get('i')} (i32.const 1))`),
        '  (br $zero)))',
        columnBlocks('count', [
          `(if ${get('dense')} (then`,
          set('i', get('first')),
          '(block $denseDone (loop $denseRows',
          `  (br_if $denseDone (i32.ge_u ${get('i')} ${get('last')}))`,
          rowCall(
            `(i32.add (i32.add ${get('K')} (i32.mul ${get('i')} ${get('kStride')})) (i32.shl ${get('cb')} (i32.const 2)))`,
            get('i'),
          ),
          set('i', `(i32.add ${get('i')} (i32.const 1))`),
          '  (br $denseRows)))',
          ') (else',
          rowQuads([
            tileCall({
              rows: quadRows(),
              cb: get('cb'),
              count: get('count'),
              tile: get('tile'),
              tileStride: get('ts'),
              withMax: false,
            }),
            [0, 1, 2, 3].map((r) =>
              rowCall(
                `(i32.add ${get('tile')} (i32.mul ${get('ts')} (i32.const ${r})))`,
                `(i32.add ${get('r0')} (i32.const ${r}))`,
              ),
            ),
          ]),
          '))',
        ]),
      ),
    }),
    ')',
  );
}
