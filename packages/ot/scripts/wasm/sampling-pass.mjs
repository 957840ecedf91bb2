/**
 * Gumbel-max sampling [gumbel1954]: for each requested (row i, draw k),
 *
 *   out = argmax_j  l_j + G(seed, i, j, k),   l_j = (g_j + K_ij) / eps   (ties: smallest j),
 *
 * exact, with G the keyed noise of @sinkflow/core: G = -log(-log(u)), u from Philox (bit-identical,
 * see philox-simd.mjs) and `log` the host's own Math.log (imported), so the noise of every column
 * that can matter is bit-identical to `counterGumbel`. Most columns are decided without it:
 *
 * 1. prune: G <= 37 (the largest value is 36.737 for u = 1 - 2^-53), so a panel of 8 columns
 *    whose logits are all <= best - 37 cannot beat the running best (no noise computed);
 * 2. bound: otherwise the panel's 8 uniforms are computed (SIMD Philox). Column j can only win
 *    if G_j > t_j = best - l_j, i.e. -log(u_j) < exp(-t_j); since exp(-y) >= 1 - y, that needs
 *    1 - u_j < exp(-t_j). A float32 over-estimate A >= exp(-t_j) (a degree-3 polynomial with a 2%
 *    margin, far above its 8e-4 error and the float32 roundings of t and 1 - u) rejects every
 *    column with 1 - u_j >= A without a logarithm: all but O(log m) columns per sample;
 * 3. filter: in a panel with a survivor, an approximate G~ = -log~(-log~(u)) with a vectorised
 *    log (fdlibm's reduction and polynomial, error a few ulps, so |G~ - G| < 1e-13); a column can
 *    only beat the best if l_j + G~_j >= best - delta with delta = 1e-9 (1 + |best|) (far above
 *    that error and the rounding of l + G);
 * 4. decide: those few columns get the exact G (two calls of the imported log) and the exact
 *    comparison l_j + G_j > best.
 *
 * The outcome is the exact argmax, so it depends neither on the column blocks nor on threads.
 */

import {
  columnBlocks,
  itemLoop,
  SCRATCH,
  SCRATCH_PARAMS,
  scratchPointer,
  tileCall,
} from './pass-common.mjs';
import {
  PHILOX_BLOCK_LOCALS,
  PHILOX_ROW_LOCALS,
  philoxBlocks,
  philoxRowConstants,
  UNIFORM_LOCALS,
  uniformsFromBlocks,
} from './philox-simd.mjs';
import {
  f32x4,
  f64,
  f64x2,
  get,
  i32x4,
  i64x2,
  lines,
  locals,
  set,
  shuffle64,
} from './wat-text.mjs';

/** An upper bound of the Gumbel noise (the largest value is 36.7368 at u = 1 - 2^-53). */
export const GUMBEL_BOUND = 37;

const LOG_COEFFICIENTS = {
  ln2High: 0.6931471803691238,
  ln2Low: 1.9082149292705877e-10,
  lg: [
    0.6666666666666735, 0.3999999999940942, 0.2857142874366239, 0.22222198432149784,
    0.1818357216161805, 0.15313837699209373, 0.14798198605116586,
  ],
};

/** Locals of {@link logApproximation} with prefix `t`. */
export const logLocals = (t) =>
  locals(
    'v128',
    ['m', 'big', 'ef', 'f', 's', 'z', 'w', 'r', 'hf'].map((name) => `${t}${name}`),
  );

/**
 * Sets `out` to log(x) for a positive normal f64x2 `x` (a local): x = 2^e m with m in
 * [sqrt(1/2), sqrt(2)), f = m - 1 (exact), s = f / (2 + f),
 * log(1 + f) = f - hfsq + s (hfsq + R(s^2)) with fdlibm's degree-14 even polynomial R
 * (|error| < 2^-58.45) and log 2 split in a high and a low part. Branch-free (selects).
 */
