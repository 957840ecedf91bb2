import { InvalidArgumentError } from '@sinkflow/core';
import { absoluteEpsilon } from '@sinkflow/entropy';
import { createJsBackend, createSinkhornProblem, solveSinkhorn } from '@sinkflow/ot';
import { describe, expect, it } from 'vitest';
import type { ShardReply, ShardRequest } from '../src/index.js';
import { createShardedBackend, InvalidReplyError, WorkerFailedError } from '../src/index.js';
import { ChunkAssembler, ChunkLimitError } from '../src/internal/chunking.js';
import { createCollective } from '../src/internal/create-collective.js';
import { createHandshakeKeys, SealedChannel } from '../src/internal/sealed-channel.js';
import { ShardServer } from '../src/internal/shard-server.js';
import { natsConnectOptions } from '../src/nats/nats-security.js';
import { gaussianCloud, relativeDifference } from './helpers.js';

/**
 * A collective of P shards in this thread whose rank `liar` rewrites its answers to `op`: what a
 * recruited worker that lies (or is broken) would send.
 */
function lyingCollective(
  workers: number,
  liar: number,
  lie?: { op: string; rewrite(reply: ShardReply, request: ShardRequest): ShardReply },
) {
  const shards = Array.from({ length: workers }, () => new ShardServer());
  return createCollective({
    kind: 'test',
    runId: 'lying',
    members: shards.map((_, rank) => ({ rank, id: `w-${rank}`, host: 'here' })),
    async send(rank, request) {
      let reply = await shards[rank]!.handle(request);
      if (rank === liar && lie !== undefined && request.header.op === lie.op)
        reply = lie.rewrite(reply, request);
      return { reply, messages: 2, bytesSent: 0, bytesReceived: 0 };
    },
    async ping() {},
    async close() {
      await Promise.all(shards.map((shard) => shard.dispose()));
    },
  });
}

const x = gaussianCloud(30, 3, 41);
const y = gaussianCloud(20, 3, 42, 0.2);
const options = { epsilon: absoluteEpsilon(0.5), threshold: 1e-7, mode: 'online' as const };

const withVector = (reply: ShardReply, name: string, value: ShardReply['vectors'][string]) => ({
  header: reply.header,
  vectors: { ...reply.vectors, [name]: value },
});

