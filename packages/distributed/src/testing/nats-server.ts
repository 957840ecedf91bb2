import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BackendUnavailableError } from '@sinkflow/core';

/** Where {@link findNatsServer} looks for the `nats-server` binary, besides `NATS_SERVER`. */
const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

/**
 * The path of the `nats-server` binary (`NATS_SERVER` environment variable, else the Debian
 * package's `/usr/sbin/nats-server` and the usual places), or undefined when it is not installed:
 * tests then skip with a message.
 */
export function findNatsServer(): string | undefined {
  const fromEnvironment = process.env.NATS_SERVER;
  if (fromEnvironment !== undefined && existsSync(fromEnvironment)) return fromEnvironment;
  return CANDIDATES.find((path) => existsSync(path));
}

/** A `nats-server` started by {@link startNatsServer}. */
export interface NatsServerProcess {
  /** `nats://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 2 s). Idempotent. */
  stop(): Promise<void>;
}

/**
 * The path of the shipped `nats-server` configuration with a driver and a worker user, each
 * allowed only its own subjects (`nats-server/sinkflow-roles.conf` of the package; the passwords
 * come from the server's environment, `SINKFLOW_DRIVER_PASSWORD` and `SINKFLOW_WORKER_PASSWORD`).
 *
 * @example
 * ```ts
 * const server = await startNatsServer({
 *   args: ['-c', natsRolesConfigPath()],
 *   env: { SINKFLOW_DRIVER_PASSWORD: 'a', SINKFLOW_WORKER_PASSWORD: 'b' },
 * });
 * ```
 */
export function natsRolesConfigPath(): string {
  const here = import.meta.url;
  return new URL(
    here.endsWith('.ts')
      ? '../../nats-server/sinkflow-roles.conf'
      : '../nats-server/sinkflow-roles.conf',
    here,
  ).pathname;
}

/**
 * Starts `nats-server` on 127.0.0.1 on a random free port (`-p -1`), with extra arguments
 * (`['--auth', TOKEN]`, `['-c', CONFIG]`) and environment variables (`env`, added to this
 * process's: a configuration may read passwords from them), and resolves once it listens.
 *
 * @example
 * ```ts
 * const server = await startNatsServer();
 * // ... connectNatsCollective({ servers: server.url, workers: 2 }) ...
 * await server.stop();
 * ```
 */
export async function startNatsServer({
  binary = findNatsServer(),
  args = [],
  env = {},
  timeoutMs = 10_000,
}: {
  readonly binary?: string | undefined;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
} = {}): Promise<NatsServerProcess> {
  if (binary === undefined) {
    throw new BackendUnavailableError({
      backend: 'nats-server',
      message: 'nats-server is not installed (apt-get install nats-server)',
    });
  }
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', '-1', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nats-server did not start within ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /Listening for client connections on [^\s]*:(\d+)/.exec(log);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with code ${code}:\n${log}`));
    });
  });
  return { url: `nats://127.0.0.1:${port}`, port, stop: () => stopChild(child) };
}

/** @internal SIGTERM, then SIGKILL after `graceMs`; resolves when the process exited. */
export function stopChild(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