export function logApproximation(out, x, t) {
  const n = (name) => `${t}${name}`;
  const { ln2High, ln2Low, lg } = LOG_COEFFICIENTS;
  const poly = (coefficients, variable) =>
    coefficients.reduceRight(
      (text, coefficient, index) =>
        index === coefficients.length - 1
          ? f64x2(coefficient)
          : `(f64x2.add ${f64x2(coefficient)} (f64x2.mul ${get(variable)} ${text}))`,
      '',
    );
  return lines(
    set(
      n('m'),
      `(v128.or (v128.and ${get(x)} ${i64x2('0x000fffffffffffff')}) ${i64x2('0x3ff0000000000000')})`,
    ),
    set(n('big'), `(f64x2.gt ${get(n('m'))} ${f64x2(Math.SQRT2)})`),
    set(
      n('m'),
      `(v128.bitselect (f64x2.mul ${get(n('m'))} ${f64x2(0.5)}) ${get(n('m'))} ${get(n('big'))})`,
    ),
    // e - 1023 (+1 when m was halved) as a double: the exponent field under the mantissa of 2^52.
    set(
      n('ef'),
      `(f64x2.add (f64x2.sub (v128.or (i64x2.shr_u ${get(x)} (i32.const 52)) ${i64x2('0x4330000000000000')}) ${f64x2(2 ** 52 + 1023)}) (v128.and ${get(n('big'))} ${f64x2(1)}))`,
    ),
    set(n('f'), `(f64x2.sub ${get(n('m'))} ${f64x2(1)})`),
    set(n('s'), `(f64x2.div ${get(n('f'))} (f64x2.add ${f64x2(2)} ${get(n('f'))}))`),
    set(n('z'), `(f64x2.mul ${get(n('s'))} ${get(n('s'))})`),
    set(n('w'), `(f64x2.mul ${get(n('z'))} ${get(n('z'))})`),
    set(
      n('r'),
      `(f64x2.add (f64x2.mul ${get(n('z'))} ${poly([lg[0], lg[2], lg[4], lg[6]], n('w'))}) (f64x2.mul ${get(n('w'))} ${poly([lg[1], lg[3], lg[5]], n('w'))}))`,
    ),
    set(n('hf'), `(f64x2.mul ${f64x2(0.5)} (f64x2.mul ${get(n('f'))} ${get(n('f'))}))`),
    set(
      out,
      `(f64x2.sub (f64x2.mul ${get(n('ef'))} ${f64x2(ln2High)}) (f64x2.sub (f64x2.sub ${get(n('hf'))} (f64x2.add (f64x2.mul ${get(n('s'))} (f64x2.add ${get(n('hf'))} ${get(n('r'))})) (f64x2.mul ${get(n('ef'))} ${f64x2(ln2Low)}))) ${get(n('f'))}))`,
    ),
  );
}

/** Sets `out` to the approximate Gumbel noise -log(-log(u)) of the f64x2 local `u`. */
export function gumbelApproximation(out, u) {
  return lines(
    logApproximation('gt', u, 'la'),
    set('gt', `(f64x2.neg ${get('gt')})`),
    logApproximation(out, 'gt', 'lb'),
    set(out, `(f64x2.neg ${get(out)})`),
  );
}

/** Locals of {@link gumbelApproximation}. */
export const GUMBEL_LOCALS = lines(locals('v128', ['gt']), logLocals('la'), logLocals('lb'));

/** The exact check of lane `lane` of logit vector `v` (column j + 2v + lane). */
function exactLane(v, lane) {
  const bit = 1 << (2 * v + lane);
  return lines(
    `(if (i32.and ${get('mask')} (i32.const ${bit})) (then`,
    set(
      'score',
      `(f64.add (f64x2.extract_lane ${lane} ${get(`l${v}`)}) (f64.neg (call $log (f64.neg (call $log (f64x2.extract_lane ${lane} ${get(`u${v}`)}))))))`,
    ),
    `(if (f64.gt ${get('score')} ${get('best')}) (then`,
    set('best', get('score')),
    set('bestJ', `(i32.add ${get('j')} (i32.const ${2 * v + lane}))`),
    '))))',
  );
}

