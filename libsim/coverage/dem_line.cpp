#include "libsim/coverage/dem_line.hpp"

#include "libsim/core/simd.hpp"
#include "libsim/coverage/dem_line_simd.hpp"

namespace dxplan::coverage {

namespace {

// The one place that chooses the vector variants of the sampling loop (libsim/core/simd.hpp); all null: portable.
const detail::DemLineSimd& dem_line_simd() {
    static constexpr detail::DemLineSimd portable{nullptr, nullptr};
#if defined(DXPLAN_X86_KERNELS) && defined(__x86_64__)
    switch (simd_kernel()) {
        case SimdKernel::avx512: return detail::kDemLineAvx512;
        case SimdKernel::avx2: return detail::kDemLineAvx2;
        case SimdKernel::scalar: break;
    }
#endif
    return portable;
}

}  // namespace

// The hot loop of exact mode and of the radial reads, in single precision (dem_line_simd.hpp). The AVX-512 kernel,
// the AVX2 build of the loop and its portable build compute the same IEEE operations in the same order (no FMA
// contraction: CMakeLists.txt), so results do not depend on the CPU.
void sample_quadratic(const float* dem, int rows, int cols, const double* q, int n, int j_last, double* out) {
    const detail::DemLineSimd& simd = dem_line_simd();
    const float qf[6] = {static_cast<float>(q[0]), static_cast<float>(q[1]), static_cast<float>(q[2]),
                         static_cast<float>(q[3]), static_cast<float>(q[4]), static_cast<float>(q[5])};
    const int j_from = simd.head ? simd.head(dem, rows, cols, qf, n, j_last, out) : 0;
    if (simd.loop)
        simd.loop(dem, rows, cols, qf, n, j_from, j_last, out);
    else
        detail::sample_line_portable(dem, rows, cols, qf, n, j_from, j_last, out);
}

}  // namespace dxplan::coverage
