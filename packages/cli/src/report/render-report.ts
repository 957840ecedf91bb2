import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InternalError } from '@sinkflow/core';
import type { RunRecord } from '../sweep/results-store.js';
import { imageGridFigures } from './image-grids.js';
import { type FigureSpec, reportFigures } from './report-figures.js';
import { comparisonTable, runComparison } from './run-comparison.js';
import { type SampleFigure, sampleFigures } from './sample-figures.js';
import { type TrajectoryFigure, trajectoryFigures } from './trajectory-figures.js';

const require = createRequire(import.meta.url);

/**
 * One self-contained HTML file (no network: d3 and Observable Plot [observableplot] are inlined)
 * with the report's figures, drawn in the browser from the embedded data, and a table of the runs.
 */
export async function renderReport({
  title,
  runs,
}: {
  readonly title: string;
  readonly runs: readonly RunRecord[];
}): Promise<string> {
  const [d3Source, plotSource] = await Promise.all([
    readFile(packageFile('d3', 'dist/d3.min.js'), 'utf8'),
    readFile(packageFile('@observablehq/plot', 'dist/plot.umd.min.js'), 'utf8'),
  ]);
  const figures = reportFigures(runs);
  const trajectories = trajectoryFigures(runs);
  const samples = sampleFigures(runs);
  const grids = imageGridFigures(runs);
  const comparison = runComparison(runs) ?? null;
  const data = JSON.stringify({ figures, trajectories, samples, comparison }).replaceAll(
    '<',
    '\\u003c',
  );
  const section = (figure: { id: string; title: string; caption: string }) =>
    `<figure id="figure-${figure.id}"><h2>${escapeHtml(figure.title)}</h2><div class="plot"></div><figcaption>${escapeHtml(figure.caption)}</figcaption></figure>`;
  const rows = runs.map(
    (run) =>
      `<tr><td>${escapeHtml(run.id)}</td><td>${escapeHtml(run.kind)}</td><td>${escapeHtml(run.status)}</td><td>${escapeHtml(summarizeConfig(run.config))}</td><td>${run.seconds === null ? '' : run.seconds.toFixed(2)}</td><td>${escapeHtml(run.error ?? '')}</td></tr>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 980px; color: #222; }
  figure { margin: 2rem 0; } figcaption { color: #555; } table { border-collapse: collapse; font-size: 12px; }
  td, th { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: left; }
  table.comparison { font-size: 14px; margin: 1rem 0; } table.comparison td { text-align: right; }
  .difference { color: #666; font-size: 12px; } .bars { display: flex; flex-wrap: wrap; gap: 12px; }
  .pictures { display: flex; flex-wrap: wrap; gap: 8px; } .pictures figure { margin: 1rem 0; width: 320px; }
  .pictures h2 { font-size: 14px; } .bar { width: 230px; } .bar h3 { font-size: 12px; font-weight: 600; margin: 0 0 4px; min-height: 2.6em; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${runs.length} runs, ${runs.filter((run) => run.status === 'done').length} finished. Figures after Klein et al. (2025).</p>
${
  comparison === null
    ? ''
    : `<section id="comparison"><h2>Comparison of the runs</h2>
${comparisonTable(comparison, escapeHtml)}
<div class="bars"></div>
<p class="note">Lower is better in every row; in bold the best run, in parentheses the relative difference to ${escapeHtml(comparison.reference)}.</p></section>`
}
${
  grids.length === 0
    ? ''
    : `<section id="image-grids"><h2>Sample grids</h2><div class="pictures">${grids
        .map(
          (grid) =>
            `<figure id="figure-${escapeHtml(grid.id)}"><h2>${escapeHtml(grid.title)}</h2><img alt="${escapeHtml(grid.title)}" src="data:image/png;base64,${grid.pngBase64}" style="width: 100%; image-rendering: pixelated"><figcaption>${escapeHtml(grid.caption)}</figcaption></figure>`,
        )
        .join('\n')}</div></section>`
}
${samples.length === 0 ? '' : `<section id="samples"><div class="pictures">${samples.map((figure: SampleFigure) => section(figure)).join('\n')}</div></section>`}
${trajectories.length === 0 ? '' : `<section id="trajectories"><div class="pictures">${trajectories.map((figure: TrajectoryFigure) => section(figure)).join('\n')}</div></section>`}
${figures.map((figure: FigureSpec) => section(figure)).join('\n')}
<h2>Runs</h2>
<table><thead><tr><th>id</th><th>kind</th><th>status</th><th>config</th><th>seconds</th><th>error</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<script>${d3Source}</script>
<script>${plotSource}</script>
<script id="report-data" type="application/json">${data}</script>
<script>
  const { figures, trajectories, samples, comparison } = JSON.parse(document.getElementById('report-data').textContent);
  if (comparison !== null) {
    for (const metric of comparison.metrics) {
      const values = metric.values.filter((entry) => entry.value !== null);
      const chart = Plot.plot({
        width: 230, height: 200, marginLeft: 50,
        x: { label: null, domain: comparison.runs }, y: { label: null, grid: true },
        marks: [
          Plot.barY(values, { x: 'run', y: 'value', fill: 'run' }),
          Plot.text(values, { x: 'run', y: 'value', text: (entry) => entry.value.toPrecision(3), dy: -6 }),
          Plot.ruleY([0]),
        ],
      });
      const box = document.createElement('div');
      box.className = 'bar';
      box.setAttribute('data-metric', metric.field);
      const heading = document.createElement('h3');
      heading.textContent = metric.label;
      box.append(heading, chart);
      document.querySelector('#comparison .bars').append(box);
    }
  }
  for (const figure of samples) {
    const chart = Plot.plot({
      width: 320, height: 320, grid: true, color: { legend: true, domain: ['target', 'generated'], range: ['#aaa', '#4269d0'] },
      x: { label: figure.xLabel }, y: { label: figure.yLabel },
      marks: [Plot.dot(figure.points, { x: 'x', y: 'y', fill: 'set', r: 1.6, fillOpacity: 0.7 })],
    });
    document.querySelector('#figure-' + figure.id + ' .plot').append(chart);
  }
  function naturalOrder(a, b) {
    // split with a capture group: the numbers stand at the odd places
    const left = String(a).split(/(\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)/);
    const right = String(b).split(/(\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)/);
    for (let k = 0; k < Math.min(left.length, right.length); k += 1) {
      if (left[k] === right[k]) continue;
      if (k % 2 === 1) return Number(left[k]) - Number(right[k]);
      return left[k] < right[k] ? -1 : 1;
    }
    return left.length - right.length;
  }
  for (const figure of figures) {
    const interval = figure.interval;
    const barred = interval ? figure.points.filter((point) => point[interval.low] !== undefined) : [];
    // A reference far from the lines (I-FM's reconstruction at 22.6 over lines between 9.4 and
    // 10.4) would squash them into a band: one that would stretch the axis past 4 times the
    // lines' own span is left off the axis and named at the frame's edge, with its value.
    const onAxis = (value) => (figure.logY ? Math.log(value) : value);
    const plotted = [
      ...figure.points.map((point) => point[figure.y]),
      ...barred.flatMap((point) => [point[interval.low], point[interval.high]]),
      ...(figure.dots ?? []).map((point) => point[figure.y]),
    ].filter((value) => Number.isFinite(value) && (!figure.logY || value > 0)).map(onAxis);
    const lowest = Math.min(...plotted);
    const highest = Math.max(...plotted);
    const span = Math.max(highest - lowest, figure.logY ? Math.log(2) : 0.25 * Math.max(Math.abs(lowest), Math.abs(highest)));
    const offScale = (reference) =>
      plotted.length > 0 && Math.max(highest, onAxis(reference.value)) - Math.min(lowest, onAxis(reference.value)) > 4 * span;
    const shown = figure.references.filter((reference) => !offScale(reference));
    const hidden = figure.references.filter(offScale).map((reference) => ({
      ...reference,
      note: reference.label + ' ' + reference.value.toPrecision(3) + (onAxis(reference.value) > highest ? ' \u2191' : ' \u2193'),
      above: onAxis(reference.value) > highest,
    }));
    const marks = [
      Plot.line(figure.points, { x: figure.x, y: figure.y, stroke: figure.series, sort: figure.x, marker: 'circle' }),
      ...(figure.dots === undefined ? [] : [
        Plot.dot(figure.dots, { x: figure.x, y: figure.y, stroke: figure.series, symbol: 'diamond', r: 5, strokeWidth: 1.5, className: 'dot-point' }),
      ]),
      // Error bars: mean -/+ one standard error over seeds.
      ...(barred.length === 0 ? [] : [
        Plot.ruleX(barred, { x: figure.x, y1: interval.low, y2: interval.high, stroke: figure.series, strokeWidth: 1.5, className: 'error-bar' }),
      ]),
      ...hidden.map((reference) =>
        Plot.text([reference], { text: 'note', frameAnchor: reference.above ? 'top-right' : 'bottom-right', dy: (reference.above ? 1 : -1) * (4 + 14 * hidden.filter((other) => other.above === reference.above).indexOf(reference)), fill: '#555', className: 'reference-off-scale' }),
      ),
      ...shown.flatMap((reference) => [
        Plot.ruleY([reference.value], { stroke: '#888', strokeDasharray: '4,3', title: reference.label, className: 'reference' }),
        Plot.text([reference], { y: 'value', text: 'label', frameAnchor: 'right', dy: -7, fill: '#555', className: 'reference-label' }),
        ...(reference.low === undefined ? [] : [Plot.ruleY([reference.low, reference.high], { stroke: '#aaa', strokeDasharray: '1,3', className: 'reference-error' })]),
      ]),
    ];
    // More series than the default 10 colours: the 12 of 'Paired' (light and dark pairs).
    // Series in natural order (n=256 before n=1024, E = 0.05 before 0.2), not the string order
    // Plot would pick: labels compare piece by piece, the numbers in them as numbers.
    const seriesDomain = [...new Set(figure.points.map((point) => point[figure.series]))].sort(naturalOrder);
    const seriesCount = seriesDomain.length;
    const xValues = [...new Set(figure.points.map((point) => point[figure.x]))].sort((a, b) => a - b);
    const chart = Plot.plot({
      width: 900, height: 380, grid: true, color: seriesCount > 10 ? { legend: true, domain: seriesDomain, scheme: 'Paired' } : { legend: true, domain: seriesDomain },
      // Log axes label plain numbers (0.05, 0.2, 4096), not SI prefixes (50m, 4.1k), which read
      // badly for E and seconds; a format string (not a function) keeps d3's thinning of log labels.
      // A log x axis of a few values (n = 256, 1024, 4096; E = 0.05, 0.2, 0.6) is ticked at them.
      x: { label: figure.xLabel ?? figure.x, ...(figure.logX ? { type: 'log', tickFormat: '~g', ...(xValues.length <= 8 ? { ticks: xValues } : {}) } : {}) },
      y: { label: figure.yLabel ?? figure.y, ...(figure.logY ? { type: 'log', tickFormat: '~g' } : {}) },
      marks,
    });
    document.querySelector('#figure-' + figure.id + ' .plot').append(chart);
  }
  for (const figure of trajectories) {
    const chart = Plot.plot({
      width: 320, height: 320, grid: true, x: { label: 'coordinate 1' }, y: { label: 'coordinate 2' },
      marks: [
        Plot.line(figure.points, { x: 'x', y: 'y', z: 'path', stroke: '#4269d0', strokeOpacity: 0.6 }),
        Plot.dot(figure.points.filter((point) => point.step === 0), { x: 'x', y: 'y', r: 2, fill: '#888' }),
      ],
    });
    document.querySelector('#figure-' + figure.id + ' .plot').append(chart);
  }
</script>
</body>
</html>
`;
}

/** A file inside an installed package, found from its entry (the exports maps hide `dist/`). */
function packageFile(name: string, file: string): string {
  let directory = dirname(require.resolve(name));
  while (
    !existsSync(join(directory, 'package.json')) ||
    JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')).name !== name
  ) {
    const parent = dirname(directory);
    if (parent === directory) {
      throw new InternalError({
        where: 'sinkflow report',
        message: `cannot find the installed package ${name}`,
      });
    }
    directory = parent;
  }
  return join(directory, file);
}

function summarizeConfig(config: Readonly<Record<string, unknown>>): string {
  const { options: _options, ...rest } = config;
  return Object.entries(rest)
    .filter(([, value]) => value !== null)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
