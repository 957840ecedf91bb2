/**
 * The conditional expectation pass (barycentric projection):
 *
 *   out_{q,:} = sum_j P_{i_q j} v_{j,:} / sum_j P_{i_q j},   P_ij proportional to exp((g_j + K_ij) / eps),
 *
 * for a list of rows i_q, 4 rows per item (any 4 rows: the tile takes 4 row pointers). Each row
 * keeps the log-sum-exp state (shift Ms, sum S) of the soft-max pass and a float64 accumulator of
 * width k; a block's weights 2^(w_j - Ms) are stored (float64, from the float64 exponential) and
 * added into the accumulator as `acc += e_j v_j` (8 float64 lanes in registers at a time);
 * when the shift grows, S and the accumulator are rescaled by the same exact power of two.
 */
import {
  columnBlocks,
  itemLoop,
  SCRATCH,
  SCRATCH_PARAMS,
  scratchPointer,
  tileCall,
} from './pass-common.mjs';
import { f64, get, lines, locals, set } from './wat-text.mjs';

/** `$axpy_block(ep, count, vp, width, acc)`: acc[c] += sum_j e_j v[j][c], `width` even. */
export function axpyBlockFunction() {
  const chunk = (lanes) => {
    const names = Array.from({ length: lanes / 2 }, (_, index) => `s${index}`);
    return lines(
      names.map((name, index) => set(name, `(v128.load offset=${16 * index} ${get('ap')})`)),
      set('e', get('ep')),
      set('v', get('vp')),
      set('end', `(i32.add ${get('ep')} (i32.shl ${get('count')} (i32.const 3)))`),
      `(block $jDone${lanes} (loop $j${lanes}`,
      `  (br_if $jDone${lanes} (i32.ge_u ${get('e')} ${get('end')}))`,
      set('weight', `(v128.load64_splat ${get('e')})`),
      names.map((name, index) =>
        set(
          name,
          `(f64x2.add ${get(name)} (f64x2.mul ${get('weight')} (v128.load offset=${16 * index} ${get('v')})))`,
        ),
      ),
      set('e', `(i32.add ${get('e')} (i32.const 8))`),
      set('v', `(i32.add ${get('v')} ${get('rowBytes')})`),
      `  (br $j${lanes})))`,
      names.map((name, index) => `(v128.store offset=${16 * index} ${get('ap')} ${get(name)})`),
    );
  };
  return lines(
    '(func $axpy_block (param $ep i32) (param $count i32) (param $vp i32) (param $width i32) (param $acc i32)',
    locals('i32', ['ap', 'apEnd', 'e', 'v', 'end', 'rowBytes']),
    locals('v128', ['weight', 's0', 's1', 's2', 's3']),
    set('rowBytes', `(i32.shl ${get('width')} (i32.const 3))`),
    set('ap', get('acc')),
    // 8 lanes (4 f64x2 accumulators in registers) while they fit, then 2 at a time.
    set(
      'apEnd',
      `(i32.add ${get('acc')} (i32.shl (i32.and ${get('width')} (i32.const -8)) (i32.const 3)))`,
    ),
    '(block $wideDone (loop $wide',
    `  (br_if $wideDone (i32.ge_u ${get('ap')} ${get('apEnd')}))`,
    chunk(8),
    set('ap', `(i32.add ${get('ap')} (i32.const 64))`),
    set('vp', `(i32.add ${get('vp')} (i32.const 64))`),
    '  (br $wide)))',
    set('apEnd', `(i32.add ${get('acc')} ${get('rowBytes')})`),
    '(block $narrowDone (loop $narrow',
    `  (br_if $narrowDone (i32.ge_u ${get('ap')} ${get('apEnd')}))`,
    chunk(2),
    set('ap', `(i32.add ${get('ap')} (i32.const 16))`),
    set('vp', `(i32.add ${get('vp')} (i32.const 16))`),
    '  (br $narrow)))',
    ')',
  );
}

