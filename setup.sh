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
# read the headings.
PACKAGES=(build-essential cmake ninja-build ccache pkg-config
          libboost-graph-dev libomp-dev libhdf5-dev catch2 libgdal-dev gdal-bin
          libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libgeographiclib-dev libglpk-dev
          chromium fonts-noto-cjk poppler-utils)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
fi
cmake --build "$BUILD_DIR" -j2 >&2
