#!/usr/bin/env node
/**
 * `sinkflow-worker --nats URL [--subject-prefix P] [--lease-timeout MS]`: a sharded-Sinkhorn
 * worker process (the same as `sinkflow worker` of the lab). Credentials and TLS come from the
 * environment (`SINKFLOW_NATS_*`, see `readNatsSecurity`), never from the command line. Logs go to
 * stderr; SIGINT / SIGTERM stop it. Exit codes: 0 stopped, 2 bad arguments, 1 failure.
 *
 * @internal
 */
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '@sinkflow/core';
import { startNatsWorker } from './nats/start-nats-worker.js';

async function main(): Promise<number> {
  let values: { nats?: string; 'subject-prefix'?: string; 'lease-timeout'?: string };
  try {
    ({ values } = parseArgs({
      options: {
        nats: { type: 'string' },
        'subject-prefix': { type: 'string' },
        'lease-timeout': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`sinkflow-worker: ${(error as Error).message}\n`);
    return 2;
  }
  if (values.nats === undefined) {
    process.stderr.write('sinkflow-worker: --nats URL is required\n');
    return 2;
  }
  const leaseTimeoutMs =
    values['lease-timeout'] === undefined ? undefined : Number(values['lease-timeout']);
  try {
    const worker = await startNatsWorker({
      servers: values.nats,
      subjectPrefix: values['subject-prefix'],
      leaseTimeoutMs,
      onEvent: (event) => process.stderr.write(`sinkflow-worker: ${JSON.stringify(event)}\n`),
    });
    const stop = () => void worker.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await worker.stopped;
    return 0;
  } catch (error) {
    process.stderr.write(`sinkflow-worker: ${(error as Error).message}\n`);
    return InvalidArgumentError.isInstance(error) ? 2 : 1;
  }
}

process.exitCode = await main();
