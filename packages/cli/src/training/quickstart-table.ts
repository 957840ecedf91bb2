import type { QuickstartRun } from './run-quickstart.js';

/**
 * The quickstart's table: one row per run (curvature, reconstruction, BPD, E reached, Sinkhorn
 * seconds per example, training seconds), then whether OT-FM beat I-FM as the paper finds.
 */
export function formatQuickstartTable({
  task,
  d,
  backend,
  runs,
  seconds,
  out,
  reportPath,
}: {
  readonly task: string;
  readonly d: number;
  readonly backend: string;
  readonly runs: readonly QuickstartRun[];
  readonly seconds: number;
  readonly out: string;
  readonly reportPath: string;
}): string {
  const cell = (value: number | null, digits = 4) =>
    value === null ? '-' : value.toPrecision(digits);
  const header = [
    'run',
    'curvature',
    'reconstruction',
    'BPD',
    'E',
    'Sinkhorn s/example',
    'train s',
  ];
  const rows = runs.map((run) => [
    run.name,
    cell(run.curvature),
    cell(run.reconstruction),
    cell(run.bpd),
    cell(run.renormalizedEntropy, 3),
    cell(run.sinkhornSecondsPerExample, 3),
    run.trainSeconds.toFixed(1),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    `  ${cells.map((text, column) => (column === 0 ? text.padEnd(widths[column] as number) : text.padStart(widths[column] as number))).join('  ')}`;
  const ot = runs.find((run) => run.name === 'ot-fm');
  const independent = runs.find((run) => run.name === 'i-fm');
  const verdict: string[] = [];
  if (ot !== undefined && independent !== undefined) {
    const straighter = ot.curvature < independent.curvature;
    const closer =
      ot.reconstruction !== null &&
      independent.reconstruction !== null &&
      ot.reconstruction < independent.reconstruction;
    verdict.push(
      `OT-FM vs I-FM: curvature ${straighter ? 'lower' : 'NOT lower'} (${cell(ot.curvature)} vs ${cell(independent.curvature)}), reconstruction ${closer ? 'lower' : 'NOT lower'} (${cell(ot.reconstruction)} vs ${cell(independent.reconstruction)})${straighter && closer ? ', as Klein et al. (2025) find' : ''}`,
    );
  }
  return [
    `${task}, d = ${d}, backend ${backend}, ${seconds.toFixed(1)} s in all (lower is better in every column but E)`,
    '',
    line(header),
    ...rows.map(line),
    '',
    ...verdict,
    `report: ${reportPath}; summary: ${out}/summary.json`,
  ].join('\n');
}
