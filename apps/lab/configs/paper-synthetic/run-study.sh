#!/usr/bin/env bash
# The synthetic study of issue 22, one sweep after the other on ONE core (taskset), resumable:
# run it again after any stop and it continues where it was (finished sweeps take a second).
#
#   bash apps/lab/configs/paper-synthetic/run-study.sh OUT        # from the repository root
#
# OUT/study.duckdb + OUT/runs: the grid (pa-*.yaml); OUT/investigation.duckdb + OUT/inv-runs: the
# investigation (inv-*.yaml); OUT/reevaluation: the d = 16 models evaluated again on 1000 other and
# 10 000 points (reevaluate.mjs); OUT/steps: the E = 0.2 models trained on to 2400 steps
# (extend-steps.mjs).
# CORE (default 1) is the core the study is pinned to; the Sinkhorn kernels then use one thread.
set -u
OUT=${1:?usage: run-study.sh OUT}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../.." && pwd)
CLI="taskset -c ${CORE:-1} node $ROOT/packages/cli/dist/cli.js"
mkdir -p "$OUT"
sweep() { # DATABASE RUNS CONFIG
  echo "$(date -u +%FT%TZ) start $3"
  $CLI sweep "$HERE/$3" --db "$OUT/$1" --runs "$OUT/$2" || echo "$(date -u +%FT%TZ) $3 exited $?"
  echo "$(date -u +%FT%TZ) end $3"
}
# 1. The issue's question first: d = 16, E = 0.2, n from 256 to 4096, 5 seeds, and the references.
sweep study.duckdb runs pa-d16-e02.yaml
sweep study.duckdb runs pa-d16-independent.yaml
sweep study.duckdb runs pa-d16-supervised.yaml
# 2. The investigation: evaluation points, pairs per coupling, training steps.
step() { # NAME SCRIPT ARGS...
  echo "$(date -u +%FT%TZ) start $1"
  taskset -c "${CORE:-1}" node "$HERE/$2" "${@:3}" > "$OUT/$1.log" 2>&1 || echo "$1 exited $?"
  echo "$(date -u +%FT%TZ) end $1"
}
step reevaluation reevaluate.mjs "$OUT/runs" "$OUT/reevaluation"
sweep investigation.duckdb inv-runs inv-pairs.yaml
step steps extend-steps.mjs "$OUT/runs" "$OUT/steps" 3
# 3. The rest of Figure 1: E = 0.05 and 0.6, E = 0.01, d = 32, n = 16384.
sweep study.duckdb runs pa-d16.yaml
step reevaluation-2 reevaluate.mjs "$OUT/runs" "$OUT/reevaluation"
sweep study.duckdb runs pa-d16-sharp.yaml
sweep study.duckdb runs pa-d32.yaml
sweep study.duckdb runs pa-d32-independent.yaml
sweep study.duckdb runs pa-d32-supervised.yaml
sweep study.duckdb runs pa-d32-sharp.yaml
sweep study.duckdb runs pa-d16-n16384.yaml
sweep study.duckdb runs pa-d32-n16384.yaml
echo "$(date -u +%FT%TZ) study finished"
