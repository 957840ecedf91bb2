import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNatsCollective, startNatsWorker } from '../src/index.js';

const TOKEN = 'tls-downgrade-secret-9f3a';

/**
 * A fake NATS server that speaks plaintext only: it greets every client with an INFO that offers
 * no TLS and records every byte it receives. A client that sends CONNECT here (with its token)
 * has been downgraded.
 */
function startPlaintextServer(): Promise<{ server: Server; port: number; received: () => string }> {
  let received = '';
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      // Answer PINGs, so that a client which did send CONNECT would believe it is connected.
      if (received.includes('PING')) socket.write('PONG\r\n');
    });
    socket.on('error', () => {});
    const info = {
      server_id: 'FAKE',
      server_name: 'fake',
      version: '2.9.10',
      proto: 1,
      go: 'go1.19',
      host: '127.0.0.1',
      port: 0,
      headers: true,
      max_payload: 1048576,
      auth_required: true,
    };
    socket.write(`INFO ${JSON.stringify(info)}\r\n`);
  });
  server.on('close', () => {
    for (const socket of sockets) socket.destroy();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        server,
        port: typeof address === 'object' && address !== null ? address.port : 0,
        received: () => received,
      });
    });
  });
}

describe('TLS is required by tls:// URLs', () => {
  let fake: Awaited<ReturnType<typeof startPlaintextServer>>;
  beforeAll(async () => {
    fake = await startPlaintextServer();
  });
  afterAll(async () => {
    await new Promise((resolve) => fake.server.close(resolve));
  });

  it('the driver refuses a plaintext server behind tls:// and never sends it the token', async () => {
    const error = await connectNatsCollective({
      servers: `tls://127.0.0.1:${fake.port}`,
      workers: 1,
      security: { token: TOKEN },
      joinTimeoutMs: 500,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/tls/i);
    expect(fake.received()).not.toContain(TOKEN);
    expect(fake.received()).not.toContain('CONNECT');
  }, 20_000);

  it('a worker refuses a plaintext server behind tls:// and never sends it the token', async () => {
    const error = await startNatsWorker({
      servers: `tls://127.0.0.1:${fake.port}`,
      security: { user: 'worker', password: TOKEN },
    }).then(
      async (worker) => {
        await worker.stop();
        return undefined;
      },
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/tls/i);
    expect(fake.received()).not.toContain(TOKEN);
  }, 20_000);
});
