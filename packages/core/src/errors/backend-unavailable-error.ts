import { hasMarker, SinkflowError } from './sinkflow-error.js';

const symbol = Symbol.for('sinkflow.error.BackendUnavailableError');

/**
 * Thrown when a compute backend cannot run on this machine: an optional peer package is not
 * installed, a native binary does not load (for example the `webgpu` package's Dawn binary on a
 * system whose libstdc++ is too old), or no device answers. `backend` names the backend
 * (`'tfjs'`, `'gpujs'`, ...) and the message says what is missing and how to get it, so the
 * automatic backend choice can report why a candidate was skipped.
 *
 * @example
 * ```ts
 * throw new BackendUnavailableError({
 *   backend: 'tfjs',
 *   message: "install '@tensorflow/tfjs-core' (an optional peer dependency) to use this backend",
 * });
 * // message: "backend 'tfjs' is unavailable: install '@tensorflow/tfjs-core' ..."
 * ```
 */
export class BackendUnavailableError extends SinkflowError {
  readonly [symbol] = true;
  /** The backend (or backend variant, such as `'tfjs:webgpu'`) that cannot run. */
  readonly backend: string;
  /** Why it cannot run: the message without the `backend '...' is unavailable: ` prefix. */
  readonly reason: string;

  constructor({
    backend,
    message,
    cause,
  }: { readonly backend: string; readonly message: string; readonly cause?: unknown }) {
    super(`backend '${backend}' is unavailable: ${message}`, { cause });
    this.name = 'BackendUnavailableError';
    this.backend = backend;
    this.reason = message;
  }

  /** True when `value` is a {@link BackendUnavailableError} from any copy of `@sinkflow/core`. */
  static override isInstance(value: unknown): value is BackendUnavailableError {
    return hasMarker(value, symbol);
  }
}
