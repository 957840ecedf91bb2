/**
 * The `dense16` storage: one n x m matrix of IEEE binary16 ("half") values, read in both
 * directions, that turns the soft-max passes into matrix-vector products (no exponential per
 * entry).
 *
 * The kept values are the *anchored scaling kernel* of stabilised Sinkhorn [schmitzer2019]:
 *
 *   Q_ij = half(2^14 2^((beta'_j + K_ij) s - Ms_i)),   s = log2(e) / eps,
 *
 * for an anchor (beta', Ms) chosen by the host so that every entry is at most about 2^0.5 (then
 * Q <= 2^14.5 < 65504, the largest half). A pass with offsets close to the anchor is then a
 * product with a weight vector of magnitude <= 1 (see src/backend/wasm/half-kernel-pass.ts):
 *
 *   rows:    T_i = sum_j Q_ij w_j,     columns: U_j = sum_i Q_ij u_i.
 *
 * Half precision keeps 11 significant bits (relative rounding error <= 2^-11 for normal values,
 * down to 2^-28 of the row maximum once the 2^14 scale is undone; subnormals to 2^-38), which
 * bounds the relative error of every kept entry independently of eps: the anchor makes the stored
 * quantity scale-free, which a half-precision copy of K itself (absolute error |K| 2^-11) is not.
 *
 * Conversions are integer operations on the float32 bit pattern (no half instructions exist in
 * WebAssembly SIMD128):
 * - to half: v = e 2^-98 (float32, exact; gradual underflow keeps subnormals exact), then
 *   (bits(v) + 2^12) >> 13 rounds the float32 significand to 10 bits (half-up) and leaves the
 *   half's exponent field, because float32 and half exponents differ by the bias 127 - 15 = 112;
 * - from half: bits = h << 13 is the float32 2^-112 h for normal and subnormal h alike, so the
 *   host folds 2^112 (and the 2^-14 scale) into the weights.
 */
import { expGroup, expGroupLocals, MAGIC } from './exp2-kernel.mjs';
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
import { f32x4, f64, get, i32x4, lines, locals, set, shuffle64 } from './wat-text.mjs';

/** The scale of the stored values: entries e <= 2^0.5 become Q = 2^14 e <= 2^14.5 < 65504. */
export const HALF_STORAGE_EXPONENT = 14;

/** The largest finite half (65504), as its bit pattern: stored values are clamped to it. */
const LARGEST_HALF_BITS = 0x7bff;

/** Four float32 terms (f32x4) -> four half bit patterns in the low 16 bits of i32 lanes. */
const toHalfBits = (value) =>
  `(i32x4.min_s (i32x4.shr_u (i32x4.add (f32x4.mul ${value} ${f32x4(2 ** (-112 + HALF_STORAGE_EXPONENT))}) ${i32x4(0x1000)}) (i32.const 13)) ${i32x4(LARGEST_HALF_BITS)})`;

/** The low (or high) four halves of `q` as float32 2^-112 h. */
const fromHalf = (q, half) => `(i32x4.shl (i32x4.extend_${half}_i16x8_u ${q}) (i32.const 13))`;

/**
 * `build_half(a, aStride, d, panels, rows, cols, h, s, shifts, Q, qStride, counter, G, B,
 * tileIndex, scratch...)`: Q_ij = half(2^14 2^((h'_j + K_ij) s - Ms_i)) with h' the float64
 * offsets at `h` and Ms_i the float64 integer shifts at `shifts`. K comes from the same tile as
 * the online passes; the exponential is the float64-reduced `expGroup` of the soft-max passes.
 */
