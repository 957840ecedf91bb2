import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InternalError } from '@sinkflow/core';
import type { RunRecord } from '../sweep/results-store.js';
import { type FigureSpec, reportFigures } from './report-figures.js';
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
  const data = JSON.stringify({ figures, trajectories }).replaceAll('<', '\\u003c');
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
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${runs.length} runs, ${runs.filter((run) => run.status === 'done').length} finished. Figures after Klein et al. (2025).</p>
${figures.map((figure: FigureSpec) => `<figure id="figure-${figure.id}"><h2>${escapeHtml(figure.title)}</h2><div class="plot"></div><figcaption>${escapeHtml(figure.caption)}</figcaption></figure>`).join('\n')}
${trajectories.map((figure: TrajectoryFigure) => `<figure id="figure-${figure.id}"><h2>${escapeHtml(figure.title)}</h2><div class="plot"></div><figcaption>${escapeHtml(figure.caption)}</figcaption></figure>`).join('\n')}
<h2>Runs</h2>
<table><thead><tr><th>id</th><th>kind</th><th>status</th><th>config</th><th>seconds</th><th>error</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<script>${d3Source}</script>
<script>${plotSource}</script>
<script id="report-data" type="application/json">${data}</script>
<script>
  const { figures, trajectories } = JSON.parse(document.getElementById('report-data').textContent);
  for (const figure of figures) {
    const marks = [
      Plot.line(figure.points, { x: figure.x, y: figure.y, stroke: figure.series, sort: figure.x, marker: 'circle' }),
      ...figure.references.map((reference) => Plot.ruleY([reference.value], { stroke: '#888', strokeDasharray: '4,3', title: reference.label })),
    ];
    const chart = Plot.plot({
      width: 900, height: 380, grid: true, color: { legend: true },
      x: { label: figure.x, type: figure.logX ? 'log' : 'linear' },
      y: { label: figure.y, type: figure.logY ? 'log' : 'linear' },
      marks,
    });
    document.querySelector('#figure-' + figure.id + ' .plot').append(chart);
  }
  for (const figure of trajectories) {
    const chart = Plot.plot({
      width: 520, height: 520, grid: true, x: { label: 'x' }, y: { label: 'y' },
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
