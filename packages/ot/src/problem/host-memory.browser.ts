/**
 * A page cannot read the machine's RAM: always undefined (the budget falls back to 1 GiB).
 *
 * @example
 * ```ts
 * totalMemoryBytes(); // undefined
 * ```
 * @internal
 */
export function totalMemoryBytes(): number | undefined {
  return undefined;
}
