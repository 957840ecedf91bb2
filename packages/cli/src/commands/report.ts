import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidArgumentError } from '@sinkflow/core';
import type { Command } from '../cli/command.js';
import { parseFlags } from '../cli/parse-flags.js';
import { writeJsonSummary } from '../io/json-summary.js';
import { checkOutputPaths, makeDirectory, outputFlag } from '../io/output-paths.js';
import { renderReport } from '../report/render-report.js';
import { reportFigures } from '../report/report-figures.js';
import { seedTableMarkdown, tabulatedMetricNames } from '../report/seed-table.js';
import { sweepFilter } from '../report/sweep-filter.js';
import { openResultsStore } from '../sweep/results-store.js';
import { aggregateSeeds } from '../sweep/seed-aggregates.js';

/** `sinkflow report`: one self-contained HTML file from a sweep database. */
export const reportCommand: Command = {
  name: 'report',
  summary: "write a self-contained HTML report (the paper's figures) from a sweep database",
  help: `
Usage: sinkflow report --db results.duckdb [--sweep NAMES] --out report.html [--markdown FILE]
                       [--metrics M1,M2,...] [--json FILE]

Reads the runs of a sweep database and writes one HTML file that works offline (the plotting
library is inlined): E against relative epsilon, Sinkhorn time per example, pair and projection
errors against the true map, and, for training sweeps, curvature, reconstruction, BPD and Sinkhorn
time per example against E (one line per n) and against n (one line per E). Runs that differ only
by their seed are averaged: each point is the mean with a bar of one standard error (also the
database's seed_aggregates view). --markdown writes the same means as markdown tables (one per
benchmark, d and options; a row per coupling, n and E); --metrics a,b,... chooses its columns
(default: E reached, curvature, reconstruction, l2Uvp, bpd, sinkhornSecondsPerExample, trainSeconds,
evaluationSeconds). --sweep takes one sweep name or several,
comma-separated, with * matching any characters ('pa-*,inv-steps-*'); default: every sweep.

Example:
  sinkflow report --db sweeps/entropy-grid.duckdb --out entropy-grid.html
`,
  async run(args, io) {
    const options = parseFlags('report', args, {
      db: 'string',
      sweep: 'string',
      out: 'string',
      markdown: 'string',
      metrics: 'string',
      json: 'string',
    });
    const markdown = options.optionalString('markdown');
    const metricList = options.optionalString('metrics');
    if (metricList !== undefined && markdown === undefined) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow report',
        argumentName: '--metrics',
        message: 'chooses the columns of the --markdown table: give --markdown FILE too',
      });
    }
    const databasePath = options.string('db');
    if (!existsSync(databasePath)) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow report',
        argumentName: '--db',
        message: `${databasePath} does not exist (run 'sinkflow sweep' first)`,
      });
    }
    const out = options.string('out');
    await checkOutputPaths('report', [
      outputFlag(options, 'out', 'file'),
      outputFlag(options, 'markdown', 'file'),
      outputFlag(options, 'json', 'file'),
    ]);
    const sweep = options.optionalString('sweep');
    const store = await openResultsStore(databasePath);
    let runs: Awaited<ReturnType<typeof store.list>>;
    try {
      runs = sweepFilter(sweep)(await store.list());
    } finally {
      store.close();
    }
    if (runs.length === 0) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow report',
        argumentName: sweep === undefined ? '--db' : '--sweep',
        message: 'has no runs',
      });
    }
    // The markdown table's columns are checked before anything is written.
    const groups = aggregateSeeds(runs);
    const metrics = metricList?.split(',').map((metric) => metric.trim());
    const known = tabulatedMetricNames(groups);
    const unknown = metrics?.filter((metric) => !known.includes(metric)) ?? [];
    if (unknown.length > 0) {
      throw new InvalidArgumentError({
        functionName: 'sinkflow report',
        argumentName: '--metrics',
        message: `no training run has ${unknown.map((name) => `'${name}'`).join(', ')} (these runs have: ${known.join(', ')})`,
      });
    }
    const title = `sinkflow report: ${sweep ?? [...new Set(runs.map((run) => run.sweep))].join(', ')}`;
    await makeDirectory(dirname(out));
    await writeFile(out, await renderReport({ title, runs }));
    const figures = reportFigures(runs).map((figure) => figure.id);
    if (markdown !== undefined) {
      await makeDirectory(dirname(markdown));
      await writeFile(
        markdown,
        seedTableMarkdown(groups, metrics === undefined ? {} : { metrics }),
      );
    }
    const json = options.optionalString('json');
    if (json !== undefined)
      await writeJsonSummary(
        json,
        {
          report: out,
          runs: runs.length,
          figures,
          ...(markdown === undefined ? {} : { markdown }),
        },
        io,
      );
    io.stdout.write(
      `wrote ${out}${markdown === undefined ? '' : ` and ${markdown}`} (${runs.length} runs, ${figures.length} figures)\n`,
    );
  },
};
