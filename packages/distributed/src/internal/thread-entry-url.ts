/**
 * @internal The URL of the shard thread program. The package is bundled into `dist/`, where the
 * program is the sibling `shard-thread.js`; when this module runs from its TypeScript source (the
 * package's own tests under vitest), threads still need JavaScript, so the built program in
 * `../../dist/` is used (build the package first).
 */
export function shardThreadUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../../dist/shard-thread.js', here)
    : new URL('./shard-thread.js', here);
}