/** `$scale_vector(p, count, factor)`: p[c] *= factor for `count` (even) float64. */
export function scaleVectorFunction() {
  return lines(
    '(func $scale_vector (param $p i32) (param $count i32) (param $factor f64)',
    locals('i32', ['end']),
    locals('v128', ['vf']),
    set('vf', `(f64x2.splat ${get('factor')})`),
    set('end', `(i32.add ${get('p')} (i32.shl ${get('count')} (i32.const 3)))`),
    '(block $done (loop $values',
    `  (br_if $done (i32.ge_u ${get('p')} ${get('end')}))`,
    `(v128.store ${get('p')} (f64x2.mul (v128.load ${get('p')}) ${get('vf')}))`,
    set('p', `(i32.add ${get('p')} (i32.const 16))`),
    '  (br $values)))',
    ')',
  );
}

/** `$ce_update(state, bm, kp, hp, count, s, ep, acc, vp, width)`: one block of one row. */
export function expectationUpdateFunction() {
  return lines(
    '(func $ce_update (param $state i32) (param $bm f32) (param $kp i32) (param $hp i32) (param $count i32) (param $s f64)',
    '(param $ep i32) (param $acc i32) (param $vp i32) (param $width i32)',
    locals('f64', ['shift', 'sum', 'next', 'factor']),
    set('shift', `(f64.load ${get('state')})`),
    set('sum', `(f64.load offset=8 ${get('state')})`),
    set('next', `(f64.nearest (f64.mul (f64.promote_f32 ${get('bm')}) ${get('s')}))`),
    `(if (f64.gt ${get('next')} ${get('shift')}) (then`,
    set('factor', `(call $pow2 (f64.sub ${get('shift')} ${get('next')}))`),
    set('sum', `(f64.mul ${get('sum')} ${get('factor')})`),
    `(call $scale_vector ${get('acc')} ${get('width')} ${get('factor')})`,
    set('shift', get('next')),
    '))',
    `(if (f64.ge ${get('next')} (f64.sub ${get('shift')} ${f64(126)})) (then`,
    set(
      'sum',
      `(f64.add ${get('sum')} (call $exp_store64 ${get('kp')} ${get('hp')} ${get('count')} ${get('s')} ${get('shift')} ${get('ep')}))`,
    ),
    `(call $axpy_block ${get('ep')} ${get('count')} ${get('vp')} ${get('width')} ${get('acc')})`,
    '))',
    `(f64.store ${get('state')} ${get('shift')})`,
    `(f64.store offset=8 ${get('state')} ${get('sum')}))`,
  );
}

/**
 * `expectation(a, aStride, d, panels, K, kStride, dense, rowList, count, cols, hp, hp32, s,
 * values, width, out, counter, B, tileIndex, accBase, accStride, scratch...)`: `count` a multiple
 * of 4, `width` even, `values` cols x width float64 (padded columns: any finite values, their
 * weights are zero), `out` count x width float64.
 */
