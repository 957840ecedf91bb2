import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { InvalidArgumentError } from '@sinkflow/core';
import type { MetricSummary, SeedAggregate } from './seed-aggregates.js';

/** The life of a run in the results database. */
export type RunStatus = 'pending' | 'running' | 'done' | 'failed';

/** One row of the `runs` table. */
export interface RunRecord {
  readonly id: string;
  readonly sweep: string;
  readonly kind: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly status: RunStatus;
  readonly metrics: Readonly<Record<string, number | string | boolean | null>> | null;
  readonly seconds: number | null;
  readonly error: string | null;
  readonly updatedAt: string;
}

/**
 * One row of the `seed_aggregates` view: one metric of one group of runs over its seeds. The
 * group's keys are those of {@link SeedAggregate}, its numbers those of {@link MetricSummary}; the
 * sweeps and options come as the database's text.
 */
export type SeedAggregateRow = Pick<
  SeedAggregate,
  'kind' | 'benchmark' | 'd' | 'n' | 'coupling' | 'targetEntropy' | 'relativeEpsilon'
> &
  MetricSummary & {
    /** The sweeps of the group's runs, sorted and comma-separated. */
    readonly sweeps: string;
    /** The runs' options as JSON, without `checkpointEvery` (`resultOptions`). */
    readonly options: string;
    readonly metric: string;
  };

/**
 * The SQL of the `seed_aggregates` view, created with the `runs` table: the finished runs grouped
 * by everything but their seed (kind, benchmark, d, n, coupling, target entropy, relative epsilon,
 * and the options without `checkpointEvery`: equal settings from two sweeps join; the same keys as
 * `aggregateSeeds`, `runCoupling` and `resultOptions` of seed-aggregates.ts), and for every
 * numeric metric (JSON numbers; booleans and strings are left out)
 *
 *     mean = (1/k) sum_s x_s,   s = sqrt(sum_s (x_s - mean)^2 / (k - 1)),   SE = s / sqrt(k)
 *
 * over the group's k runs with a value (`stddev_samp`; null for k = 1). Query it as any table:
 * `SELECT * FROM seed_aggregates WHERE metric = 'reconstruction' ORDER BY d, n, target_entropy`.
 */
export const SEED_AGGREGATES_VIEW = `
  CREATE OR REPLACE VIEW seed_aggregates AS
  WITH run_values AS (
    SELECT
      sweep,
      kind,
      CAST(json_merge_patch(COALESCE(json_extract(config, '$.options'),
             json_merge_patch(config, '{"seed": null, "benchmark": null, "dataset": null, "d": null, "n": null, "coupling": null, "targetEntropy": null, "relativeEpsilon": null}')),
           '{"checkpointEvery": null}') AS VARCHAR) AS options,
      COALESCE(json_extract_string(config, '$.benchmark'), json_extract_string(config, '$.dataset')) AS benchmark,
      CAST(json_extract(config, '$.d') AS INTEGER) AS d,
      CAST(json_extract(config, '$.n') AS INTEGER) AS n,
      CASE WHEN kind = 'train' THEN COALESCE(json_extract_string(config, '$.options.coupling'),
             json_extract_string(config, '$.coupling'), 'ot')
           ELSE COALESCE(json_extract_string(config, '$.coupling'), kind) END AS coupling,
      TRY_CAST(json_extract(config, '$.targetEntropy') AS DOUBLE) AS target_entropy,
      TRY_CAST(json_extract(config, '$.relativeEpsilon') AS DOUBLE) AS relative_epsilon,
      metric,
      CASE WHEN json_type(metrics, '$."' || metric || '"') IN ('DOUBLE', 'BIGINT', 'UBIGINT')
           THEN CAST(json_extract(metrics, '$."' || metric || '"') AS DOUBLE) END AS value
    FROM runs, unnest(json_keys(metrics)) AS keys(metric)
    WHERE status = 'done' AND metrics IS NOT NULL
  )
  SELECT string_agg(DISTINCT sweep, ',' ORDER BY sweep) AS sweeps,
    kind, benchmark, d, n, coupling, target_entropy, relative_epsilon, options, metric,
    count(value) AS count,
    avg(value) AS mean,
    stddev_samp(value) AS standard_deviation,
    stddev_samp(value) / sqrt(count(value)) AS standard_error,
    min(value) AS minimum,
    max(value) AS maximum
  FROM run_values
  GROUP BY kind, benchmark, d, n, coupling, target_entropy, relative_epsilon, options, metric
  HAVING count(value) > 0`;

/**
 * The embedded results database of a sweep (DuckDB [duckdb]): one `runs` table keyed by the run id,
 * with the run's config and metrics as JSON and its status. Every write is its own committed
 * transaction, so a killed sweep (even `kill -9`) loses no finished run: DuckDB replays its
 * write-ahead log when the file is opened again.
 */
export interface ResultsStore {
  /** Adds runs that are not there yet as `pending`; existing rows are left as they are. */
  addRuns(
    runs: readonly {
      id: string;
      sweep: string;
      kind: string;
      config: Readonly<Record<string, unknown>>;
    }[],
  ): Promise<void>;
  /** Marks runs left `running` by a killed sweep as `pending` again. */
  resetInterrupted(sweep: string): Promise<number>;
  setStatus(
    id: string,
    status: RunStatus,
    fields?: {
      readonly metrics?: RunRecord['metrics'];
      readonly seconds?: number;
      readonly error?: string;
    },
  ): Promise<void>;
  list(sweep?: string): Promise<RunRecord[]>;
  /**
   * The rows of the `seed_aggregates` view: every numeric metric of the finished runs, averaged
   * over the runs that differ only by their seed (see {@link SEED_AGGREGATES_VIEW}).
   */
  aggregates(sweep?: string): Promise<SeedAggregateRow[]>;
  /** Writes the runs table (config and metrics flattened to columns) to CSV or Parquet. */
  exportTo(path: string, format: 'csv' | 'parquet'): Promise<void>;
  close(): void;
}

