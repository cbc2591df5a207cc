// dxplan coverage (internal): the x86 kernels of the DEM line sampling (dem_line_simd.hpp), x86-64 only. Listed in
// libsim/coverage/CMakeLists.txt only for x86-64 builds without -DDXPLAN_PORTABLE=ON, and guarded by __x86_64__
// as well. Each function carries its target (target attributes), so nothing else in this file is compiled for AVX.
#if defined(__x86_64__)
#include "libsim/coverage/dem_line_simd.hpp"

// GCC 12 warns about its own _mm512_undefined_*() inside the intrinsics (GCC PR 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

namespace dxplan::coverage::detail {

namespace {

// The portable loop compiled for AVX2 (8 floats per vector, gathers): the bits of the portable loop.
__attribute__((target("avx2"))) void sample_line_avx2(const float* dem, int rows, int cols, const float* q, int n,
                                                      int j_from, int j_last, double* out) {
    sample_line_portable(dem, rows, cols, q, n, j_from, j_last, out);
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

// AVX-512: 16 samples at a time; each pair of horizontal neighbours (z00, z01) and (z10, z11) is one 64-bit load
// (two adjacent floats). Scalar loads beat a gather instruction here, and single precision halves the work
// (measured on the EPYC CI type: 1.9 ns per sample; 2.3 in double with the same loads, 2.7 with 64-bit gathers,
// 3.7 for the AVX2 gathers of the generic loop).
__attribute__((target("avx512f")))
int sample_avx512(const float* dem, int rows, int cols, const float* q, int n, int j_last, double* out) {
    const __m512 ra = _mm512_set1_ps(q[0]), rb = _mm512_set1_ps(q[1]), rc = _mm512_set1_ps(q[2]);
    const __m512 ca = _mm512_set1_ps(q[3]), cb = _mm512_set1_ps(q[4]), cc = _mm512_set1_ps(q[5]);
    const __m512 dt = _mm512_set1_ps(1.0f / static_cast<float>(n)), zero = _mm512_setzero_ps(), one = _mm512_set1_ps(1.0f);
    const __m512i r_max = _mm512_set1_epi32(rows - 2), c_max = _mm512_set1_epi32(cols - 2);
    const __m512i zero_i = _mm512_setzero_si512(), cols_v = _mm512_set1_epi32(cols);
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i deinterleave = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
    int j = 0;
    for (; j + 15 <= j_last; j += 16) {
        const __m512 t = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(_mm512_set1_epi32(j), lane)), dt);
        const __m512 r = _mm512_add_ps(ra, _mm512_mul_ps(t, _mm512_add_ps(rb, _mm512_mul_ps(t, rc))));
        const __m512 c = _mm512_add_ps(ca, _mm512_mul_ps(t, _mm512_add_ps(cb, _mm512_mul_ps(t, cc))));
        const __m512i r0 = _mm512_min_epi32(_mm512_max_epi32(_mm512_cvttps_epi32(r), zero_i), r_max);
        const __m512i c0 = _mm512_min_epi32(_mm512_max_epi32(_mm512_cvttps_epi32(c), zero_i), c_max);
        const __m512 fr = _mm512_min_ps(_mm512_max_ps(_mm512_sub_ps(r, _mm512_cvtepi32_ps(r0)), zero), one);
        const __m512 fc = _mm512_min_ps(_mm512_max_ps(_mm512_sub_ps(c, _mm512_cvtepi32_ps(c0)), zero), one);
        alignas(64) int at[16];
        _mm512_store_si512(at, _mm512_add_epi32(_mm512_mullo_epi32(r0, cols_v), c0));
        // (z00 of samples 0..7 | z01 of samples 0..7), the same for 8..15, then regrouped per corner
        const __m512 top0 = _mm512_permutexvar_ps(deinterleave, _mm512_castsi512_ps(eight_pairs(dem, at, 0)));
        const __m512 top1 = _mm512_permutexvar_ps(deinterleave, _mm512_castsi512_ps(eight_pairs(dem, at + 8, 0)));
        const __m512 bot0 = _mm512_permutexvar_ps(deinterleave, _mm512_castsi512_ps(eight_pairs(dem, at, cols)));
        const __m512 bot1 = _mm512_permutexvar_ps(deinterleave, _mm512_castsi512_ps(eight_pairs(dem, at + 8, cols)));
        const __m512 z00 = _mm512_shuffle_f32x4(top0, top1, 0x44), z01 = _mm512_shuffle_f32x4(top0, top1, 0xEE);
        const __m512 z10 = _mm512_shuffle_f32x4(bot0, bot1, 0x44), z11 = _mm512_shuffle_f32x4(bot0, bot1, 0xEE);
        const __m512 gc = _mm512_sub_ps(one, fc), gr = _mm512_sub_ps(one, fr);
        const __m512 upper = _mm512_add_ps(_mm512_mul_ps(gc, z00), _mm512_mul_ps(fc, z01));
        const __m512 lower = _mm512_add_ps(_mm512_mul_ps(gc, z10), _mm512_mul_ps(fc, z11));
        const __m512 z = _mm512_add_ps(_mm512_mul_ps(gr, upper), _mm512_mul_ps(fr, lower));
        _mm512_storeu_pd(out + j, _mm512_cvtps_pd(_mm512_castps512_ps256(z)));
        _mm512_storeu_pd(out + j + 8, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(z), 1))));
    }
    return j;
}

}  // namespace

const DemLineSimd kDemLineAvx2{nullptr, sample_line_avx2};
const DemLineSimd kDemLineAvx512{sample_avx512, sample_line_avx2};

}  // namespace dxplan::coverage::detail
#endif  // __x86_64__