export function expectationFunction() {
  const row = (q) =>
    `(i32.load offset=${4 * q} (i32.add ${get('rowList')} (i32.shl ${get('first')} (i32.const 2))))`;
  const accOf = (q) => `(i32.add ${get('acc')} (i32.mul ${get('accRow')} (i32.const ${q})))`;
  const stateOf = (q) => `(i32.add ${get('state')} (i32.const ${32 * q}))`;
  return lines(
    '(func (export "expectation")',
    '(param $a i32) (param $aStride i32) (param $d i32) (param $panels i32) (param $K i32) (param $kStride i32) (param $dense i32)',
    '(param $rowList i32) (param $count i32) (param $cols i32) (param $hp i32) (param $hp32 i32) (param $s f64)',
    '(param $values i32) (param $width i32) (param $out i32)',
    '(param $counter i32) (param $B i32) (param $tileIndex i32) (param $accBase i32) (param $accStride i32)',
    SCRATCH_PARAMS,
    locals('i32', [
      'scratch',
      'state',
      'tile',
      'ep',
      'ts',
      'acc',
      'accRow',
      'first',
      'last',
      'cb',
      'blockCount',
      'i',
      'c',
      'op',
      'ap',
    ]),
    locals('i32', ['r0', 'r1', 'r2', 'r3', 'k0', 'k1', 'k2', 'k3']),
    locals('f32', ['bm0', 'bm1', 'bm2', 'bm3']),
    scratchPointer(),
    set('state', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.state}))`),
    set('tile', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.tile}))`),
    set('ts', `(i32.shl ${get('B')} (i32.const 2))`),
    set('ep', `(i32.add ${get('tile')} (i32.shl ${get('ts')} (i32.const 2)))`),
    set('acc', `(i32.add ${get('accBase')} (i32.mul ${get('accStride')} ${get('tid')}))`),
    set('accRow', `(i32.shl ${get('width')} (i32.const 3))`),
    itemLoop({
      perItem: '(i32.const 4)',
      total: get('count'),
      body: lines(
        [0, 1, 2, 3].map((q) => set(`r${q}`, row(q))),
        [0, 1, 2, 3].map((q) =>
          lines(
            `(f64.store ${stateOf(q)} (f64.const -inf))`,
            `(f64.store offset=8 ${stateOf(q)} (f64.const 0))`,
            `(memory.fill ${accOf(q)} (i32.const 0) ${get('accRow')})`,
          ),
        ),
        columnBlocks('blockCount', [
          `(if ${get('dense')} (then`,
          [0, 1, 2, 3].map((q) =>
            lines(
              set(
                `k${q}`,
                `(i32.add (i32.add ${get('K')} (i32.mul ${get(`r${q}`)} ${get('kStride')})) (i32.shl ${get('cb')} (i32.const 2)))`,
              ),
              set(
                `bm${q}`,
                `(call $block_max ${get(`k${q}`)} (i32.add ${get('hp32')} (i32.shl ${get('cb')} (i32.const 2))) ${get('blockCount')})`,
              ),
            ),
          ),
          ') (else',
          tileCall({
            rows: [0, 1, 2, 3].map(
              (q) => `(i32.add ${get('a')} (i32.mul ${get(`r${q}`)} ${get('aStride')}))`,
            ),
            cb: get('cb'),
            count: get('blockCount'),
            tile: get('tile'),
            tileStride: get('ts'),
            h32: get('hp32'),
            maxima: `(i32.add ${get('scratch')} (i32.const ${SCRATCH.maxima}))`,
            withMax: true,
          }),
          [0, 1, 2, 3].map((q) =>
            lines(
              set(`k${q}`, `(i32.add ${get('tile')} (i32.mul ${get('ts')} (i32.const ${q})))`),
              set(
                `bm${q}`,
                `(call $hmax (v128.load offset=${SCRATCH.maxima + 16 * q} ${get('scratch')}))`,
              ),
            ),
          ),
          '))',
          [0, 1, 2, 3].map((q) =>
            lines(
              `(call $ce_update ${stateOf(q)} ${get(`bm${q}`)} ${get(`k${q}`)} (i32.add ${get('hp')} (i32.shl ${get('cb')} (i32.const 3))) ${get('blockCount')} ${get('s')}`,
              `  ${get('ep')} ${accOf(q)} (i32.add ${get('values')} (i32.mul ${get('cb')} ${get('accRow')})) ${get('width')})`,
            ),
          ),
        ]),
        // out_q = acc_q / S_q
        [0, 1, 2, 3].map((q) =>
          lines(
            set(
              'op',
              `(i32.add ${get('out')} (i32.mul (i32.add ${get('first')} (i32.const ${q})) ${get('accRow')}))`,
            ),
            set('ap', accOf(q)),
            set('c', '(i32.const 0)'),
            `(block $divDone${q} (loop $div${q}`,
            `  (br_if $divDone${q} (i32.ge_u ${get('c')} ${get('width')}))`,
            `(f64.store (i32.add ${get('op')} (i32.shl ${get('c')} (i32.const 3))) (f64.div (f64.load (i32.add ${get('ap')} (i32.shl ${get('c')} (i32.const 3)))) (f64.load offset=8 ${stateOf(q)})))`,
            set('c', `(i32.add ${get('c')} (i32.const 1))`),
            `  (br $div${q})))`,
          ),
        ),
      ),
    }),
    ')',
  );
}
