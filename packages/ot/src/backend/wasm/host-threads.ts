import { availableParallelism } from 'node:os';

/**
 * The threads this host lends to the kernels when the caller does not say, and why they are
 * fewer than its cores (null when they are not). Node: `os.availableParallelism()`; the browser
 * build (`host-threads.browser.ts`): the page's cores when it is cross-origin isolated, else one.
 *
 * @example
 * ```ts
 * hostThreads(); // { threads: 2, limit: null } on a 2-core machine
 * ```
 * @internal
 */
export function hostThreads(): { readonly threads: number; readonly limit: string | null } {
  return { threads: availableParallelism(), limit: null };
}
