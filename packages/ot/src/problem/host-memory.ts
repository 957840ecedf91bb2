import { totalmem } from 'node:os';

/**
 * The machine's RAM in bytes (`os.totalmem()`); the browser build (`host-memory.browser.ts`)
 * cannot read it and returns undefined.
 *
 * @example
 * ```ts
 * totalMemoryBytes(); // 25769803776 on a 24 GiB machine
 * ```
 * @internal
 */
export function totalMemoryBytes(): number | undefined {
  return totalmem();
}