describe('replies are checked against the request and the worker block', () => {
  it('honest shards in this thread give the single-process solution', async () => {
    const reference = await solveSinkhorn({ x, y, backend: createJsBackend(), ...options });
    const collective = lyingCollective(2, -1);
    const backend = createShardedBackend({ collective, shardBackend: 'js' });
    const solution = await solveSinkhorn({ x, y, backend, ...options });
    await collective.close();
    expect(relativeDifference(solution.f, reference.f)).toBeLessThan(1e-9);
  });

  const lies: Array<
    [string, string, (reply: ShardReply, request: ShardRequest) => ShardReply, RegExp]
  > = [
    [
      'NaN in a rows pass',
      'logSumExp',
      (reply) => {
        const out = Float64Array.from(reply.vectors.out as Float64Array);
        out[3] = Number.NaN;
        return withVector(reply, 'out', out);
      },
      /vector 'out' holds NaN at 3/,
    ],
    [
      '+Infinity in a rows pass',
      'logSumExp',
      (reply) => {
        const out = Float64Array.from(reply.vectors.out as Float64Array);
        out[0] = Number.POSITIVE_INFINITY;
        return withVector(reply, 'out', out);
      },
      /vector 'out' holds \+Infinity at 0/,
    ],
    [
      'a rows pass of the wrong length',
      'logSumExp',
      (reply) => withVector(reply, 'out', new Float64Array(1000)),
      /vector 'out' has 1000 values, expected (15|20)/,
    ],
    [
      'a vector that is no part of the reply',
      'logSumExp',
      (reply) => withVector(reply, 'extra', new Float64Array(4)),
      /vector 'extra' is not part of this reply/,
    ],
    [
      'negative row sums',
      'statistics',
      (reply) => {
        const rowSums = Float64Array.from(reply.vectors.rowSums as Float64Array);
        rowSums[2] = -248;
        return withVector(reply, 'rowSums', rowSums);
      },
      /vector 'rowSums' holds a negative value -248 at 2/,
    ],
    [
      'a NaN kernel moment',
      'statistics',
      (reply) => ({
        header: {
          ...(reply.header as { ok: true; computeMilliseconds: number }),
          values: { kernelMoment: Number.NaN },
        },
        vectors: reply.vectors,
      }),
      /value kernelMoment/,
    ],
  ];

  it.each(lies)(
    'rejects %s with an InvalidReplyError naming the worker',
    async (_, op, rewrite, message) => {
      const collective = lyingCollective(2, 1, { op, rewrite });
      const backend = createShardedBackend({ collective, shardBackend: 'js' });
      const error = await solveSinkhorn({ x, y, backend, ...options }).catch(
        (caught: unknown) => caught,
      );
      await collective.close();
      expect(InvalidReplyError.isInstance(error)).toBe(true);
      const invalid = error as InvalidReplyError;
      expect(invalid.rank).toBe(1);
      expect(invalid.workerId).toBe('w-1');
      expect(invalid.operation).toBe(op);
      expect(invalid.message).toMatch(message);
    },
  );

  it('rejects sampled columns outside the worker block', async () => {
    const collective = lyingCollective(2, 0, {
      op: 'sampleColumns',
      rewrite: (reply) =>
        withVector(reply, 'out', new Int32Array((reply.vectors.out as Int32Array).length).fill(20)),
    });
    const backend = createShardedBackend({ collective, shardBackend: 'js' });
    const problem = await createSinkhornProblem({ x, y, backend, mode: 'online' });
    const solution = await problem.solve({ epsilon: absoluteEpsilon(0.5), threshold: 1e-6 });
    const error = await problem
      .samplePairs({ potentials: solution, count: 50, seed: 1 })
      .catch((caught: unknown) => caught);
    await problem.dispose();
    await collective.close();
    expect(InvalidReplyError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/holds column 20 at 0, outside \[0, 20\)/);
  });

  it('an error reply is still a WorkerFailedError', async () => {
    const collective = lyingCollective(2, 0, {
      op: 'logSumExp',
      rewrite: () => ({
        header: { ok: false, errorName: 'RangeError', message: 'boom' },
        vectors: {},
      }),
    });
    const backend = createShardedBackend({ collective, shardBackend: 'js' });
    const error = await solveSinkhorn({ x, y, backend, ...options }).catch(
      (caught: unknown) => caught,
    );
    await collective.close();
    expect(WorkerFailedError.isInstance(error)).toBe(true);
  });

  it('a shard refuses a prepare with non-finite points or rows beyond n', async () => {
    const shard = new ShardServer();
    const prepare = (x: Float32Array, rowStart: number) =>
      shard.handle({
        header: {
          op: 'prepare',
          backend: 'js',
          n: 4,
          m: 2,
          d: 1,
          rowStart,
          rowCount: 2,
          mode: 'online',
        },
        vectors: { x, y: Float32Array.of(0, 1) },
      });
    const nan = await prepare(Float32Array.of(0, Number.NaN), 0);
    expect(nan.header.ok).toBe(false);
    expect(nan.header.ok ? '' : nan.header.message).toMatch(
      /x holds a non-finite value \(NaN\) at 1/,
    );
    const beyond = await prepare(Float32Array.of(0, 1), 3);
    expect(beyond.header.ok ? '' : beyond.header.message).toMatch(/rows \[3, 5\) exceed n = 4/);
    expect((await prepare(Float32Array.of(0, 1), 2)).header.ok).toBe(true);
    await shard.dispose();
  });
});

