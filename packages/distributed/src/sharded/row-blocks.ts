/**
 * The contiguous row blocks of P workers over n rows: block p is `[floor(p n / P), floor((p + 1) n / P))`,
 * so sizes differ by at most one (a block is empty when P > n).
 *
 * @example
 * ```ts
 * rowBlocks(10, 3); // [{ start: 0, count: 3 }, { start: 3, count: 3 }, { start: 6, count: 4 }]
 * ```
 */
export function rowBlocks(
  n: number,
  workers: number,
): readonly { readonly start: number; readonly count: number }[] {
  return Array.from({ length: workers }, (_, p) => {
    const start = Math.floor((p * n) / workers);
    const end = Math.floor(((p + 1) * n) / workers);
    return { start, count: end - start };
  });
}
