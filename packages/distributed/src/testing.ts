export type { NatsServerProcess } from './testing/nats-server.js';
export { findNatsServer, natsRolesConfigPath, startNatsServer } from './testing/nats-server.js';
export type { WorkerProcess } from './testing/worker-process.js';
export { spawnWorkerProcess, workerProgramPath } from './testing/worker-process.js';
