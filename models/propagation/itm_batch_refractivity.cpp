// itm_refractivity_batch(): ITM step 1's surface refractivity and effective earth curvature for many mean path
// heights at once (the fast coverage sweep needs them per pixel before its horizon search). AVX2 with glibc's
// libmvec exp when the CPU has it, std::exp otherwise; the formulas of itm_analyze_profile() [TN101 eq. 4.3, 4.4].
#include "models/propagation/itm_batch.hpp"

#include <immintrin.h>

#include <cmath>
#include <string>

#include "libsim/core/error.hpp"

extern "C" __m256d _ZGVdN4v_exp(__m256d x);  // glibc libmvec (x86_64 vector function ABI), <= 4 ulp

namespace dxplan::prop {

namespace {

void refractivity_scalar(const double* h_m, std::size_t i, std::size_t n, double n0, double* n_s, double* gamma) {
    for (; i < n; ++i) {
        n_s[i] = (h_m[i] == 0.0) ? n0 : n0 * std::exp(-h_m[i] / 9460.0);  // [TN101 eq. 4.3]
        gamma[i] = 157e-9 * (1.0 - 0.04665 * std::exp(n_s[i] / 179.3));   // [TN101 eq. 4.4]
    }
}

__attribute__((target("avx2")))
std::size_t refractivity_avx2(const double* h_m, std::size_t n, double n0, double* n_s, double* gamma) {
    const __m256d zero = _mm256_setzero_pd(), n0v = _mm256_set1_pd(n0);
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256d h = _mm256_loadu_pd(h_m + i);
        const __m256d e = _ZGVdN4v_exp(_mm256_div_pd(_mm256_sub_pd(zero, h), _mm256_set1_pd(9460.0)));
        const __m256d ns = _mm256_blendv_pd(_mm256_mul_pd(n0v, e), n0v, _mm256_cmp_pd(h, zero, _CMP_EQ_OQ));  // [TN101 eq. 4.3]
        const __m256d g = _mm256_mul_pd(
            _mm256_set1_pd(157e-9),
            _mm256_sub_pd(_mm256_set1_pd(1.0),
                          _mm256_mul_pd(_mm256_set1_pd(0.04665), _ZGVdN4v_exp(_mm256_div_pd(ns, _mm256_set1_pd(179.3))))));  // [TN101 eq. 4.4]
        _mm256_storeu_pd(n_s + i, ns);
        _mm256_storeu_pd(gamma + i, g);
    }
    return i;
}

}  // namespace

void itm_refractivity_batch(std::span<const double> h_sys_m, double n0, std::span<double> n_s,
                            std::span<double> gamma_e_per_m) {
    if (n_s.size() != h_sys_m.size() || gamma_e_per_m.size() != h_sys_m.size())
        throw InputError("itm_refractivity_batch: " + std::to_string(h_sys_m.size()) + " heights but " +
                         std::to_string(n_s.size()) + " / " + std::to_string(gamma_e_per_m.size()) + " outputs");
    static const bool avx2 = __builtin_cpu_supports("avx2");
    const std::size_t from =
        avx2 ? refractivity_avx2(h_sys_m.data(), h_sys_m.size(), n0, n_s.data(), gamma_e_per_m.data()) : 0;
    refractivity_scalar(h_sys_m.data(), from, h_sys_m.size(), n0, n_s.data(), gamma_e_per_m.data());
}

}  // namespace dxplan::prop
