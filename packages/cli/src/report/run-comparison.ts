import type { RunRecord } from '../sweep/results-store.js';
import { metricLabel } from './metric-labels.js';

/** One metric of the comparison: its value for each run, and whether lower is better. */
export interface ComparedMetric {
  readonly field: string;
  /** The axis label, with its unit. */
  readonly label: string;
  readonly lowerIsBetter: boolean;
  /** One entry per compared run, in the runs' order; null where the run has no value. */
  readonly values: readonly { readonly run: string; readonly value: number | null }[];
}

/** The comparison of the finished training runs of a report. */
export interface RunComparison {
  /** The run the differences are taken against (`i-fm` when there is one, else the first). */
  readonly reference: string;
  readonly runs: readonly string[];
  readonly metrics: readonly ComparedMetric[];
}

/** The compared metrics, in the order of the table: the paper's three, then the cost of training. */
const METRICS: readonly { readonly field: string; readonly lowerIsBetter: boolean }[] = [
  { field: 'curvature', lowerIsBetter: true },
  { field: 'reconstruction', lowerIsBetter: true },
  { field: 'bpd', lowerIsBetter: true },
  { field: 'trainSeconds', lowerIsBetter: true },
];

/** At most this many runs are compared side by side (a sweep's grid is drawn by the figures). */
const MAXIMUM_RUNS = 12;

/**
 * The side-by-side comparison of the finished training runs (the quickstart's I-FM, OT-FM and
 * supervised runs): curvature, reconstruction against T0, bits per dimension and training time of
 * each, as bars and as a table with each run's difference to the reference run [klein2025,
 * Table 1]. Undefined with fewer than two such runs or more than twelve.
 *
 * @example
 * ```ts
 * runComparison(records)?.metrics[0]; // { field: 'curvature', values: [{ run: 'i-fm', value: 24.4 }, ...] }
 * ```
 */
export function runComparison(runs: readonly RunRecord[]): RunComparison | undefined {
  const compared = runs.filter(
    (run) => run.kind === 'train' && run.status === 'done' && run.metrics !== null,
  );
  if (compared.length < 2 || compared.length > MAXIMUM_RUNS) return undefined;
  const nameOf = (run: RunRecord) =>
    typeof run.metrics?.name === 'string' ? run.metrics.name : run.id;
  const names = compared.map(nameOf);
  const metrics = METRICS.map(({ field, lowerIsBetter }) => ({
    field,
    label: metricLabel(field),
    lowerIsBetter,
    values: compared.map((run) => {
      const value = run.metrics?.[field];
      return {
        run: nameOf(run),
        value: typeof value === 'number' && Number.isFinite(value) ? value : null,
      };
    }),
  })).filter((metric) => metric.values.some((entry) => entry.value !== null));
  return {
    reference: names.includes('i-fm') ? 'i-fm' : (names[0] as string),
    runs: names,
    metrics,
  };
}

/**
 * The comparison as an HTML table: one row per metric, one column per run with its value and its
 * relative difference to the reference run (`-84 %`), the best value of each row in bold.
 */
export function comparisonTable(
  comparison: RunComparison,
  escapeHtml: (text: string) => string,
): string {
  const header = comparison.runs.map((run) => `<th>${escapeHtml(run)}</th>`).join('');
  const rows = comparison.metrics.map((metric) => {
    const reference = metric.values.find((entry) => entry.run === comparison.reference)?.value;
    const present = metric.values.flatMap((entry) => (entry.value === null ? [] : [entry.value]));
    const best = metric.lowerIsBetter ? Math.min(...present) : Math.max(...present);
    const cells = metric.values.map(({ run, value }) => {
      if (value === null) return '<td>-</td>';
      const shown = value.toPrecision(4);
      const difference =
        run === comparison.reference ||
        reference === undefined ||
        reference === null ||
        reference === 0
          ? ''
          : ` <span class="difference">(${value >= reference ? '+' : ''}${(100 * (value / reference - 1)).toFixed(0)} %)</span>`;
      return `<td>${value === best ? `<strong>${shown}</strong>` : shown}${difference}</td>`;
    });
    return `<tr><th scope="row">${escapeHtml(metric.label)}${metric.lowerIsBetter ? ' &darr;' : ''}</th>${cells.join('')}</tr>`;
  });
  return `<table class="comparison"><thead><tr><th>metric (differences against ${escapeHtml(comparison.reference)})</th>${header}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}
