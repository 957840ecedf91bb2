import { InvalidArgumentError } from '@sinkflow/core';
import {
  connectNatsCollective,
  createShardedBackend,
  type ShardedBackend,
  type ShardedReport,
} from '@sinkflow/distributed';
import {
  type SinkhornProblem,
  type SinkhornSolution,
  type SinkhornSolveOptions,
  solveWithCheckpoints,
} from '@sinkflow/ot';
import type { Flags } from '../cli/parse-flags.js';

/** The flags of a sharded solve (`sinkflow solve --nats URL --workers P`). */
export const SHARDING_FLAGS = {
  nats: 'string',
  workers: 'string',
  'column-shards': 'string',
  'subject-prefix': 'string',
  'join-timeout': 'string',
  'worker-timeout': 'string',
  'checkpoint-dir': 'string',
  'checkpoint-every': 'string',
} as const;

/** Help lines for {@link SHARDING_FLAGS}. */
export const SHARDING_HELP = `  --nats URL               shard the rows of X across workers on this NATS server
                           (start them with 'sinkflow worker --nats URL'; credentials and TLS
                           from SINKFLOW_NATS_* variables, never on the command line)
  --workers P              number of workers (required with --nats)
  --column-shards C        also shard the points of Y in C blocks: an (P/C) x C grid of workers,
                           none holding all of Y (C must divide P)               (default 1)
  --subject-prefix P       NATS subject prefix shared with the workers      (default sinkflow)
  --join-timeout MS        wait this long for P idle workers                (default 30000)
  --worker-timeout MS      a worker silent this long fails the run          (default 10000)
  --checkpoint-dir DIR     checkpoint the potentials there; a rerun resumes from it
                           (any backend, with or without --nats)
  --checkpoint-every N     iterations between checkpoints                   (default 100)`;

/**
 * How `sinkflow solve` runs a fixed-epsilon solve: with `--checkpoint-dir`, ot's
 * `solveWithCheckpoints` (any backend, sharded or not; resumes from the directory's checkpoint),
 * else `problem.solve`.
 */
export function checkpointedSolveFromFlags(
  options: Flags,
): (problem: SinkhornProblem, solveOptions: SinkhornSolveOptions) => Promise<SinkhornSolution> {
  const checkpointDirectory = options.optionalString('checkpoint-dir');
  const checkpointEvery = options.integer('checkpoint-every', { fallback: 100, minimum: 1 });
  return (problem, solveOptions) =>
    checkpointDirectory === undefined
      ? problem.solve(solveOptions)
      : solveWithCheckpoints({ problem, checkpointDirectory, checkpointEvery, ...solveOptions });
}

/** A connected sharded run: its backend and its report. */
export interface Sharding {
  readonly backend: ShardedBackend;
  report(): ShardedReport;
  close(): Promise<void>;
}

/**
 * Connects the workers when `--nats` is given (undefined otherwise). `--backend` then names the
 * backend every worker runs (auto, js or wasm).
 */
export async function shardingFromFlags(
  command: string,
  options: Flags,
  backend: string,
): Promise<Sharding | undefined> {
  const functionName = `sinkflow ${command}`;
  const sharded = ['workers', 'column-shards', 'subject-prefix'].find((name) => options.has(name));
  if (!options.has('nats')) {
    if (sharded !== undefined) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `--${sharded}`,
        message: 'needs --nats URL (a sharded solve)',
      });
    }
    return undefined;
  }
  if (!options.has('workers')) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: '--workers',
      message: 'is required with --nats',
    });
  }
  if (backend !== 'auto' && backend !== 'js' && backend !== 'wasm') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: '--backend',
      message: 'must be auto, js or wasm with --nats (the backend each worker runs)',
      value: backend,
    });
  }
  const workers = options.integer('workers', { minimum: 1, maximum: 4096 });
  const columnShards = options.integer('column-shards', { fallback: 1, minimum: 1, maximum: 4096 });
  if (workers % columnShards !== 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: '--column-shards',
      message: `must divide --workers (${workers}): the workers form a rows x columns grid`,
      value: columnShards,
    });
  }
  const collective = await connectNatsCollective({
    servers: options.string('nats'),
    workers,
    subjectPrefix: options.string('subject-prefix', 'sinkflow'),
    joinTimeoutMs: options.integer('join-timeout', { fallback: 30_000, minimum: 1 }),
    workerTimeoutMs: options.integer('worker-timeout', { fallback: 10_000, minimum: 1000 }),
  });
  const shardedBackend = createShardedBackend({
    collective,
    shardBackend: backend,
    layout: { rows: workers / columnShards, columns: columnShards },
  });
  return {
    backend: shardedBackend,
    report: () => shardedBackend.report(),
    close: () => collective.close(),
  };
}

/** One line about a sharded run for the text summary. */
export function formatShardingLine(report: ShardedReport): string {
  const megabytes = (report.bytesSent + report.bytesReceived) / 1e6;
  const { rows, columns } = report.layout;
  const grid = columns > 1 ? ` (${rows} x ${columns} grid)` : '';
  return `${report.workers.length} workers${grid}, communication ${(100 * report.communicationShare).toFixed(1)}% of pass time, ${megabytes.toFixed(1)} MB exchanged`;
}
