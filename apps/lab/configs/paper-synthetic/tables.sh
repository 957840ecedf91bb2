#!/usr/bin/env bash
# The tables and figures of docs/benchmarks.md from a study's OUT folder (run-study.sh), safe while
# the study runs: it works on a copy of the database (a running sweep holds the file's lock).
#
#   bash apps/lab/configs/paper-synthetic/tables.sh OUT GEN        # from the repository root
#
# GEN gets study.duckdb (the copy, with the finished runs of the side databases study-*.duckdb), report.html +
# study.md (the last-iterate grid, pa-d16*), investigation.html + investigation.md (E = 0.2 and the references with
# inv-*), ema.html + ema.md (averaged weights: ema-*, inv-ema*), w2.html + w2.md (Figure 2, w2-*),
# paired.md (paired-differences.mjs; paired-other-points.md on the re-evaluation's points),
# reevaluation.md, and the PNGs of the figures that docs/benchmarks.md shows.
set -eu
OUT=${1:?usage: tables.sh OUT GEN}
GEN=${2:?usage: tables.sh OUT GEN}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../.." && pwd)
CLI="node $ROOT/packages/cli/dist/cli.js"
mkdir -p "$GEN"
cp "$OUT/study.duckdb" "$GEN/study.duckdb"
rm -f "$GEN/study.duckdb.wal"
[ -f "$OUT/study.duckdb.wal" ] && cp "$OUT/study.duckdb.wal" "$GEN/study.duckdb.wal"
# The other runners' databases (study-reverse.duckdb of REVERSE=1, study-ema.duckdb, ...): their
# finished runs join the copy (the first runner records them too once it reaches them; until then
# they are only there).
SIDE_DBS=""
for side in "$OUT"/study-*.duckdb; do
  [ -f "$side" ] || continue
  name=$(basename "$side")
  rm -f "$GEN/$name" "$GEN/$name.wal"
  cp "$side" "$GEN/$name"
  [ -f "$side.wal" ] && cp "$side.wal" "$GEN/$name.wal"
  SIDE_DBS="$SIDE_DBS $GEN/$name"
