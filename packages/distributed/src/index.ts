export { combineLogSumExp } from '@sinkflow/ot/backend';
export type {
  Collective,
  CollectiveMember,
  CollectiveRequests,
  MemberTraffic,
} from './collective/collective.js';
export type { InProcessCollectiveOptions } from './collective/in-process-collective.js';
export { createInProcessCollective } from './collective/in-process-collective.js';
export type {
  ShardBackendName,
  ShardOperation,
  ShardReply,
  ShardReplyHeader,
  ShardRequest,
  ShardRequestHeader,
  ShardVector,
  ShardVectors,
} from './collective/shard-protocol.js';
export { InvalidReplyError } from './errors/invalid-reply-error.js';
export { WorkerFailedError } from './errors/worker-failed-error.js';
export { WorkerJoinError } from './errors/worker-join-error.js';
export { WorkerLostError } from './errors/worker-lost-error.js';
export type { NatsCollectiveOptions } from './nats/connect-nats-collective.js';
export { connectNatsCollective } from './nats/connect-nats-collective.js';
export type { NatsSecurity, NatsTlsOptions } from './nats/nats-security.js';
export { NATS_SECURITY_VARIABLES, readNatsSecurity } from './nats/nats-security.js';
export type {
  NatsWorker,
  NatsWorkerEvent,
  NatsWorkerOptions,
} from './nats/start-nats-worker.js';
export { startNatsWorker } from './nats/start-nats-worker.js';
export type {
  ShardedBackend,
  ShardedBackendOptions,
} from './sharded/create-sharded-backend.js';
export { createShardedBackend } from './sharded/create-sharded-backend.js';
export { rowBlocks } from './sharded/row-blocks.js';
export type { GridShard, ShardedLayout } from './sharded/sharded-layout.js';
export { gridShards } from './sharded/sharded-layout.js';
export type { ShardedReport, ShardedWorkerReport } from './sharded/sharded-report.js';
