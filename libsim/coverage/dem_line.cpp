#include "libsim/coverage/dem_line.hpp"

#include <algorithm>

// GCC 12 warns about its own _mm512_undefined_*() inside the intrinsics (GCC PR 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

namespace dxplan::coverage {

namespace {

// The hot loop of exact mode and of the radial reads, written branch-free so that it vectorises (gathers of the
// four DEM samples). The AVX2 clone, the baseline and the AVX-512 kernel below compute the same IEEE operations
// in the same order (no FMA contraction: CMakeLists.txt), so results do not depend on the CPU.
__attribute__((target_clones("avx2", "default")))
void sample_generic(const float* dem, int rows, int cols, const double* q, int n, int j_from, int j_last,
                    double* out) {
    const double ra = q[0], rb = q[1], rc = q[2], ca = q[3], cb = q[4], cc = q[5];
    const double dt = 1.0 / n;
    const int r_max = rows - 2, c_max = cols - 2;
#pragma omp simd
    for (int j = j_from; j <= j_last; ++j) {
        const double t = j * dt;
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

// The first (low) and second (high) float of each 64-bit element, widened to double.
__attribute__((target("avx512f"))) inline __m512d low_float(__m512i pairs) {
    return _mm512_cvtps_pd(_mm256_castsi256_ps(_mm512_cvtepi64_epi32(pairs)));  // truncation keeps the low half
}
__attribute__((target("avx512f"))) inline __m512d high_float(__m512i pairs) {
    return _mm512_cvtps_pd(_mm256_castsi256_ps(_mm512_cvtepi64_epi32(_mm512_srli_epi64(pairs, 32))));
}

// The two floats at dem[k], dem[k + 1] as one 64-bit lane; eight of them (indices at[0..7] + off) as a vector.
__attribute__((target("avx512f"))) inline __m128i pair_at(const float* dem, int k) {
    return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(dem + k));
}
__attribute__((target("avx512f"))) inline __m512i eight_pairs(const float* dem, const int* at, int off) {
    const __m128i a = _mm_unpacklo_epi64(pair_at(dem, at[0] + off), pair_at(dem, at[1] + off));
    const __m128i b = _mm_unpacklo_epi64(pair_at(dem, at[2] + off), pair_at(dem, at[3] + off));
    const __m128i c = _mm_unpacklo_epi64(pair_at(dem, at[4] + off), pair_at(dem, at[5] + off));
    const __m128i d = _mm_unpacklo_epi64(pair_at(dem, at[6] + off), pair_at(dem, at[7] + off));
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_inserti128_si256(_mm256_castsi128_si256(a), b, 1)),
                              _mm256_inserti128_si256(_mm256_castsi128_si256(c), d, 1), 1);
}

// AVX-512: 8 samples at a time; each pair of horizontal neighbours (z00, z01) and (z10, z11) is one 64-bit load
// (two adjacent floats). Eight scalar loads per row beat a gather instruction here (measured on the EPYC CI
// type: 2.3 instead of 2.7 ns per sample; the AVX2 gathers of the generic loop: 3.7 ns).
__attribute__((target("avx512f")))
int sample_avx512(const float* dem, int rows, int cols, const double* q, int n, int j_last, double* out) {
    const __m512d ra = _mm512_set1_pd(q[0]), rb = _mm512_set1_pd(q[1]), rc = _mm512_set1_pd(q[2]);
    const __m512d ca = _mm512_set1_pd(q[3]), cb = _mm512_set1_pd(q[4]), cc = _mm512_set1_pd(q[5]);
    const __m512d dt = _mm512_set1_pd(1.0 / n), zero = _mm512_setzero_pd(), one = _mm512_set1_pd(1.0);
    const __m256i r_max = _mm256_set1_epi32(rows - 2), c_max = _mm256_set1_epi32(cols - 2);
    const __m256i zero_i = _mm256_setzero_si256(), cols_v = _mm256_set1_epi32(cols);
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    int j = 0;
    for (; j + 7 <= j_last; j += 8) {
        const __m512d t = _mm512_mul_pd(_mm512_cvtepi32_pd(_mm256_add_epi32(_mm256_set1_epi32(j), lane)), dt);
        const __m512d r = _mm512_add_pd(ra, _mm512_mul_pd(t, _mm512_add_pd(rb, _mm512_mul_pd(t, rc))));
        const __m512d c = _mm512_add_pd(ca, _mm512_mul_pd(t, _mm512_add_pd(cb, _mm512_mul_pd(t, cc))));
        const __m256i r0 = _mm256_min_epi32(_mm256_max_epi32(_mm512_cvttpd_epi32(r), zero_i), r_max);
        const __m256i c0 = _mm256_min_epi32(_mm256_max_epi32(_mm512_cvttpd_epi32(c), zero_i), c_max);
        const __m512d fr = _mm512_min_pd(_mm512_max_pd(_mm512_sub_pd(r, _mm512_cvtepi32_pd(r0)), zero), one);
        const __m512d fc = _mm512_min_pd(_mm512_max_pd(_mm512_sub_pd(c, _mm512_cvtepi32_pd(c0)), zero), one);
        const __m256i i = _mm256_add_epi32(_mm256_mullo_epi32(r0, cols_v), c0);
        alignas(32) int at[8];
        _mm256_store_si256(reinterpret_cast<__m256i*>(at), i);
        const __m512i top = eight_pairs(dem, at, 0), bottom = eight_pairs(dem, at, cols);
        const __m512d z00 = low_float(top), z01 = high_float(top), z10 = low_float(bottom), z11 = high_float(bottom);
        const __m512d gc = _mm512_sub_pd(one, fc), gr = _mm512_sub_pd(one, fr);
        const __m512d upper = _mm512_add_pd(_mm512_mul_pd(gc, z00), _mm512_mul_pd(fc, z01));
        const __m512d lower = _mm512_add_pd(_mm512_mul_pd(gc, z10), _mm512_mul_pd(fc, z11));
        _mm512_storeu_pd(out + j, _mm512_add_pd(_mm512_mul_pd(gr, upper), _mm512_mul_pd(fr, lower)));
    }
    return j;
}

}  // namespace

void sample_quadratic(const float* dem, int rows, int cols, const double* q, int n, int j_last, double* out) {
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    const int j_from = avx512 ? sample_avx512(dem, rows, cols, q, n, j_last, out) : 0;
    sample_generic(dem, rows, cols, q, n, j_from, j_last, out);
}

}  // namespace dxplan::coverage
