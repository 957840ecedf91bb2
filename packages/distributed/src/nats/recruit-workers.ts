import { ProtocolError } from '@sinkflow/core';
import type { NatsConnection } from 'nats';
import type { CollectiveMember } from '../collective/collective.js';
import { WorkerJoinError } from '../errors/worker-join-error.js';
import {
  chunkHeaders,
  joinSubjects,
  NATS_PROTOCOL_VERSION,
  natsSubjects,
} from '../internal/nats-subjects.js';
import { createHandshakeKeys, isHandshakeKey, SealedChannel } from '../internal/sealed-channel.js';

/** @internal A worker that joined the run, with the sealed channel to it. */
export interface RecruitedWorker extends CollectiveMember {
  readonly channel: SealedChannel;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * @internal Asks idle workers (queue group of `PREFIX.join`) for one worker per rank until P
 * joined or `joinTimeoutMs` passed. The request carries the run id, the rank, P and the driver's
 * ephemeral X25519 public key; a worker that accepts answers with its id, host and its own public
 * key, which makes the run's sealed channel with it (`SealedChannel`). Answers that are not
 * well formed are ignored; refusals (another protocol version) are counted for the error.
 *
 * @throws {@link WorkerJoinError} when fewer than P workers joined in time (those that did are
 * released first).
 */
export async function recruitWorkers(
  connection: NatsConnection,
  {
    subjectPrefix,
    runId,
    workers,
    joinTimeoutMs,
    serverList,
  }: {
    readonly subjectPrefix: string;
    readonly runId: string;
    readonly workers: number;
    readonly joinTimeoutMs: number;
    readonly serverList: readonly string[];
  },
): Promise<RecruitedWorker[]> {
  const { subject } = joinSubjects(subjectPrefix);
  const keys = createHandshakeKeys();
  const deadline = Date.now() + joinTimeoutMs;
  const members: RecruitedWorker[] = [];
  const refusals = new Map<string, number>();
  const body = (rank: number) =>
    encoder.encode(
      JSON.stringify({
        protocol: NATS_PROTOCOL_VERSION,
        runId,
        rank,
        size: workers,
        key: keys.publicKey,
      }),
    );
  while (members.length < workers) {
    const left = deadline - Date.now();
    if (left <= 0) {
      const subjects = natsSubjects(subjectPrefix, runId);
      await Promise.all(
        members.map((member) =>
          sendControl(connection, subjects.control(member.rank), member, 1, 'leave', 2000).catch(
            // A worker that does not answer drops the run when its lease expires.
            () => {},
          ),
        ),
      );
      const refused = [...refusals].map(([reason, count]) => `${count} x ${reason}`).join('; ');
      throw new WorkerJoinError({
        requested: workers,
        joined: members.length,
        message: `only ${members.length} of ${workers} workers joined run ${runId} on ${serverList.join(', ')} within ${joinTimeoutMs} ms: start more with \`sinkflow worker --nats URL\` (same subject prefix '${subjectPrefix}')${refused === '' ? '' : `; refusals: ${refused}`}`,
      });
    }
    const rank = members.length;
    try {
      const reply = await connection.request(subject, body(rank), {
        timeout: Math.min(left, 2000),
      });
      const answer = JSON.parse(decoder.decode(reply.data)) as Record<string, unknown>;
      const { accepted, id, host, key, reason } = answer;
      if (
        accepted === true &&
        typeof id === 'string' &&
        /^[\w.:@-]{1,200}$/.test(id) &&
        isHandshakeKey(key)
      ) {
        members.push({
          rank,
          id,
          host: typeof host === 'string' ? host.slice(0, 255) : 'unknown',
          channel: new SealedChannel(keys, key, runId, rank),
        });
      } else if (accepted === false && typeof reason === 'string') {
        const text = reason.slice(0, 200);
        refusals.set(text, (refusals.get(text) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, Math.min(200, Math.max(0, left))));
      }
    } catch {
      // No idle worker yet (no responders), a slow one, or a malformed answer: try again.
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, Math.max(0, left))));
    }
  }
  return members;
}

/**
 * @internal A sealed control request (`ping` or `leave`) to a worker of the run, with the
 * sequence `sequence` (strictly increasing per worker: the worker ignores replays); resolves when
 * the worker's sealed answer (`pong` / `bye`) opens, rejects otherwise (no responders, timeout,
 * or an answer that the worker did not seal).
 */
export async function sendControl(
  connection: NatsConnection,
  subject: string,
  member: RecruitedWorker,
  sequence: number,
  command: 'ping' | 'leave',
  timeoutMs: number,
): Promise<void> {
  const meta = { sequence, index: 0, count: 1 };
  const { channel } = member;
  const reply = await connection.request(
    subject,
    channel.seal('request', 'control', meta, encoder.encode(command)),
    {
      timeout: timeoutMs,
      headers: chunkHeaders({ runId: channel.runId, rank: member.rank, ...meta }),
    },
  );
  const answer = channel.open('reply', 'control', meta, reply.data);
  const expected = command === 'ping' ? 'pong' : 'bye';
  if (answer === undefined || decoder.decode(answer) !== expected)
    throw new ProtocolError({
      channel: 'sealed channel',
      message: `an answer to '${command}' that worker ${member.rank} did not seal`,
    });
}
