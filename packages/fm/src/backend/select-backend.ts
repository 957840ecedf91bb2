import { InvalidArgumentError } from '@sinkflow/core';
import * as tf from '@tensorflow/tfjs';
import { registerWasmBackend } from './register-wasm-backend.js';

/**
 * A TensorFlow.js backend this package can probe, fastest first.
 *
 * @example
 * ```ts
 * await selectBackend({ preference: ['wasm', 'cpu'] satisfies BackendCandidate[] });
 * ```
 */
export type BackendCandidate = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

/**
 * One probe of {@link selectBackend}.
 *
 * @example
 * ```ts
 * (await selectBackend({ log: null })).attempts[1]; // { candidate: 'tfjs-node', ok: false, reason: "Cannot find package ..." }
 * ```
 */
export interface BackendAttempt {
  readonly candidate: BackendCandidate;
  /** True when this candidate was set as the backend. */
  readonly ok: boolean;
  /** Why it failed (the error's message, first line), or null. */
  readonly reason: string | null;
}

/**
 * The result of {@link selectBackend}.
 *
 * @example
 * ```ts
 * const { candidate, backend } = await selectBackend({ log: null }); // 'wasm', 'wasm'
 * ```
 */
export interface BackendSelection {
  /** The candidate that runs. */
  readonly candidate: BackendCandidate;
  /** `tf.getBackend()` after selection: `'tensorflow'`, `'wasm'` or `'cpu'`. */
  readonly backend: string;
  /** Every probe, in order (the failed ones with their reason). */
  readonly attempts: readonly BackendAttempt[];
}

const candidates: readonly BackendCandidate[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

/**
 * Picks the fastest TensorFlow.js backend available, probing in order
 * `@tensorflow/tfjs-node-gpu` (CUDA), `@tensorflow/tfjs-node` (native CPU), the WebAssembly
 * backend `@tensorflow/tfjs-backend-wasm` (XNNPACK, single-threaded in Node; its `.wasm` files
 * are loaded from the package's `dist` folder, no network), then the pure-JS `cpu` backend. The
 * first three are optional peer dependencies: a probe that fails (package not installed, native
 * library missing) is recorded with its message, never printed as a stack trace. `log` receives
 * one line naming the backend that runs and why the faster ones did not.
 *
 * @param options.preference - Candidates to try, in order. @default ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']
 * @param options.log - Receives the one-line summary; `null` for silence. @default console.info
 * @throws {@link InvalidArgumentError} on `preference` for an unknown or empty list, and when no
 * candidate of the list could be set (the message lists each reason).
 * @example
 * ```ts
 * const { candidate, attempts } = await selectBackend({ log: null });
 * candidate; // 'wasm' on a machine without tfjs-node
 * attempts[0]; // { candidate: 'tfjs-node-gpu', ok: false, reason: "Cannot find package '@tensorflow/tfjs-node-gpu' ..." }
 * ```
 */
export async function selectBackend({
  preference = candidates,
  log = console.info,
}: {
  readonly preference?: readonly BackendCandidate[];
  readonly log?: ((message: string) => void) | null;
} = {}): Promise<BackendSelection> {
  const functionName = 'selectBackend';
  if (
    !Array.isArray(preference) ||
    preference.length === 0 ||
    preference.some((candidate) => !candidates.includes(candidate))
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'preference',
      message: `must be a non-empty list of ${candidates.map((name) => `'${name}'`).join(', ')}`,
      value: preference,
    });
  }
  const attempts: BackendAttempt[] = [];
  for (const candidate of preference) {
    const reason = await tryCandidate(candidate);
    attempts.push({ candidate, ok: reason === null, reason });
    if (reason === null) {
      const selection = { candidate, backend: tf.getBackend(), attempts };
      log?.(describeSelection(selection));
      return selection;
    }
  }
  throw new InvalidArgumentError({
    functionName,
    argumentName: 'preference',
    message: `no backend could be set (${attempts.map((attempt) => `${attempt.candidate}: ${attempt.reason}`).join('; ')})`,
  });
}

/** The one-line summary logged by {@link selectBackend}. */
function describeSelection(selection: BackendSelection): string {
  const failed = selection.attempts
    .filter((attempt) => !attempt.ok)
    .map((attempt) => `${attempt.candidate}: ${attempt.reason}`);
  const because = failed.length === 0 ? '' : ` (not used: ${failed.join('; ')})`;
  return `@sinkflow/fm: TensorFlow.js backend '${selection.backend}' from ${selection.candidate}${because}`;
}

/** Sets the candidate as the backend; returns null on success, else the reason. */
async function tryCandidate(candidate: BackendCandidate): Promise<string | null> {
  // TensorFlow.js prints a failed backend initialisation with its stack trace through its own
  // warn(), which is silent in production mode: hold that mode for the probe only.
  const environment = tf.env();
  const production = environment.getBool('PROD');
  environment.set('PROD', true);
  try {
    switch (candidate) {
      case 'tfjs-node-gpu':
      case 'tfjs-node': {
        // Optional peers, not installed at build time: a non-literal specifier keeps bundlers and
        // the type checker from resolving them.
        const specifier: string = `@tensorflow/${candidate}`;
        await import(/* @vite-ignore */ specifier);
        return (await tf.setBackend('tensorflow'))
          ? null
          : "backend 'tensorflow' did not initialise";
      }
      case 'wasm': {
        await registerWasmBackend();
        return (await tf.setBackend('wasm')) ? null : "backend 'wasm' did not initialise";
      }
      case 'cpu':
        return (await tf.setBackend('cpu')) ? null : "backend 'cpu' did not initialise";
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.split('\n')[0] ?? message;
  } finally {
    environment.set('PROD', production);
  }
}