/** 1.5 2^23: adding it to |y| < 2^22 (float32) rounds y to an integer kept in the low bits. */
const MAGIC_FLOAT32 = 12582912;
/** 1.02 times the Taylor coefficients of 2^r = exp(r ln 2) to degree 3 (relative error < 8e-4). */
const BOUND_COEFFICIENTS = [1, Math.LN2, Math.LN2 ** 2 / 2, Math.LN2 ** 3 / 6].map((c) =>
  Math.fround(1.02 * c),
);

const NOISE_BOUND_LOCALS = locals('v128', ['vBest', 't0', 'w0', 'y', 'yv', 'bound', 'keep']);

/**
 * Sets `keep` (f32x4 mask, lanes 0-3: columns j..j+3; 4-7 in a second half OR-ed in) to the
 * columns whose noise could beat the best: 1 - u < A(t), A(t) >= exp(-t), t = best - l, in float32.
 * `exp(-t) = 2^y` with y = -t log2(e) clamped to [-126, 100] (t = -inf when best is -inf: every
 * column is kept; NaN logits are never kept), y = k + r by the float32 magic number, and
 * A = 2^k 1.02 (1 + r ln 2 + (r ln 2)^2 / 2 + (r ln 2)^3 / 6).
 */
function noiseBound() {
  const half = (first) => {
    const a = first;
    const b = first + 1;
    return lines(
      set(
        't0',
        shuffle64(
          [0, 2],
          `(f32x4.demote_f64x2_zero (f64x2.sub ${get('vBest')} ${get(`l${a}`)}))`,
          `(f32x4.demote_f64x2_zero (f64x2.sub ${get('vBest')} ${get(`l${b}`)}))`,
        ),
      ),
      set(
        'w0',
        shuffle64(
          [0, 2],
          `(f32x4.demote_f64x2_zero (f64x2.sub ${f64x2(1)} ${get(`u${a}`)}))`,
          `(f32x4.demote_f64x2_zero (f64x2.sub ${f64x2(1)} ${get(`u${b}`)}))`,
        ),
      ),
      set(
        'y',
        `(f32x4.pmin (f32x4.pmax (f32x4.mul ${get('t0')} ${f32x4(-Math.LOG2E)}) ${f32x4(-126)}) ${f32x4(100)})`,
      ),
      set('yv', `(f32x4.add ${get('y')} ${f32x4(MAGIC_FLOAT32)})`),
      set('y', `(f32x4.sub ${get('y')} (f32x4.sub ${get('yv')} ${f32x4(MAGIC_FLOAT32)}))`),
      set(
        'bound',
        `(i32x4.add ${hornerFloat32(BOUND_COEFFICIENTS, get('y'))} (i32x4.shl (i32x4.sub ${get('yv')} ${i32x4(0x4b400000)}) (i32.const 23)))`,
      ),
      set('keep', `(v128.or ${get('keep')} (f32x4.lt ${get('w0')} ${get('bound')}))`),
    );
  };
  return lines(
    set('vBest', `(f64x2.splat ${get('best')})`),
    set('keep', '(v128.const i32x4 0 0 0 0)'),
    half(0),
    half(2),
  );
}

/** Horner evaluation of a float32 polynomial in `r`. */
function hornerFloat32(coefficients, r) {
  let text = f32x4(coefficients.at(-1));
  for (let index = coefficients.length - 2; index >= 0; index -= 1) {
    text = `(f32x4.add (f32x4.mul ${r} ${text}) ${f32x4(coefficients[index])})`;
  }
  return text;
}

/**
 * `$sample_block(state, kp, gp, j0, count, invEps, row, draw, key0, key1)`: folds columns
 * j0 .. j0 + count (a multiple of 8) of one sample into its state (best score f64, best column i32).
 */
