/**
 * @internal What checkpoint files need from Node: `node:fs/promises`, `node:path`, `node:crypto`,
 * the `.npy` file functions of `@sinkflow/core/node` and the process id.
 */
export interface CheckpointHost {
  readonly fs: typeof import('node:fs/promises');
  readonly path: typeof import('node:path');
  readonly crypto: typeof import('node:crypto');
  readonly npy: typeof import('@sinkflow/core/node');
  readonly pid: number;
}

/**
 * @internal Loads the Node modules of checkpoint files, on use (the browser build,
 * `checkpoint-host.browser.ts`, throws instead: a page has no file system).
 */
export async function loadCheckpointHost(_functionName: string): Promise<CheckpointHost> {
  return {
    fs: await import('node:fs/promises'),
    path: await import('node:path'),
    crypto: await import('node:crypto'),
    npy: await import('@sinkflow/core/node'),
    pid: process.pid,
  };
}
