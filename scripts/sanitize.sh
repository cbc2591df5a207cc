#!/usr/bin/env bash
# Sanitizer and fuzzing runs (README "Sanitizers and fuzzing"; presets in CMakePresets.json).
#   scripts/sanitize.sh asan        ASan+UBSan build (build-asan) and the whole test suite, fuzz smoke runs included
#   scripts/sanitize.sh tsan        TSan build (build-tsan) and the whole test suite (OpenMP through libomp + Archer)
#   scripts/sanitize.sh ci          what .ci/run runs: the whole ASan+UBSan suite (fuzz smoke runs included) and
#                                   TSan over the coverage and pipeline tests
#   scripts/sanitize.sh fuzz T S    fuzz target T (scenario, profile, demand, technology, catalogue, roads, raster)
#                                   for S seconds under nice -n 19, corpus in build-asan/tests/fuzz/scratch/T
#                                   (FUZZ_NO_BUILD=1: use the binary as built)
# Run ./setup.sh first (it installs clang, libclang-rt-14-dev and libomp-14-dev).
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}

# The TSan run of CI: the OpenMP coverage solver and the pipeline (scenario runs, `dxplan run` through the CLI).
TSAN_CI_TARGETS=(dxplan test_coverage test_scenarios test_service_maps test_cli_run)
TSAN_CI_TESTS='^(test_coverage|test_scenarios|test_service_maps|test_cli_run):'

configure() {  # PRESET
  [ -f "build-$1/build.ninja" ] || cmake --preset "$1" >&2
}

case "${1:-}" in
  asan)
    configure asan
    cmake --build --preset asan
    ctest --preset asan ;;
  tsan)
    configure tsan
    cmake --build --preset tsan
    ctest --preset tsan ;;
  ci)
    configure asan
    cmake --build --preset asan
    ctest --preset asan   # the whole suite (its time in CI is not measured yet: README "Sanitizers and fuzzing")
    configure tsan
    cmake --build --preset tsan --target "${TSAN_CI_TARGETS[@]}"
    ctest --preset tsan -R "$TSAN_CI_TESTS" ;;
  fuzz)
    target=${2:?target name}
    seconds=${3:-600}
    configure asan
    [ -n "${FUZZ_NO_BUILD:-}" ] || cmake --build --preset asan --target "fuzz_$target"
    mkdir -p "build-asan/tests/fuzz/scratch/$target"
    nice -n 19 "build-asan/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 \
      -print_final_stats=1 -artifact_prefix="build-asan/tests/fuzz/scratch/crash-$target-" \
      "build-asan/tests/fuzz/scratch/$target" "tests/fuzz/corpus/$target" ;;
  *)
    sed -n '2,9p' "$0" >&2
    exit 2 ;;
esac