export function sampleBlockFunction() {
  const logits = [0, 1, 2, 3].map((v) =>
    set(
      `l${v}`,
      `(f64x2.mul (f64x2.add (v128.load offset=${16 * v} ${get('gp')}) (f64x2.promote_low_f32x4 (v128.load64_zero offset=${8 * v} ${get('kp')}))) ${get('vInv')})`,
    ),
  );
  const anyAbove = (threshold) =>
    `(v128.any_true (v128.or (v128.or (f64x2.gt ${get('l0')} ${threshold}) (f64x2.gt ${get('l1')} ${threshold})) (v128.or (f64x2.gt ${get('l2')} ${threshold}) (f64x2.gt ${get('l3')} ${threshold}))))`;
  return lines(
    '(func $sample_block (param $state i32) (param $kp i32) (param $gp i32) (param $j0 i32) (param $count i32) (param $invEps f64)',
    '(param $row i32) (param $draw i32) (param $key0 i32) (param $key1 i32)',
    locals('i32', ['j', 'end', 'mask', 'bestJ']),
    locals('f64', ['best', 'score', 'near']),
    locals('v128', ['vInv', 'l0', 'l1', 'l2', 'l3', 'g0', 'g1', 'g2', 'g3', 'vPrune', 'vNear']),
    NOISE_BOUND_LOCALS,
    PHILOX_ROW_LOCALS,
    PHILOX_BLOCK_LOCALS,
    UNIFORM_LOCALS,
    GUMBEL_LOCALS,
    set('best', `(f64.load ${get('state')})`),
    set('bestJ', `(i32.load offset=8 ${get('state')})`),
    set('vInv', `(f64x2.splat ${get('invEps')})`),
    philoxRowConstants({
      key0: get('key0'),
      key1: get('key1'),
      row: get('row'),
      draw: get('draw'),
    }),
    set('j', get('j0')),
    set('end', `(i32.add ${get('j0')} ${get('count')})`),
    '(block $done (loop $panels',
    `  (br_if $done (i32.ge_u ${get('j')} ${get('end')}))`,
    logits,
    // 1. prune: l_j <= best - 37 for all 8 columns.
    set('vPrune', `(f64x2.splat (f64.sub ${get('best')} ${f64(GUMBEL_BOUND)}))`),
    `(if ${anyAbove(get('vPrune'))} (then`,
    philoxBlocks(
      `(i32x4.add (i32x4.splat (i32.shr_u ${get('j')} (i32.const 1))) (v128.const i32x4 0 1 2 3))`,
    ),
    uniformsFromBlocks(),
    // 2. bound: keep the columns with 1 - u < A(best - l).
    noiseBound(),
    `(if (v128.any_true ${get('keep')}) (then`,
    // 3. filter with the approximate noise.
    [0, 1, 2, 3].map((v) => gumbelApproximation(`g${v}`, `u${v}`)),
    set(
      'near',
      `(f64.sub ${get('best')} (f64.mul ${f64(1e-9)} (f64.add ${f64(1)} (f64.abs ${get('best')}))))`,
    ),
    set('vNear', `(f64x2.splat ${get('near')})`),
    set(
      'mask',
      `(i32.or (i32.or (i64x2.bitmask (f64x2.ge (f64x2.add ${get('l0')} ${get('g0')}) ${get('vNear')})) (i32.shl (i64x2.bitmask (f64x2.ge (f64x2.add ${get('l1')} ${get('g1')}) ${get('vNear')})) (i32.const 2)))` +
        ` (i32.or (i32.shl (i64x2.bitmask (f64x2.ge (f64x2.add ${get('l2')} ${get('g2')}) ${get('vNear')})) (i32.const 4)) (i32.shl (i64x2.bitmask (f64x2.ge (f64x2.add ${get('l3')} ${get('g3')}) ${get('vNear')})) (i32.const 6))))`,
    ),
    // 4. decide with the exact noise (increasing j: a tie keeps the earlier column).
    `(if ${get('mask')} (then`,
    [0, 1, 2, 3].flatMap((v) => [exactLane(v, 0), exactLane(v, 1)]),
    '))',
    '))',
    '))',
    set('j', `(i32.add ${get('j')} (i32.const 8))`),
    set('kp', `(i32.add ${get('kp')} (i32.const 32))`),
    set('gp', `(i32.add ${get('gp')} (i32.const 64))`),
    '  (br $panels)))',
    `(f64.store ${get('state')} ${get('best')})`,
    `(i32.store offset=8 ${get('state')} ${get('bestJ')}))`,
  );
}

