/** @internal The Node modules a checkpoint store uses, loaded when a checkpointed solve starts. */
export interface NodeModules {
  readonly crypto: typeof import('node:crypto');
  readonly fs: typeof import('node:fs');
  readonly path: typeof import('node:path');
}

/**
 * @internal Loads `node:crypto`, `node:fs` and `node:path` for a checkpoint store (the browser
 * build, `checkpoint-modules.browser.ts`, throws instead: a page has no file system).
 */
export async function loadCheckpointModules(_functionName: string): Promise<NodeModules> {
  return {
    crypto: await import('node:crypto'),
    fs: await import('node:fs'),
    path: await import('node:path'),
  };
}
