/**
 * The axis label of each quantity the report plots, with its unit: what a reader of a paper draft
 * expects instead of a field name.
 */
const LABELS: Readonly<Record<string, string>> = {
  renormalizedEntropy: 'renormalized entropy E of the coupling',
  relativeEpsilon: 'relative epsilon (epsilon / std of the cost)',
  targetEntropy: 'target renormalized entropy E',
  sinkhornSecondsPerExample: 'Sinkhorn time per example (s)',
  pairMapError: 'pair error, mean ||y - T0(x)||^2',
  projectionError: 'projection error, mean ||T_P(x) - T0(x)||^2',
  curvature: 'curvature of the flow (lower is straighter)',
  reconstruction: 'reconstruction error, mean ||T(x) - T0(x)||^2',
  bpd: 'negative log-likelihood (bits per dimension)',
  trainSeconds: 'training time (s)',
  n: 'OT batch size n (points per side)',
  d: 'dimension d',
};

/**
 * The axis label of `field` with its unit (`'Sinkhorn time per example (s)'`), or the field's own
 * name when the report has no label for it.
 *
 * @example
 * ```ts
 * metricLabel('bpd'); // 'negative log-likelihood (bits per dimension)'
 * ```
 */
export function metricLabel(field: string): string {
  return LABELS[field] ?? field;
}
