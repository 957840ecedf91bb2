#!/usr/bin/env bash
# The synthetic study of issue 22, one sweep after the other on ONE core (taskset), resumable:
# run it again after any stop and it continues where it was (finished sweeps take a second).
#
#   bash apps/lab/configs/paper-synthetic/run-study.sh OUT        # from the repository root
#
# OUT/study.duckdb + OUT/runs: every sweep (pa-*.yaml: the grid; inv-*.yaml: the investigation);
# OUT/reevaluation: every 600-step model evaluated again on 1000 other points (the d = 16
# piecewise-affine ones on 10 000 too; reevaluate.mjs). CORE (default 1) is the core the study is
# pinned to; the Sinkhorn kernels then use one thread. W2_OPTIONAL=1 adds Figure 2's other
# entropies at n = 4096 (w2-n4096-optional.yaml, E = 0.05 and 0.6: about 14 CPU-hours) at the end of
# the first runner's list.
#
# A second runner on the other core takes the same steps from the END of the list:
#
#   CORE=0 REVERSE=1 bash apps/lab/configs/paper-synthetic/run-study.sh OUT
#
# It writes OUT/study-reverse.duckdb (a database has one writer) and the same OUT/runs: a run
# directory is locked by the runner in it, and a run finished by the other runner is picked up
# from its result.json when this one reaches it (no second training). The first runner, at the end
# of its list, therefore has every run in OUT/study.duckdb. The re-evaluation and the checkpoints
# lent to the longer runs (steps that read other sweeps' results) run in the first runner only.
set -u
OUT=${1:?usage: run-study.sh OUT}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../.." && pwd)
CLI="taskset -c ${CORE:-1} node $ROOT/packages/cli/dist/cli.js"
REVERSE=${REVERSE:-0}
DB="$OUT/study.duckdb"
[ "$REVERSE" = 1 ] && DB="$OUT/study-reverse.duckdb"
mkdir -p "$OUT/runs"
# A sweep of an earlier invocation still running holds the database: wait for it.
while pgrep -f "cli.js sweep .* --db $DB" > /dev/null; do sleep 10; done
sweep() { # CONFIG
  echo "$(date -u +%FT%TZ) start $1"
  $CLI sweep "$HERE/$1" --db "$DB" --runs "$OUT/runs" || echo "$(date -u +%FT%TZ) $1 exited $?"
  echo "$(date -u +%FT%TZ) end $1"
}
longer() { # CONFIG: a sweep whose runs start from the same runs' checkpoints at fewer steps
  taskset -c "${CORE:-1}" node "$HERE/seed-checkpoints.mjs" "$HERE/$1" "$OUT/runs" "$OUT/runs"
  sweep "$1"
}
reevaluate() {
  echo "$(date -u +%FT%TZ) start reevaluation"
  taskset -c "${CORE:-1}" node "$HERE/reevaluate.mjs" "$OUT/runs" "$OUT/reevaluation" > "$OUT/reevaluation.log" 2>&1 || echo "reevaluation exited $?"
  echo "$(date -u +%FT%TZ) end reevaluation"
}
steps=(
  # 1. The issue's question first: d = 16, E = 0.2, n from 256 to 4096, 3 seeds, and the references.
  "sweep pa-d16-e02.yaml" "sweep pa-d16-independent.yaml" "sweep pa-d16-supervised.yaml"
  # 2. The investigation: evaluation points, training steps, pairs per coupling, 2 more seeds, and
  # the weight average (emaDecay) in place of the last iterate.
  reevaluate
  "longer inv-steps-1200.yaml" "longer inv-steps-1200-independent.yaml"
  "longer inv-steps-1200-supervised.yaml"
  "sweep inv-pairs.yaml" "sweep inv-pairs-control.yaml" "sweep pa-d16-e02-more.yaml"
  reevaluate
  "longer inv-steps-2400.yaml" "longer inv-steps-2400-independent.yaml"
  "longer inv-steps-2400-supervised.yaml"
  "sweep inv-ema-independent.yaml" "sweep inv-ema-supervised.yaml" "sweep inv-ema.yaml"
  # 3. The rest of Figure 1: E = 0.05 and 0.6 (last iterate, as the issue's sweep), E = 0.01
  # (n <= 1024); then with averaged weights (emaDecay, the last iterate recorded too): d = 16, d = 32
  # with its references, n = 16384 (E >= 0.2).
  "sweep pa-d16.yaml" reevaluate "sweep pa-d16-sharp.yaml"
  "sweep ema-d16.yaml" "sweep ema-d16-sharp.yaml"
  "sweep ema-d32-independent.yaml" "sweep ema-d32-supervised.yaml" "sweep ema-d32.yaml"
  # The budget at d = 32 (2400 steps from the 600-step runs), then E = 0.01 and n = 16 384.
  "longer inv-d32-steps-2400-independent.yaml" "longer inv-d32-steps-2400-supervised.yaml"
  "longer inv-d32-steps-2400.yaml"
  "sweep ema-d32-sharp.yaml" "sweep ema-d16-n16384.yaml" "sweep ema-d32-n16384.yaml"
  # 4. Figure 2: the W2 benchmark (w2-mix3to10) at d = 16 and 32, averaged weights; needs
  # SINKFLOW_W2_CHECKPOINTS. The second runner starts here from the end: the references and
  # n = 256, 1024 first, then n = 4096 at E = 0.2 (33 minutes a run at d = 16). E = 0.05 and 0.6
  # at n = 4096 (w2-n4096-optional.yaml) are not in the list: W2_OPTIONAL=1 adds them at the end.
  "w2 w2-d32-n4096.yaml" "w2 w2-d16-n4096.yaml"
  "w2 w2-d16.yaml" "w2 w2-d16-independent.yaml" "w2 w2-d16-supervised.yaml"
  "w2 w2-d32.yaml" "w2 w2-d32-independent.yaml" "w2 w2-d32-supervised.yaml"
)
w2() { # CONFIG
  if [ -n "${SINKFLOW_W2_CHECKPOINTS:-}" ]; then
    sweep "$1"
  else
    echo "$(date -u +%FT%TZ) skipped $1: set SINKFLOW_W2_CHECKPOINTS to the Mix3toMix10 folder"
  fi
}
count=${#steps[@]}
for ((index = 0; index < count; index++)); do
  step=${steps[$index]}
  if [ "$REVERSE" = 1 ]; then
    step=${steps[$((count - 1 - index))]}
    # Steps that read other sweeps' results belong to the first runner.
    case $step in reevaluate | longer*) continue ;; esac
  fi
  $step
done
[ "${W2_OPTIONAL:-0}" = 1 ] && [ "$REVERSE" = 0 ] && w2 w2-n4096-optional.yaml
echo "$(date -u +%FT%TZ) study finished"
