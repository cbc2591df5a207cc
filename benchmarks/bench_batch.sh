#!/usr/bin/env bash
# Benchmark of `dxplan batch` (README, docs/batch.md): the 24-variant sweep of the default scenario
# (scenarios/examples/sweep-default.yaml) with 1 and 2 MPI ranks and 1 and 2 threads per variant, side by side
# in one run; prints the median and range of REPS runs per case and the CPU model.
#   benchmarks/bench_batch.sh [DXPLAN_BINARY] [REPS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/tools/dxplan}
reps=${2:-3}
sweep=$here/scenarios/examples/sweep-default.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; $(date -u '+%F %H:%M UTC')"
run_case() {  # label, then the command prefix (empty or mpirun ...), then batch flags
  local label=$1 prefix=$2 flags=$3 times=()
  for ((i = 0; i < reps; i++)); do
    rm -rf "$work/out"
    local t0 t1
    t0=$(date +%s.%N)
    $prefix "$bin" batch "$sweep" --out "$work/out" $flags --progress none >/dev/null
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v l="$label" '{a[NR]=$1} END {printf "%-40s median %6.2f s  (min %.2f, max %.2f, %d runs)\n", l, a[int((NR+1)/2)], a[1], a[NR], NR}'
}
run_case "1 rank, 1 job x 1 thread" "" "--jobs 1 --threads 1"
run_case "1 rank, 1 job x 2 threads" "" "--jobs 1 --threads 2"
run_case "1 rank, 2 jobs x 1 thread" "" "--jobs 2 --threads 1"
if command -v mpirun >/dev/null; then
  run_case "2 ranks, 1 job x 1 thread each" "mpirun -np 2 --oversubscribe" "--jobs 1 --threads 1"
  run_case "2 ranks, 1 job x 2 threads each" "mpirun -np 2 --oversubscribe" "--jobs 1 --threads 2"
fi
