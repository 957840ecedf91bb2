import { BackendUnavailableError } from '@sinkflow/core';

/** The `@tensorflow/tfjs-core` module (or `@tensorflow/tfjs`, which re-exports it). */
export type TfModule = typeof import('@tensorflow/tfjs-core');

/**
 * Loads `@tensorflow/tfjs-core` at run time, so that importing this package never fails where
 * TensorFlow.js is not installed: the failure becomes a {@link BackendUnavailableError}.
 */
export async function loadTfjsCore(): Promise<TfModule> {
  try {
    return await import('@tensorflow/tfjs-core');
  } catch (error) {
    throw new BackendUnavailableError({
      backend: 'tfjs',
      message: `cannot load '@tensorflow/tfjs-core' (a peer dependency: install it with the tfjs backend packages, all at 4.22.0): ${firstLine(error)}`,
      cause: error,
    });
  }
}

/** The first line of an error's message (tfjs and native loaders put stack-like detail after it). */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).trim();
}

/**
 * True when `error` says that module `name` itself could not be found: Node's
 * `ERR_MODULE_NOT_FOUND` / `MODULE_NOT_FOUND`, or a bundler's or test runner's resolution error
 * ("Could not resolve ...", "Failed to load url ...") naming it.
 */
export function isModuleNotFound(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = firstLine(error);
  const named =
    message.includes(`'${name}'`) || message.includes(`"${name}"`) || message.includes(` ${name} `);
  if (!named) return false;
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /cannot find (package|module)|could not resolve|failed to (load|resolve)/i.test(message)
  );
}