describe('chunk reassembly is bounded', () => {
  it('refuses a chunk count beyond the message limit without allocating for it', () => {
    const assembler = new ChunkAssembler();
    const before = process.memoryUsage().heapUsed;
    expect(() => assembler.add('1', 0, 500_000_000, new Uint8Array(8), 1 << 20)).toThrow(
      ChunkLimitError,
    );
    expect(() => assembler.add('1', 0, 500_000_000, new Uint8Array(8), 1 << 20)).toThrow(
      /claims 500000000 chunks/,
    );
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50e6);
    expect(assembler.bytes()).toBe(0);
  });

  it('refuses a message that grows over its limit, and reassembles one within it', () => {
    const assembler = new ChunkAssembler();
    expect(assembler.add('2', 0, 3, new Uint8Array(1024), 2048)).toBeUndefined();
    expect(assembler.add('2', 1, 3, new Uint8Array(1024), 2048)).toBeUndefined();
    expect(() => assembler.add('2', 2, 3, new Uint8Array(1), 2048)).toThrow(
      /exceeds its limit of 2048 bytes/,
    );
    expect(assembler.bytes()).toBe(0);
    expect(() => assembler.add('3', 0, 1, new Uint8Array(4096), 2048)).toThrow(ChunkLimitError);
    const parts = [Uint8Array.of(1, 2), Uint8Array.of(3)];
    expect(assembler.add('4', 1, 2, parts[1]!, 2048)).toBeUndefined();
    expect(Array.from(assembler.add('4', 0, 2, parts[0]!, 2048)!)).toEqual([1, 2, 3]);
  });
});

describe('the sealed channel of a run', () => {
  const driver = createHandshakeKeys();
  const worker = createHandshakeKeys();
  const atDriver = new SealedChannel(driver, worker.publicKey, 'run0001', 1);
  const atWorker = new SealedChannel(worker, driver.publicKey, 'run0001', 1);
  const meta = { sequence: 7, index: 0, count: 2 };
  const data = Uint8Array.of(1, 2, 3, 4, 5);

  it('opens what the peer sealed, and nothing else', () => {
    const sealed = atDriver.seal('request', 'data', meta, data);
    expect(Buffer.from(sealed).includes(Buffer.from(data))).toBe(false);
    expect(Array.from(atWorker.open('request', 'data', meta, sealed)!)).toEqual(Array.from(data));
    // Another position, sequence, direction or kind (a replay), a flipped bit, a third party.
    expect(atWorker.open('request', 'data', { ...meta, index: 1 }, sealed)).toBeUndefined();
    expect(atWorker.open('request', 'data', { ...meta, sequence: 8 }, sealed)).toBeUndefined();
    expect(atWorker.open('reply', 'data', meta, sealed)).toBeUndefined();
    expect(atWorker.open('request', 'control', meta, sealed)).toBeUndefined();
    const flipped = Uint8Array.from(sealed);
    flipped[2] = flipped[2]! ^ 1;
    expect(atWorker.open('request', 'data', meta, flipped)).toBeUndefined();
    const stranger = new SealedChannel(createHandshakeKeys(), driver.publicKey, 'run0001', 1);
    expect(stranger.open('request', 'data', meta, sealed)).toBeUndefined();
    expect(
      atWorker.open('request', 'data', meta, stranger.seal('request', 'data', meta, data)),
    ).toBeUndefined();
    const otherRun = new SealedChannel(worker, driver.publicKey, 'run0002', 1);
    expect(otherRun.open('request', 'data', meta, sealed)).toBeUndefined();
  });
});

describe('tls:// URLs require TLS', () => {
  it('sets the TLS option for tls:// and refuses mixed or unknown schemes', () => {
    expect(natsConnectOptions('tls://h:4222', {}, 'f').options.tls).toEqual({});
    expect(natsConnectOptions('nats://h:4222', {}, 'f').options.tls).toBeUndefined();
    expect(() => natsConnectOptions(['tls://a:1', 'nats://b:1'], {}, 'f')).toThrow(
      InvalidArgumentError,
    );
    expect(() => natsConnectOptions(['tls://a:1', 'nats://b:1'], {}, 'f')).toThrow(
      /mixes tls:\/\//,
    );
    expect(() => natsConnectOptions('http://a:1', {}, 'f')).toThrow(/nats:\/\/ or tls:\/\//);
  });
});
