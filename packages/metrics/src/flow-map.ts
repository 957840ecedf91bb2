import { NumericalFailureError } from '@sinkflow/core';
import type { VelocityField } from '@sinkflow/ode';
import { integrateWith, requireFieldDimension } from './internal/field-checks.js';
import type { OdeSettings } from './internal/ode-settings.js';

/**
 * A map `T: R^d -> R^d` applied to a batch: `x` holds rows x d entries (row-major) and the result
 * the same number of entries, row `i` being `T(x_i)`. May return a promise. Any function works: a
 * ground-truth Brenier map, a barycentric projection, or the flow map of a field ({@link flowMap}).
 *
 * @example
 * ```ts
 * const double: PointMap = (x) => x.map((value) => 2 * value);
 * ```
 */
export type PointMap = (x: Float64Array) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** Options of {@link flowMap}. */
export interface FlowMapOptions extends OdeSettings {
  /** The velocity field. */
  readonly field: VelocityField;
  /** Start time. @default 0 */
  readonly from?: number;
  /** End time. @default 1 */
  readonly to?: number;
}

/**
 * The flow map `T_theta(x_0) = x_1` of a velocity field: the solution at `to` of
 * `dx/dt = v(t, x)`, `x(from) = x_0` [klein2025, Sec. 4.1], integrated by `@sinkflow/ode` (Euler
 * with 50 steps by default, the paper's setting for the reconstruction loss). The returned
 * {@link PointMap} throws (`InvalidArgumentError`, naming `flowMap`) on bad options at its first
 * call, and a `NumericalFailureError` when the solver does not reach `to` (dopri5 out of steps,
 * non-finite states).
 *
 * @example
 * ```ts
 * const decay = { d: 1, evaluate: (x: Float64Array, _t: number, out: Float64Array) => { out[0] = -x[0]!; } };
 * const map = flowMap({ field: decay, method: 'rk4', steps: 10 });
 * (await map(Float64Array.of(1)))[0]; // 0.3678797744124983 (exp(-1) = 0.36787944...)
 * ```
 */
export function flowMap({
  field,
  method = 'euler',
  steps = 50,
  rtol = 1e-5,
  atol = 1e-5,
  from = 0,
  to = 1,
}: FlowMapOptions): PointMap {
  requireFieldDimension(field, 'flowMap');
  return async (x) => {
    const result = await integrateWith('flowMap', {
      field,
      x0: x,
      method,
      steps,
      rtol,
      atol,
      from,
      to,
    });
    if (!result.completed) {
      throw new NumericalFailureError({
        functionName: 'flowMap',
        status: result.status,
        message: `the ${method} solver stopped at t = ${result.t}`,
      });
    }
    return result.x;
  };
}
