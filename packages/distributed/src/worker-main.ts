#!/usr/bin/env node
/**
 * `sinkflow-worker --nats URL [--subject-prefix P] [--lease-timeout MS] [--memory-limit MIB]`: a
 * sharded-Sinkhorn worker process (the same as `sinkflow worker` of the lab). Credentials and TLS
 * come from the environment (`SINKFLOW_NATS_*`, see `readNatsSecurity`), never from the command
 * line; a `tls://` URL requires TLS. Logs go to stderr; SIGINT / SIGTERM stop it (it leaves its run
 * at once; a process that has not exited 3 s after the signal, or that gets a second one, exits
 * anyway). Exit codes: 0 stopped, 2 bad arguments, 1 failure.
 *
 * @internal
 */
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '@sinkflow/core';
import { startNatsWorker } from './nats/start-nats-worker.js';

async function main(): Promise<number> {
  let values: {
    nats?: string;
    'subject-prefix'?: string;
    'lease-timeout'?: string;
    'memory-limit'?: string;
  };
  try {
    ({ values } = parseArgs({
      options: {
        nats: { type: 'string' },
        'subject-prefix': { type: 'string' },
        'lease-timeout': { type: 'string' },
        'memory-limit': { type: 'string' },
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
  const memoryLimit = values['memory-limit'];
  const memoryLimitMebibytes = memoryLimit === undefined ? undefined : Number(memoryLimit);
  if (
    memoryLimitMebibytes !== undefined &&
    !(Number.isFinite(memoryLimitMebibytes) && memoryLimitMebibytes > 0)
  ) {
    process.stderr.write(`sinkflow-worker: --memory-limit must be a number of MiB > 0\n`);
    return 2;
  }
  try {
    const worker = await startNatsWorker({
      servers: values.nats,
      subjectPrefix: values['subject-prefix'],
      leaseTimeoutMs,
      memoryLimitBytes:
        memoryLimitMebibytes === undefined ? undefined : Math.floor(memoryLimitMebibytes * 2 ** 20),
      onEvent: (event) => process.stderr.write(`sinkflow-worker: ${JSON.stringify(event)}\n`),
    });
    let signalled = false;
    const stop = () => {
      if (signalled) process.exit(1);
      signalled = true;
      setTimeout(() => process.exit(1), 3000).unref();
      void worker.stop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    await worker.stopped;
    return 0;
  } catch (error) {
    process.stderr.write(`sinkflow-worker: ${(error as Error).message}\n`);
    return InvalidArgumentError.isInstance(error) ? 2 : 1;
  }
}

process.exitCode = await main();