done
# Runs restarted after their final checkpoint by a build before the fix of e3c8855 recorded 0 s of
# Sinkhorn (nothing was solved in that process): their timing and E become null in the copy.
node --input-type=module -e "
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire('$ROOT/packages/cli/package.json');
const { DuckDBInstance } = require('@duckdb/node-api');
const instance = await DuckDBInstance.create('$GEN/study.duckdb');
const connection = await instance.connect();
for (const side of '$SIDE_DBS'.split(' ').filter(Boolean)) {
  await connection.run(\`ATTACH '\${side}' AS side (READ_ONLY)\`);
  await connection.run(\`DELETE FROM runs WHERE status <> 'done'
    AND id IN (SELECT id FROM side.runs WHERE status = 'done')\`);
  const merged = await connection.runAndReadAll(\`INSERT INTO runs SELECT * FROM side.runs
    WHERE status = 'done' ON CONFLICT (id) DO NOTHING RETURNING id\`);
  console.log(\`runs added from \${side}:\`, merged.getRows().length);
  await connection.run('DETACH side');
}
const reader = await connection.runAndReadAll(\`UPDATE runs SET metrics = json_merge_patch(metrics,
  '{\"sinkhornSecondsPerExample\": null, \"trainSeconds\": null, \"renormalizedEntropy\": null}')
  WHERE status = 'done' AND kind = 'train'
  AND CAST(json_extract(metrics, '\$.resumedFrom') AS INTEGER) = CAST(json_extract(metrics, '\$.step') AS INTEGER)
  RETURNING id\`);
console.log('runs resumed at their last step (timing set to null):', reader.getRows().map((row) => row[0]).join(', ') || 'none');
// W2 runs of the first configs, without the weight average (their last iterate is the last* of
// the averaged runs of the same seeds): left out.
const dropped = await connection.runAndReadAll(\`DELETE FROM runs WHERE sweep LIKE 'w2-%'
  AND json_extract(config, '\$.options.emaDecay') IS NULL RETURNING id\`);
console.log('W2 runs without averaged weights left out:', dropped.getRows().length);
// pa-d32: a sweep of the first plan, replaced by ema-d32 before it finished a run of its own.
await connection.run(\`DELETE FROM runs WHERE sweep = 'pa-d32'\`);
// The runs the tables use, for paired-differences.mjs (the runs folder also holds the left-out ones).
const kept = await connection.runAndReadAll(\`SELECT id FROM runs WHERE status = 'done'\`);
writeFileSync('$GEN/run-ids.txt', kept.getRows().map((row) => row[0]).join('\\n') + '\\n');
connection.closeSync();
instance.closeSync();
"
METRICS=renormalizedEntropy,curvature,reconstruction,l2Uvp,bpd,sinkhornSecondsPerExample
$CLI report --db "$GEN/study.duckdb" --sweep 'pa-d16*' --out "$GEN/report.html" --markdown "$GEN/study.md" --metrics $METRICS
$CLI report --db "$GEN/study.duckdb" --sweep 'pa-d16-e02,pa-d16-independent,pa-d16-supervised,inv-*' \
  --out "$GEN/investigation.html" --markdown "$GEN/investigation.md" --metrics $METRICS
# Figure 2: the W2 benchmark (w2-*), once it has runs.
# Averaged weights (ema-*, inv-ema*; the last iterate's metrics of the same runs as last*), and
# Figure 2 (w2-*, averaged weights), once they have runs.
# The columns: the last iterate's too once a run records them, the coupling's once one has OT.
averaged_report() { # NAME SWEEPS
  for metrics in "$METRICS,lastCurvature,lastReconstruction,lastBpd" "$METRICS" \
    curvature,reconstruction,l2Uvp,bpd; do
    if $CLI report --db "$GEN/study.duckdb" --sweep "$2" --out "$GEN/$1.html" \
      --markdown "$GEN/$1.md" --metrics "$metrics" 2>/dev/null; then return 0; fi
  done
  echo "no report $1 (no runs of $2 yet?)"
}
averaged_report ema 'ema-*,inv-ema*'
averaged_report w2 'w2-*'
node "$HERE/paired-differences.mjs" "$OUT/runs" --ids "$GEN/run-ids.txt" > "$GEN/paired.md"
# The same differences on 1000 (bits per dimension: 256) other points of each model (reevaluate.mjs).
if [ -d "$OUT/reevaluation" ]; then
  node "$HERE/paired-differences.mjs" "$OUT/runs" --ids "$GEN/run-ids.txt" \
    --evaluation "$OUT/reevaluation" > "$GEN/paired-other-points.md"
fi
if [ -f "$OUT/reevaluation/summary.md" ]; then cp "$OUT/reevaluation/summary.md" "$GEN/reevaluation.md"; fi
# The PNGs are written anew (a figure id changes once a second dimension has runs: no stale ones).
rm -f "$GEN"/*.png "$GEN"/ema/*.png "$GEN"/w2/*.png
# Against n (one figure per dimension once d = 32 has runs: reconstruction-n-piecewise-affine-d16, ...).
FIGURES=$(node "$HERE/figures-png.mjs" "$GEN/report.html" --list | grep -E '^(reconstruction|curvature|bpd)-(n|entropy)')
node "$HERE/figures-png.mjs" "$GEN/report.html" "$GEN" $FIGURES
# The averaged grid's and Figure 2's PNGs in GEN/ema and GEN/w2 (the same figure ids as the grid's).
for part in ema w2; do
  [ -f "$GEN/$part.html" ] || continue
  FIGURES=$(node "$HERE/figures-png.mjs" "$GEN/$part.html" --list | grep -E '^(reconstruction|curvature|bpd)-(n|entropy)' || true)
  [ -n "$FIGURES" ] && node "$HERE/figures-png.mjs" "$GEN/$part.html" "$GEN/$part" $FIGURES
done
