#!/usr/bin/env bash
# An installed dxplan (cmake --install build --prefix P) runs the default scenario from an empty directory,
# reading its data from P/share/dxplan, not from the source tree. Args: CMAKE_COMMAND BUILD_DIR.
set -euo pipefail
cmake=$1 build=$2
prefix=$(mktemp -d) work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
"$cmake" --install "$build" --prefix "$prefix" >/dev/null
cd "$work"
data=$("$prefix/bin/dxplan" --data-dir)
[ "$data" = "$prefix/share/dxplan" ] || { echo "installed dxplan reads its data from '$data', not $prefix/share/dxplan"; exit 1; }
[ -f "$prefix/share/dxplan/models/technology/halow-jp-4mhz.yaml" ] && [ -f "$prefix/share/dxplan/scenarios/default.yaml" ]
[ ! -e "$prefix/share/dxplan/models/propagation/itm.cpp" ] || { echo "model sources installed as data"; exit 1; }
"$prefix/bin/dxplan" run --out out > run.log
grep -q "dxplan run: wrote" run.log
[ -f out/report.html ] && [ -f out/summary.json ]
echo "installed copy ran the default scenario from $work"
