// dxplan coverage (internal): the DEM line sampling loop of dem_line.cpp, its portable form (here, so that
// dem_line_x86.cpp can compile the same loop for AVX2) and its x86 kernels (dem_line_x86.cpp, x86-64 builds
// without -DDXPLAN_PORTABLE=ON only), chosen in one place, dem_line_simd() in dem_line.cpp, from simd_kernel()
// (libsim/core/simd.hpp). Every variant computes the same IEEE operations in the same order (no FMA
// contraction: CMakeLists.txt), so results do not depend on the CPU.
#pragma once

#include <algorithm>

namespace dxplan::coverage::detail {

namespace {  // one copy per translation unit: each is compiled for its own target

// out[j], j = j_from..j_last, as sample_quadratic() (dem_line.hpp) defines it; q = its coefficients in float.
// Single precision (heights are float32 rasters; positions and weights in float are within 1e-4 of a cell (a few
// mm) of double on grids up to 36 000 rows or columns), written branch-free so that it vectorises.
[[gnu::always_inline]] inline void sample_line_portable(const float* dem, int rows, int cols, const float* q, int n,
                                                        int j_from, int j_last, double* out) {
    const float ra = q[0], rb = q[1], rc = q[2], ca = q[3], cb = q[4], cc = q[5];
    const float dt = 1.0f / static_cast<float>(n);
    const int r_max = rows - 2, c_max = cols - 2;
#pragma omp simd
    for (int j = j_from; j <= j_last; ++j) {
        const float t = static_cast<float>(j) * dt;
        const float r = ra + t * (rb + t * rc);
        const float c = ca + t * (cb + t * cc);
        // r, c >= -kSlack: truncation is floor() but for (-kSlack, 0), which the clamp maps to 0 either way.
        const int r0 = std::min(std::max(static_cast<int>(r), 0), r_max);
        const int c0 = std::min(std::max(static_cast<int>(c), 0), c_max);
        const float fr = std::min(std::max(r - static_cast<float>(r0), 0.0f), 1.0f);
        const float fc = std::min(std::max(c - static_cast<float>(c0), 0.0f), 1.0f);
        const int i = r0 * cols + c0;
        const float z00 = dem[i], z01 = dem[i + 1], z10 = dem[i + cols], z11 = dem[i + cols + 1];
        const float gc = 1.0f - fc, gr = 1.0f - fr;
        out[j] = gr * (gc * z00 + fc * z01) + fr * (gc * z10 + fc * z11);  // bilinear, as Terrain::height_m
    }
}

}  // namespace

// The vector variants; a null member: the portable loop.
struct DemLineSimd {
    // whole groups from j = 0 up to j_last; returns the first j not done
    int (*head)(const float* dem, int rows, int cols, const float* q, int n, int j_last, double* out);
    // sample_line_portable() compiled for a wider target
    void (*loop)(const float* dem, int rows, int cols, const float* q, int n, int j_from, int j_last, double* out);
};

extern const DemLineSimd kDemLineAvx2;    // the loop for AVX2
extern const DemLineSimd kDemLineAvx512;  // AVX-512 groups of 16, then the loop for AVX2

}  // namespace dxplan::coverage::detail
