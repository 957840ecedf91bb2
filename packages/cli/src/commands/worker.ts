import { startNatsWorker } from '@sinkflow/distributed';
import type { Command } from '../cli/command.js';
import { parseFlags } from '../cli/parse-flags.js';

const flags = {
  nats: 'string',
  'subject-prefix': 'string',
  'lease-timeout': 'string',
  'memory-limit': 'string',
} as const;

/** `sinkflow worker`: serves sharded Sinkhorn runs over NATS until interrupted. */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'serve sharded Sinkhorn runs (sinkflow solve --nats) over a NATS server',
  help: `
Usage: sinkflow worker --nats URL [options]

Waits for sharded runs on the NATS server, serves one run at a time (the block of rows of X it is
given, on its local backend), and returns to the pool when the run ends. Stop it with Ctrl-C
(SIGINT) or SIGTERM (it leaves its run at once). Credentials and TLS are read from the
environment, never from the command line: SINKFLOW_NATS_TOKEN(_FILE), SINKFLOW_NATS_USER +
SINKFLOW_NATS_PASSWORD(_FILE), SINKFLOW_NATS_CREDS, SINKFLOW_NATS_TLS_CA / _CERT / _KEY, or a JSON
file in SINKFLOW_NATS_CONFIG. A tls:// URL requires TLS. Only the driver that recruited the worker
can read or send the messages of its run (they are sealed with keys from the join handshake).

Options:
  --nats URL               the NATS server, e.g. nats://10.0.0.5:4222 (no credentials in it)
  --subject-prefix P       subject prefix shared with the drivers                  (default sinkflow)
  --lease-timeout MS       drop a run whose driver is silent this long             (default 30000)
  --memory-limit MIB       refuse a block or request needing more memory           (default half of RAM)

Examples:
  sinkflow worker --nats nats://10.0.0.5:4222
  SINKFLOW_NATS_TOKEN_FILE=/run/secrets/nats sinkflow worker --nats tls://nats.example.org:4222
`,
  async run(args, io) {
    const options = parseFlags('worker', args, flags);
    const worker = await startNatsWorker({
      servers: options.string('nats'),
      subjectPrefix: options.string('subject-prefix', 'sinkflow'),
      leaseTimeoutMs: options.integer('lease-timeout', { fallback: 30_000, minimum: 100 }),
      memoryLimitBytes: options.has('memory-limit')
        ? options.integer('memory-limit', { minimum: 1 }) * 2 ** 20
        : undefined,
      onEvent: (event) => io.stderr.write(`sinkflow worker: ${JSON.stringify(event)}\n`),
    });
    const stop = () => void worker.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await worker.stopped;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  },
};