/**
 * Opens (creating if needed) the results database at `path`.
 *
 * @throws {@link InvalidArgumentError} naming `argumentName` (`--db`) when another process holds
 * the database (DuckDB lets one process write a file at a time): "results database X is in use by
 * another process (pid N)".
 */
export async function openResultsStore(
  path: string,
  {
    functionName = 'openResultsStore',
    argumentName = '--db',
  }: { readonly functionName?: string; readonly argumentName?: string } = {},
): Promise<ResultsStore> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/Could not set lock on file/i.test(message)) throw error;
    const pid = /\(PID (\d+)\)/i.exec(message)?.[1];
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: `results database ${path} is in use by another process${pid === undefined ? '' : ` (pid ${pid})`}; wait for it to finish, or give another ${argumentName}`,
      cause: error,
    });
  }
  const connection: DuckDBConnection = await instance.connect();
  await connection.run(`
    CREATE TABLE IF NOT EXISTS runs (
      id VARCHAR PRIMARY KEY,
      sweep VARCHAR NOT NULL,
      kind VARCHAR NOT NULL,
      config JSON NOT NULL,
      status VARCHAR NOT NULL,
      metrics JSON,
      seconds DOUBLE,
      error VARCHAR,
      updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
    )`);
  await connection.run(SEED_AGGREGATES_VIEW);
  return {
    async addRuns(runs) {
      for (const run of runs) {
        await connection.run(
          'INSERT INTO runs (id, sweep, kind, config, status) VALUES ($id, $sweep, $kind, $config, $status) ON CONFLICT (id) DO NOTHING',
          {
            id: run.id,
            sweep: run.sweep,
            kind: run.kind,
            config: JSON.stringify(run.config),
            status: 'pending',
          },
        );
      }
    },
    async resetInterrupted(sweep) {
      const reader = await connection.runAndReadAll(
        "UPDATE runs SET status = 'pending', updated_at = current_timestamp WHERE sweep = $sweep AND status = 'running' RETURNING id",
        { sweep },
      );
      return reader.getRows().length;
    },
    async setStatus(id, status, fields = {}) {
      await connection.run(
        `UPDATE runs SET status = $status, metrics = COALESCE($metrics, metrics), seconds = COALESCE($seconds, seconds),
           error = $error, updated_at = current_timestamp WHERE id = $id`,
        {
          id,
          status,
          metrics: fields.metrics === undefined ? null : JSON.stringify(fields.metrics),
          seconds: fields.seconds ?? null,
          error: fields.error ?? null,
        },
      );
    },
    async list(sweep) {
      const reader = await connection.runAndReadAll(
        `SELECT id, sweep, kind, CAST(config AS VARCHAR) AS config, status, CAST(metrics AS VARCHAR) AS metrics, seconds, error,
           CAST(updated_at AS VARCHAR) AS updated_at FROM runs ${sweep === undefined ? '' : 'WHERE sweep = $sweep'} ORDER BY id`,
        sweep === undefined ? {} : { sweep },
      );
      return reader.getRowObjects().map((row) => ({
        id: String(row.id),
        sweep: String(row.sweep),
        kind: String(row.kind),
        config: JSON.parse(String(row.config)) as Record<string, unknown>,
        status: String(row.status) as RunStatus,
        metrics:
          row.metrics === null ? null : (JSON.parse(String(row.metrics)) as RunRecord['metrics']),
        seconds: row.seconds === null ? null : Number(row.seconds),
        error: row.error === null ? null : String(row.error),
        updatedAt: String(row.updated_at),
      }));
    },
    async aggregates(sweep) {
      const reader = await connection.runAndReadAll(
        `SELECT * FROM seed_aggregates ${sweep === undefined ? '' : "WHERE list_contains(string_split(sweeps, ','), $sweep)"}
         ORDER BY kind, benchmark, d, coupling, n, target_entropy NULLS LAST, relative_epsilon NULLS LAST, options, metric`,
        sweep === undefined ? {} : { sweep },
      );
      const nullable = (value: unknown) => (value === null ? null : Number(value));
      return reader.getRowObjects().map((row) => ({
        sweeps: String(row.sweeps),
        kind: String(row.kind),
        benchmark: String(row.benchmark),
        d: Number(row.d),
        n: Number(row.n),
        coupling: String(row.coupling),
        targetEntropy: nullable(row.target_entropy),
        relativeEpsilon: nullable(row.relative_epsilon),
        options: String(row.options),
        metric: String(row.metric),
        count: Number(row.count),
        mean: Number(row.mean),
        standardDeviation: nullable(row.standard_deviation),
        standardError: nullable(row.standard_error),
        minimum: Number(row.minimum),
        maximum: Number(row.maximum),
      }));
    },
    async exportTo(path, format) {
      const escaped = path.replaceAll("'", "''");
      const options = format === 'csv' ? '(FORMAT csv, HEADER)' : '(FORMAT parquet)';
      await connection.run(`COPY (SELECT id, sweep, kind, status, seconds, error, CAST(config AS VARCHAR) AS config,
        CAST(metrics AS VARCHAR) AS metrics, updated_at FROM runs ORDER BY id) TO '${escaped}' ${options}`);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
