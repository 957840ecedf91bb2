import { type ChildProcess, spawn } from 'node:child_process';
import { stopChild } from './nats-server.js';

/** A worker process started by {@link spawnWorkerProcess}. */
export interface WorkerProcess {
  /** The worker's id (`w-HOST-PID-RANDOM`), as errors that name it print it. */
  readonly id: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it wrote to stderr so far. */
  log(): string;
  /** SIGKILL at once (a crash). */
  kill(): void;
  /** SIGTERM (it leaves its run and exits), SIGKILL after 2 s. */
  stop(): Promise<void>;
}

/** The built worker program (`dist/worker-main.js`; from the sources, the built one). */
export function workerProgramPath(): string {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? '../../dist/worker-main.js' : './worker-main.js', here)
    .pathname;
}

/**
 * Starts a worker process (`node dist/worker-main.js --nats URL`, or any command line such as
 * the lab's `sinkflow worker --nats URL`) and resolves once it is connected and waiting for
 * runs. Credentials go through `env` (`SINKFLOW_NATS_TOKEN`...), as in production.
 *
 * @example
 * ```ts
 * const worker = await spawnWorkerProcess({ url: server.url });
 * // ...
 * await worker.stop();
 * ```
 */
export async function spawnWorkerProcess({
  url,
  env = {},
  command = [process.execPath, workerProgramPath(), '--nats', url],
  timeoutMs = 20_000,
}: {
  readonly url: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly command?: readonly string[];
  readonly timeoutMs?: number;
}): Promise<WorkerProcess> {
  const [program, ...args] = command;
  const child = spawn(program as string, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const id = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the worker did not start within ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    const check = () => {
      const match = /"type":"ready","workerId":"([^"]+)"/.exec(log);
      if (match !== null) {
        clearTimeout(timer);
        child.stderr?.off('data', check);
        resolve(match[1] as string);
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited with code ${code}:\n${log}`));
    });
  });
  return {
    id,
    pid: child.pid as number,
    child,
    log: () => log,
    kill: () => child.kill('SIGKILL'),
    stop: () => stopChild(child),
  };
}
