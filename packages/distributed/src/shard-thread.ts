/**
 * The program of a shard thread (built to `dist/shard-thread.js`): a {@link ShardServer} that
 * answers `{ id, request }` messages from its parent, one at a time, with `{ id, reply }`.
 *
 * @internal
 */
import { parentPort } from 'node:worker_threads';
import { InternalError } from '@sinkflow/core';
import type { ShardReply, ShardRequest } from './collective/shard-protocol.js';
import { ShardServer } from './internal/shard-server.js';
import { transferables } from './internal/transferables.js';

const port = parentPort;
if (port === null) {
  throw new InternalError({ where: 'shard-thread.js', message: 'must run in a worker thread' });
}
const server = new ShardServer();
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: { id: number; request: ShardRequest }) => {
  queue = queue.then(async () => {
    const reply: ShardReply = await server.handle(message.request);
    port.postMessage({ id: message.id, reply }, transferables(reply.vectors));
  });
});
