#include "libsim/coverage/dem_line.hpp"

#include <algorithm>

namespace dxplan::coverage {

// The hot loop of exact mode and of the radial reads. Written branch-free so that it vectorises (gathers of the
// four DEM samples); the AVX2 clone and the baseline compute the same IEEE operations (no FMA contraction in
// either), so results do not depend on the CPU.
__attribute__((target_clones("avx2", "default")))
void sample_quadratic(const float* dem, int rows, int cols, const double* q, int n, int j_last, double* out) {
    const double ra = q[0], rb = q[1], rc = q[2], ca = q[3], cb = q[4], cc = q[5];
    const double dn = n;
    const int r_max = rows - 2, c_max = cols - 2;
#pragma omp simd
    for (int j = 0; j <= j_last; ++j) {
        const double t = j / dn;
        const double r = ra + t * (rb + t * rc);
        const double c = ca + t * (cb + t * cc);
        // r, c >= -kSlack: truncation is floor() but for (-kSlack, 0), which the clamp maps to 0 either way.
        const int r0 = std::min(std::max(static_cast<int>(r), 0), r_max);
        const int c0 = std::min(std::max(static_cast<int>(c), 0), c_max);
        const double fr = std::min(std::max(r - r0, 0.0), 1.0);
        const double fc = std::min(std::max(c - c0, 0.0), 1.0);
        const int i = r0 * cols + c0;
        const double z00 = dem[i], z01 = dem[i + 1], z10 = dem[i + cols], z11 = dem[i + cols + 1];
        out[j] = (1 - fr) * ((1 - fc) * z00 + fc * z01) + fr * ((1 - fc) * z10 + fc * z11);  // as Terrain::height_m
    }
}

}  // namespace dxplan::coverage