/**
 * `sample(a, aStride, d, panels, K, kStride, dense, rowList, drawList, count, cols, gp, invEps,
 * key0, key1, out, counter, B, tileIndex, scratch...)`: `count` a multiple of 4; padded columns
 * carry g = -inf.
 */
export function sampleFunction() {
  const stateOf = (q) => `(i32.add ${get('state')} (i32.const ${32 * q}))`;
  const listEntry = (list, q) =>
    `(i32.load offset=${4 * q} (i32.add ${get(list)} (i32.shl ${get('first')} (i32.const 2))))`;
  return lines(
    '(func (export "sample")',
    '(param $a i32) (param $aStride i32) (param $d i32) (param $panels i32) (param $K i32) (param $kStride i32) (param $dense i32)',
    '(param $rowList i32) (param $drawList i32) (param $count i32) (param $cols i32) (param $gp i32) (param $invEps f64)',
    '(param $key0 i32) (param $key1 i32) (param $out i32) (param $counter i32) (param $B i32) (param $tileIndex i32)',
    SCRATCH_PARAMS,
    locals('i32', ['scratch', 'state', 'tile', 'ts', 'first', 'last', 'cb', 'blockCount']),
    locals('i32', ['r0', 'r1', 'r2', 'r3', 'k0', 'k1', 'k2', 'k3']),
    scratchPointer(),
    set('state', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.state}))`),
    set('tile', `(i32.add ${get('scratch')} (i32.const ${SCRATCH.tile}))`),
    set('ts', `(i32.shl ${get('B')} (i32.const 2))`),
    itemLoop({
      perItem: '(i32.const 4)',
      total: get('count'),
      body: lines(
        [0, 1, 2, 3].map((q) =>
          lines(
            set(`r${q}`, listEntry('rowList', q)),
            `(f64.store ${stateOf(q)} (f64.const -inf))`,
            `(i32.store offset=8 ${stateOf(q)} (i32.const 0))`,
          ),
        ),
        columnBlocks('blockCount', [
          `(if ${get('dense')} (then`,
          [0, 1, 2, 3].map((q) =>
            set(
              `k${q}`,
              `(i32.add (i32.add ${get('K')} (i32.mul ${get(`r${q}`)} ${get('kStride')})) (i32.shl ${get('cb')} (i32.const 2)))`,
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
            withMax: false,
          }),
          [0, 1, 2, 3].map((q) =>
            set(`k${q}`, `(i32.add ${get('tile')} (i32.mul ${get('ts')} (i32.const ${q})))`),
          ),
          '))',
          [0, 1, 2, 3].map((q) =>
            lines(
              `(call $sample_block ${stateOf(q)} ${get(`k${q}`)} (i32.add ${get('gp')} (i32.shl ${get('cb')} (i32.const 3))) ${get('cb')} ${get('blockCount')} ${get('invEps')}`,
              `  ${get(`r${q}`)} ${listEntry('drawList', q)} ${get('key0')} ${get('key1')})`,
            ),
          ),
        ]),
        [0, 1, 2, 3].map(
          (q) =>
            `(i32.store offset=${4 * q} (i32.add ${get('out')} (i32.shl ${get('first')} (i32.const 2))) (i32.load offset=8 ${stateOf(q)}))`,
        ),
      ),
    }),
    ')',
  );
}

/** Test entry point `test_gumbel(in, out, count)`: G~ of `count` (even) uniforms. */
export function gumbelTestFunction() {
  return lines(
    '(func (export "test_gumbel") (param $in i32) (param $out i32) (param $count i32)',
    locals('i32', ['end']),
    locals('v128', ['u', 'g']),
    GUMBEL_LOCALS,
    set('end', `(i32.add ${get('in')} (i32.shl ${get('count')} (i32.const 3)))`),
    '(block $done (loop $values',
    `  (br_if $done (i32.ge_u ${get('in')} ${get('end')}))`,
    set('u', `(v128.load ${get('in')})`),
    gumbelApproximation('g', 'u'),
    `(v128.store ${get('out')} ${get('g')})`,
    set('in', `(i32.add ${get('in')} (i32.const 16))`),
    set('out', `(i32.add ${get('out')} (i32.const 16))`),
    '  (br $values)))',
    ')',
  );
}
