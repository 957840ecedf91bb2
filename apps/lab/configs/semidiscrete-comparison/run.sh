#!/bin/sh
# Runs the six sweeps (four couplings, then a short fit without and with refineDual) into one database (resumable: run again after any interruption), niced so
# that it only takes the CPU the other studies leave. From a built clone:
#   apps/lab/configs/semidiscrete-comparison/run.sh OUT
# then: node packages/cli/dist/cli.js report --db OUT/results.duckdb --sweep 'sd-compare-*' --markdown OUT/table.md --out OUT/report.html
set -e
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../../.."
out="${1:-sd-compare}"
mkdir -p "$out"
for coupling in independent ot precomputed semidiscrete refine-short refine-short-refined; do
  nice -n 10 node "$root/packages/cli/dist/cli.js" sweep "$here/$coupling.yaml" \
    --db "$out/results.duckdb" --runs "$out/runs"
done