export function buildHalfFunction() {
  return lines(
    '(func (export "build_half")',
    '(param $a i32) (param $aStride i32) (param $d i32) (param $panels i32) (param $rows i32) (param $cols i32)',
    '(param $h i32) (param $s f64) (param $shifts i32) (param $Q i32) (param $qStride i32)',
    '(param $counter i32) (param $G i32) (param $B i32) (param $tileIndex i32)',
    SCRATCH_PARAMS,
    locals('i32', [
      'scratch',
      'tile',
      'ts',
      'first',
      'last',
      'cb',
      'count',
      'r0',
      'ap',
      'kp',
      'hp',
      'qp',
      'end',
    ]),
    locals('v128', ['vs', 'vC', 'ea', 'eb']),
    expGroupLocals('a'),
    expGroupLocals('b'),
    scratchPointer(),
    set('tile', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.tile}))`),
    set('ts', `(i32.shl ${get('B')} (i32.const 2))`),
    set('vs', `(f64x2.splat ${get('s')})`),
    itemLoop({
      perItem: get('G'),
      total: get('rows'),
      body: columnBlocks('count', [
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
            lines(
              set(
                'vC',
                `(f64x2.splat (f64.sub ${f64(MAGIC)} (f64.load (i32.add ${get('shifts')} (i32.shl (i32.add ${get('r0')} (i32.const ${r})) (i32.const 3))))))`,
              ),
              set('kp', `(i32.add ${get('tile')} (i32.mul ${get('ts')} (i32.const ${r})))`),
              set('hp', `(i32.add ${get('h')} (i32.shl ${get('cb')} (i32.const 3)))`),
              set(
                'qp',
                `(i32.add (i32.add ${get('Q')} (i32.mul (i32.add ${get('r0')} (i32.const ${r})) ${get('qStride')})) (i32.shl ${get('cb')} (i32.const 1)))`,
              ),
              set('end', `(i32.add ${get('kp')} (i32.shl ${get('count')} (i32.const 2)))`),
              `(block $done${r} (loop $columns${r}`,
              `  (br_if $done${r} (i32.ge_u ${get('kp')} ${get('end')}))`,
              expGroup('ea', 'a', 0, 0),
              expGroup('eb', 'b', 16, 32),
              `(v128.store ${get('qp')} (i16x8.narrow_i32x4_u ${toHalfBits(get('ea'))} ${toHalfBits(get('eb'))}))`,
              set('kp', `(i32.add ${get('kp')} (i32.const 32))`),
              set('hp', `(i32.add ${get('hp')} (i32.const 64))`),
              set('qp', `(i32.add ${get('qp')} (i32.const 16))`),
              `  (br $columns${r})))`,
            ),
          ),
        ]),
      ]),
    }),
    ')',
  );
}

/**
 * `build_half_exact(a, aStride, d, panels, rows, cols, h, h32, s, shifts, sums, Q, qStride, rowBuffer,
 * counter, G, B, tileIndex, scratch...)`: the exact rows soft-max pass and the kept matrix around
 * its offsets in one sweep of the X Y^T tile (one GEMM instead of two). For each 4 rows, the tiles
 * of all column blocks go to this thread's buffer (4 x cols float32 at rowBuffer + 16 tid cols)
 * with the running row maxima of h32 + K; then each row's shift is Ms_i = round(max s), and one
 * pass over the buffer writes Q_ij = half(2^14 2^((h'_j + K_ij) s - Ms_i)) and sums the same
 * float32 terms in float64: shifts[i] = Ms_i, sums[i] = S_i, so the pass's answer is
 * max h + eps (Ms_i ln 2 + ln S_i), as `lse_online` gives it (without its skipping of terms below
 * 2^-126 of the row maximum, which `expGroup` clamps to 2^-125 instead).
 */
export function buildHalfExactFunction() {
  return lines(
    '(func (export "build_half_exact")',
    '(param $a i32) (param $aStride i32) (param $d i32) (param $panels i32) (param $rows i32) (param $cols i32)',
    '(param $h i32) (param $h32 i32) (param $s f64) (param $shifts i32) (param $sums i32) (param $Q i32) (param $qStride i32)',
    '(param $rowBuffer i32) (param $counter i32) (param $G i32) (param $B i32) (param $tileIndex i32)',
    SCRATCH_PARAMS,
    locals('i32', [
      'scratch',
      'buffer',
      'bs',
      'first',
      'last',
      'cb',
      'count',
      'r0',
      'ap',
      'kp',
      'hp',
      'qp',
      'end',
    ]),
    locals('f32', ['m0', 'm1', 'm2', 'm3']),
    locals('f64', ['shift']),
    locals('v128', ['vs', 'vC', 'ea', 'eb', 'e', 'acc0', 'acc1']),
    expGroupLocals('a'),
    expGroupLocals('b'),
    scratchPointer(),
    set('bs', `(i32.shl ${get('cols')} (i32.const 2))`),
    set(
      'buffer',
      `(i32.add ${get('rowBuffer')} (i32.mul ${get('tid')} (i32.shl ${get('bs')} (i32.const 2))))`,
    ),
    set('vs', `(f64x2.splat ${get('s')})`),
    itemLoop({
      perItem: get('G'),
      total: get('rows'),
      body: rowQuads([
        [0, 1, 2, 3].map((r) => set(`m${r}`, '(f32.const -inf)')),
        columnBlocks('count', [
          tileCall({
            rows: quadRows(),
            cb: get('cb'),
            count: get('count'),
            tile: `(i32.add ${get('buffer')} (i32.shl ${get('cb')} (i32.const 2)))`,
            tileStride: get('bs'),
            h32: get('h32'),
            maxima: `(i32.add ${get('scratch')} (i32.const ${SCRATCH.maxima}))`,
            withMax: true,
          }),
          [0, 1, 2, 3].map((r) =>
            set(
              `m${r}`,
              `(f32.max ${get(`m${r}`)} (call $hmax (v128.load offset=${SCRATCH.maxima + 16 * r} ${get('scratch')})))`,
            ),
          ),
        ]),
        [0, 1, 2, 3].map((r) =>
          lines(
            set('shift', `(f64.nearest (f64.mul (f64.promote_f32 ${get(`m${r}`)}) ${get('s')}))`),
            set('vC', `(f64x2.splat (f64.sub ${f64(MAGIC)} ${get('shift')}))`),
            set('acc0', '(v128.const i64x2 0 0)'),
            set('acc1', '(v128.const i64x2 0 0)'),
            set('kp', `(i32.add ${get('buffer')} (i32.mul ${get('bs')} (i32.const ${r})))`),
            set('hp', get('h')),
            set(
              'qp',
              `(i32.add ${get('Q')} (i32.mul (i32.add ${get('r0')} (i32.const ${r})) ${get('qStride')}))`,
            ),
            set('end', `(i32.add ${get('kp')} ${get('bs')})`),
            `(block $done${r} (loop $columns${r}`,
            `  (br_if $done${r} (i32.ge_u ${get('kp')} ${get('end')}))`,
            expGroup('ea', 'a', 0, 0),
            expGroup('eb', 'b', 16, 32),
            `(v128.store ${get('qp')} (i16x8.narrow_i32x4_u ${toHalfBits(get('ea'))} ${toHalfBits(get('eb'))}))`,
            // One float32 addition of two terms, then float64 accumulation (as $exp_sum).
            set('e', `(f32x4.add ${get('ea')} ${get('eb')})`),
            set('acc0', `(f64x2.add ${get('acc0')} (f64x2.promote_low_f32x4 ${get('e')}))`),
            set(
              'acc1',
              `(f64x2.add ${get('acc1')} (f64x2.promote_low_f32x4 ${shuffle64([1, 0], get('e'), get('e'))}))`,
            ),
            set('kp', `(i32.add ${get('kp')} (i32.const 32))`),
            set('hp', `(i32.add ${get('hp')} (i32.const 64))`),
            set('qp', `(i32.add ${get('qp')} (i32.const 16))`),
            `  (br $columns${r})))`,
            set('acc0', `(f64x2.add ${get('acc0')} ${get('acc1')})`),
            `(f64.store (i32.add ${get('shifts')} (i32.shl (i32.add ${get('r0')} (i32.const ${r})) (i32.const 3))) ${get('shift')})`,
            `(f64.store (i32.add ${get('sums')} (i32.shl (i32.add ${get('r0')} (i32.const ${r})) (i32.const 3))) (f64.add (f64x2.extract_lane 0 ${get('acc0')}) (f64x2.extract_lane 1 ${get('acc0')})))`,
          ),
        ),
      ]),
    }),
    ')',
  );
}

/** The four row pointers `Q + (r0 + r) qStride + 2 cb`, r = 0..3, as locals p0..p3. */
const rowPointers = () =>
  [0, 1, 2, 3].map((r) =>
    set(
      `p${r}`,
      `(i32.add (i32.add ${get('Q')} (i32.mul (i32.add ${get('r0')} (i32.const ${r})) ${get('qStride')})) (i32.shl ${get('cb')} (i32.const 1)))`,
    ),
  );

/** Sum of the 4 float32 lanes of `v`, in float64. */
const laneSum = (v) =>
  `(f64.add (f64.add (f64.promote_f32 (f32x4.extract_lane 0 ${v})) (f64.promote_f32 (f32x4.extract_lane 1 ${v}))) (f64.add (f64.promote_f32 (f32x4.extract_lane 2 ${v})) (f64.promote_f32 (f32x4.extract_lane 3 ${v}))))`;

/**
 * `half_rows(Q, qStride, rows, cols, w, out, counter, G, B, scratch...)`: out_i = sum_j h_ij w_j
 * (float64) with h_ij = 2^-112 Q_ij the decoded halves and w float32. Four rows share every load
 * of w; each column block is summed in float32 (at most B / 8 terms per lane, each <= 1) and the
 * block sums in float64.
 */
export function halfRowsFunction() {
  const accumulators = [0, 1, 2, 3].flatMap((r) => [`l${r}`, `h${r}`]);
  return lines(
    '(func (export "half_rows")',
    '(param $Q i32) (param $qStride i32) (param $rows i32) (param $cols i32) (param $w i32) (param $out i32)',
    '(param $counter i32) (param $G i32) (param $B i32)',
    SCRATCH_PARAMS,
    locals('i32', ['first', 'last', 'cb', 'count', 'r0', 'wp', 'end', 'p0', 'p1', 'p2', 'p3']),
    locals('f64', ['t0', 't1', 't2', 't3']),
    locals('v128', [...accumulators, 'wl', 'wh', 'q']),
    itemLoop({
      perItem: get('G'),
      total: get('rows'),
      body: lines(
        set('r0', get('first')),
        '(block $quadsDone (loop $quads',
        `  (br_if $quadsDone (i32.ge_u ${get('r0')} ${get('last')}))`,
        [0, 1, 2, 3].map((r) => set(`t${r}`, '(f64.const 0)')),
        columnBlocks('count', [
          accumulators.map((name) => set(name, '(v128.const i64x2 0 0)')),
          rowPointers(),
          set('wp', `(i32.add ${get('w')} (i32.shl ${get('cb')} (i32.const 2)))`),
          set('end', `(i32.add ${get('wp')} (i32.shl ${get('count')} (i32.const 2)))`),
          '(block $done (loop $columns',
          `  (br_if $done (i32.ge_u ${get('wp')} ${get('end')}))`,
          set('wl', `(v128.load ${get('wp')})`),
          set('wh', `(v128.load offset=16 ${get('wp')})`),
          [0, 1, 2, 3].map((r) =>
            lines(
              set('q', `(v128.load ${get(`p${r}`)})`),
              set(
                `l${r}`,
                `(f32x4.add ${get(`l${r}`)} (f32x4.mul ${fromHalf(get('q'), 'low')} ${get('wl')}))`,
              ),
              set(
                `h${r}`,
                `(f32x4.add ${get(`h${r}`)} (f32x4.mul ${fromHalf(get('q'), 'high')} ${get('wh')}))`,
              ),
              set(`p${r}`, `(i32.add ${get(`p${r}`)} (i32.const 16))`),
            ),
          ),
          set('wp', `(i32.add ${get('wp')} (i32.const 32))`),
          '  (br $columns)))',
          [0, 1, 2, 3].map((r) =>
            set(
              `t${r}`,
              `(f64.add ${get(`t${r}`)} ${laneSum(`(f32x4.add ${get(`l${r}`)} ${get(`h${r}`)})`)})`,
            ),
          ),
        ]),
        [0, 1, 2, 3].map(
          (r) =>
            `(f64.store (i32.add ${get('out')} (i32.shl (i32.add ${get('r0')} (i32.const ${r})) (i32.const 3))) ${get(`t${r}`)})`,
        ),
        set('r0', `(i32.add ${get('r0')} (i32.const 4))`),
        '  (br $quads)))',
      ),
    }),
    ')',
  );
}

/**
 * `half_columns(Q, qStride, rows, cols, u, colBase, counter, G, B, scratch...)`: this thread's
 * partial U_j = sum_i h_ij u_i over the rows of the items it claims, added to its float64 row of
 * `colBase` (threads x cols). Rows stream in order (the same matrix as `half_rows`, read the other
 * way); an item's rows accumulate per column block in a float32 buffer in the thread's scratch
 * (at most G terms each), then into float64.
 */
export function halfColumnsFunction() {
  return lines(
    '(func (export "half_columns")',
    '(param $Q i32) (param $qStride i32) (param $rows i32) (param $cols i32) (param $u i32) (param $colBase i32)',
    '(param $counter i32) (param $G i32) (param $B i32)',
    SCRATCH_PARAMS,
    locals('i32', [
      'scratch',
      'acc',
      'first',
      'last',
      'cb',
      'count',
      'r0',
      'ap',
      'end',
      'cp',
      'p0',
      'p1',
      'p2',
      'p3',
    ]),
    locals('v128', ['u0', 'u1', 'u2', 'u3', 'l', 'h', 'q', 'v']),
    scratchPointer(),
    set('acc', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.tile}))`),
    itemLoop({
      perItem: get('G'),
      total: get('rows'),
      body: columnBlocks('count', [
        set('ap', get('acc')),
        set('end', `(i32.add ${get('acc')} (i32.shl ${get('count')} (i32.const 2)))`),
        '(block $zeroDone (loop $zero',
        `  (br_if $zeroDone (i32.ge_u ${get('ap')} ${get('end')}))`,
        `(v128.store ${get('ap')} (v128.const i64x2 0 0))`,
        set('ap', `(i32.add ${get('ap')} (i32.const 16))`),
        '  (br $zero)))',
        set('r0', get('first')),
        '(block $quadsDone (loop $quads',
        `  (br_if $quadsDone (i32.ge_u ${get('r0')} ${get('last')}))`,
        [0, 1, 2, 3].map((r) =>
          set(
            `u${r}`,
            `(v128.load32_splat (i32.add ${get('u')} (i32.shl (i32.add ${get('r0')} (i32.const ${r})) (i32.const 2))))`,
          ),
        ),
        rowPointers(),
        set('ap', get('acc')),
        '(block $done (loop $columns',
        `  (br_if $done (i32.ge_u ${get('ap')} ${get('end')}))`,
        set('l', `(v128.load ${get('ap')})`),
        set('h', `(v128.load offset=16 ${get('ap')})`),
        [0, 1, 2, 3].map((r) =>
          lines(
            set('q', `(v128.load ${get(`p${r}`)})`),
            set(
              'l',
              `(f32x4.add ${get('l')} (f32x4.mul ${fromHalf(get('q'), 'low')} ${get(`u${r}`)}))`,
            ),
            set(
              'h',
              `(f32x4.add ${get('h')} (f32x4.mul ${fromHalf(get('q'), 'high')} ${get(`u${r}`)}))`,
            ),
            set(`p${r}`, `(i32.add ${get(`p${r}`)} (i32.const 16))`),
          ),
        ),
        `(v128.store ${get('ap')} ${get('l')})`,
        `(v128.store offset=16 ${get('ap')} ${get('h')})`,
        set('ap', `(i32.add ${get('ap')} (i32.const 32))`),
        '  (br $columns)))',
        set('r0', `(i32.add ${get('r0')} (i32.const 4))`),
        '  (br $quads)))',
        // Flush: this thread's float64 column sums += the block's float32 sums.
        set(
          'cp',
          `(i32.add ${get('colBase')} (i32.shl (i32.add (i32.mul ${get('tid')} ${get('cols')}) ${get('cb')}) (i32.const 3)))`,
        ),
        set('ap', get('acc')),
        '(block $flushDone (loop $flush',
        `  (br_if $flushDone (i32.ge_u ${get('ap')} ${get('end')}))`,
        set('v', `(v128.load ${get('ap')})`),
        `(v128.store ${get('cp')} (f64x2.add (v128.load ${get('cp')}) (f64x2.promote_low_f32x4 ${get('v')})))`,
        `(v128.store offset=16 ${get('cp')} (f64x2.add (v128.load offset=16 ${get('cp')}) (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${get('v')} ${get('v')}))))`,
        set('ap', `(i32.add ${get('ap')} (i32.const 16))`),
        set('cp', `(i32.add ${get('cp')} (i32.const 32))`),
        '  (br $flush)))',
      ]),
    }),
    ')',
  );
}

/** `half_test(src, dst, count)`: float32 -> half -> float32 2^-112 h of `count` (x 8) values. */
export function halfTestFunction() {
  return lines(
    '(func (export "half_test") (param $src i32) (param $dst i32) (param $count i32)',
    locals('i32', ['end']),
    locals('v128', ['q']),
    set('end', `(i32.add ${get('src')} (i32.shl ${get('count')} (i32.const 2)))`),
    '(block $done (loop $values',
    `  (br_if $done (i32.ge_u ${get('src')} ${get('end')}))`,
    set(
      'q',
      `(i16x8.narrow_i32x4_u ${toHalfBits(`(v128.load ${get('src')})`)} ${toHalfBits(`(v128.load offset=16 ${get('src')})`)})`,
    ),
    `(v128.store ${get('dst')} ${fromHalf(get('q'), 'low')})`,
    `(v128.store offset=16 ${get('dst')} ${fromHalf(get('q'), 'high')})`,
    set('src', `(i32.add ${get('src')} (i32.const 32))`),
    set('dst', `(i32.add ${get('dst')} (i32.const 32))`),
    '  (br $values)))',
    ')',
  );
}
