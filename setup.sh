#!/usr/bin/env bash
# dxplan set-up: install the Debian 12 packages that are missing (idempotent: a no-op when all are present),
# configure once, then build incrementally. Safe to run again and again; a repeat run takes seconds.
#   ./setup.sh            install + configure + build into ./build
#   BUILD_DIR=... ./setup.sh    build elsewhere
set -euo pipefail
cd "$(dirname "$0")"

# Why each package: compilers and build (build-essential cmake ninja-build ccache pkg-config);
# the design card's libraries (Boost.Graph, OpenMP, HDF5 C++, Catch2 2.13, GDAL, yaml-cpp,
# nlohmann-json, CLI11); GeographicLib for WGS84 geodesics; GLPK, the exact MIP solver for the
# backhaul and site-selection optimality gaps; gdal-bin (gdalinfo) used by tests; chromium renders
# the HTML report in the report test and prints it to report.pdf in `dxplan run`; fonts-noto-cjk gives it the
# Japanese glyphs of the --lang ja report; poppler-utils (pdfinfo, pdftotext) lets the PDF test count pages and
# read the headings;
# OpenMPI (libopenmpi-dev, openmpi-bin: mpirun) distributes `dxplan batch` over ranks; python3-h5py and
# python3-matplotlib run scenarios/examples/plot_batch.py on a batch store (and its test); libeigen3-dev: the
# least-squares (ridge) fit that calibrates a propagation model to measurements (libsim/measure).
# Sanitizer and fuzzing builds (CMakePresets.json asan/tsan, scripts/sanitize.sh, run by .ci/run): clang (clang-14,
# the compiler of those builds), libclang-rt-14-dev (the ASan/UBSan/TSan runtimes and libFuzzer),
# libomp-14-dev (LLVM's OpenMP runtime and its Archer tool libarcher.so, through which TSan sees OpenMP).
PACKAGES=(build-essential cmake ninja-build ccache pkg-config
          libboost-graph-dev libomp-dev libhdf5-dev catch2 libgdal-dev gdal-bin
          libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libgeographiclib-dev libglpk-dev
          chromium fonts-noto-cjk poppler-utils
          libopenmpi-dev openmpi-bin python3-h5py python3-matplotlib libeigen3-dev
          clang libclang-rt-14-dev libomp-14-dev)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# ccache: paths relative to the checkout, so another clone of it (CI's, a worktree) hits the same cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
fi
cmake --build "$BUILD_DIR" -j2 >&2
