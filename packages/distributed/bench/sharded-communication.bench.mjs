// Communication share of a sharded Sinkhorn iteration: P local worker processes over a local
// nats-server, each running the wasm backend on its block of rows (online kernel).
//
//   node packages/distributed/bench/sharded-communication.bench.mjs [--n 65536] [--d 64]
//     [--workers 2] [--iterations 2] [--threads 1] [--backend wasm]
//
// Prints one JSON object: the machine, the problem, seconds per iteration, and the report of the
// sharded backend (pass wall time, slowest-worker compute time, communication share, bytes).
// Needs the package built (`pnpm build`) and nats-server installed.
import { availableParallelism, cpus, hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { createPointCloud, createRandomGenerator } from '@sinkflow/core';
import { absoluteEpsilon } from '@sinkflow/entropy';
import { createSinkhornProblem } from '@sinkflow/ot';
import { connectNatsCollective, createShardedBackend } from '../dist/index.js';
import { findNatsServer, spawnWorkerProcess, startNatsServer } from '../dist/testing.js';

const { values } = parseArgs({
  // `pnpm bench:sharded -- --n 4096` passes the '--' through.
  args: process.argv.slice(2).filter((argument) => argument !== '--'),
  options: {
    n: { type: 'string', default: '65536' },
    d: { type: 'string', default: '64' },
    workers: { type: 'string', default: '2' },
    iterations: { type: 'string', default: '2' },
    threads: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const n = Number(values.n);
const d = Number(values.d);
const workers = Number(values.workers);
const iterations = Number(values.iterations);
const threads = Number(values.threads);

const binary = findNatsServer();
if (binary === undefined) {
  console.error('nats-server is not installed (apt-get install nats-server)');
  process.exit(2);
}
const random = createRandomGenerator({ seed: 0 });
const cloud = (shift) =>
  createPointCloud(
    Float32Array.from({ length: n * d }, () => shift + random.normal()),
    { d },
  );
const x = cloud(0);
const y = cloud(0.5);

const server = await startNatsServer({ binary });
const processes = await Promise.all(
  Array.from({ length: workers }, () => spawnWorkerProcess({ url: server.url })),
);
try {
  const collective = await connectNatsCollective({ servers: server.url, workers });
  try {
    const backend = createShardedBackend({
      collective,
      shardBackend: values.backend,
      threadsPerShard: threads,
    });
    const problem = await createSinkhornProblem({ x, y, backend, mode: 'online' });
    const started = performance.now();
    // A fixed number of iterations (the threshold is never reached); momentum off.
    const solution = await problem.solve({
      epsilon: absoluteEpsilon(0.05 * problem.geometry.costStd),
      maxIterations: iterations,
      innerIterations: iterations,
      threshold: 1e-300,
      momentumStart: Number.POSITIVE_INFINITY,
    });
    const solveSeconds = (performance.now() - started) / 1000;
    await problem.dispose();
    const report = backend.report();
    const passes = report.passes;
    console.log(
      JSON.stringify(
        {
          machine: {
            host: hostname(),
            cpu: cpus()[0]?.model,
            cores: availableParallelism(),
            node: process.version,
          },
          problem: { n, m: n, d, workers, shardBackend: values.backend, threadsPerWorker: threads },
          iterations: solution.iterations,
          passes,
          solveSeconds,
          secondsPerIteration: solveSeconds / solution.iterations,
          secondsPerPass: report.passSeconds / passes,
          computeSecondsPerPass: report.computeSeconds / passes,
          communicationSecondsPerPass: report.communicationSeconds / passes,
          communicationShare: report.communicationShare,
          prepareSeconds: report.prepareSeconds,
          passMegabytesPerIteration: report.passBytes / 1e6 / (passes / 2),
          workers: report.workers.map((worker) => ({
            rank: worker.rank,
            rows: worker.rowCount,
            backend: worker.backend,
            computeSeconds: worker.computeSeconds,
            bytesSent: worker.bytesSent,
            bytesReceived: worker.bytesReceived,
            messages: worker.messages,
          })),
        },
        null,
        2,
      ),
    );
  } finally {
    await collective.close();
  }
} finally {
  await Promise.all(processes.map((worker) => worker.stop()));
  await server.stop();
}
