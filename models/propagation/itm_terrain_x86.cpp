// ITM terrain analysis (itm_terrain.cpp): the AVX2 / AVX-512 kernels of its per-profile loops, x86-64 only.
// Listed in models/propagation/CMakeLists.txt only for x86-64 builds without -DDXPLAN_PORTABLE=ON, and guarded by
// __x86_64__ as well. The target of each function is given on the function (target attributes), so nothing
// outside these kernels (inline library code this file instantiates) is compiled for AVX: the linker may keep any
// copy of such code. Each kernel computes the IEEE operations of the portable loop it stands for in
// itm_terrain.cpp, in the same order (no FMA contraction), so it gives the same bits; chosen by itm_terrain_simd().
#if defined(__x86_64__)
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

// GCC 12 warns about its own _mm512_undefined_*() inside the intrinsics (GCC PR 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

#include "models/propagation/itm_terrain_simd.hpp"

namespace dxplan::prop::detail {

namespace {

// The selection buffers of interdecile_avx512(): + one vector of slack for the compress stores.
using SelectBuffer = std::array<double, kMaxDeltaHSamples + 8>;

// AVX-512: one vector holds the kItmLanes = 8 lanes; returns the first i not summed.
__attribute__((target("avx512f")))
int lane_sums_avx512(const double* z, int i, int i1, double c, double (&a)[kItmLanes], double (&b)[kItmLanes]) {
    __m512d va = _mm512_setzero_pd(), vb = _mm512_setzero_pd();
    const __m512d lane = _mm512_setr_pd(0, 1, 2, 3, 4, 5, 6, 7), cv = _mm512_set1_pd(c);
    for (; i + kItmLanes - 1 <= i1; i += kItmLanes) {
        const __m512d zz = _mm512_loadu_pd(z + i);
        const __m512d k = _mm512_sub_pd(_mm512_add_pd(_mm512_set1_pd(i), lane), cv);  // (i + l) - c, exact sum
        va = _mm512_add_pd(va, zz);
        vb = _mm512_add_pd(vb, _mm512_mul_pd(zz, k));
    }
    _mm512_storeu_pd(a, va);
    _mm512_storeu_pd(b, vb);
    return i;
}

// AVX-512: the same operations 8 samples at a time; returns the first sample not scanned.
__attribute__((target("avx512f")))
int scan_horizons_avx512(const double* z, int n, double x_m, double z_tx_m, double z_rx_m, double half_gamma,
                         HorizonLanes& h) {
    __m512d bt = _mm512_loadu_pd(h.bt), bi = _mm512_loadu_pd(h.bi), rt = _mm512_loadu_pd(h.rt),
            ri = _mm512_loadu_pd(h.ri);
    const __m512d x = _mm512_set1_pd(x_m), hg = _mm512_set1_pd(half_gamma), nn = _mm512_set1_pd(n);
    const __m512d ztx = _mm512_set1_pd(z_tx_m), zrx = _mm512_set1_pd(z_rx_m);
    const __m512d lane = _mm512_setr_pd(0, 1, 2, 3, 4, 5, 6, 7);
    int i = 1;
    for (; i + kItmLanes - 1 <= n - 1; i += kItmLanes) {
        const __m512d k = _mm512_add_pd(_mm512_set1_pd(i), lane);
        const __m512d d_tx = _mm512_mul_pd(k, x), d_rx = _mm512_mul_pd(_mm512_sub_pd(nn, k), x);
        const __m512d zz = _mm512_loadu_pd(z + i);
        const __m512d t_tx = _mm512_sub_pd(_mm512_div_pd(_mm512_sub_pd(zz, ztx), d_tx), _mm512_mul_pd(d_tx, hg));
        const __m512d t_rx = _mm512_sub_pd(_mm512_div_pd(_mm512_sub_pd(zz, zrx), d_rx), _mm512_mul_pd(d_rx, hg));
        const __mmask8 up_tx = _mm512_cmp_pd_mask(t_tx, bt, _CMP_GT_OQ);
        const __mmask8 up_rx = _mm512_cmp_pd_mask(t_rx, rt, _CMP_GT_OQ);
        bt = _mm512_mask_mov_pd(bt, up_tx, t_tx);
        bi = _mm512_mask_mov_pd(bi, up_tx, k);
        rt = _mm512_mask_mov_pd(rt, up_rx, t_rx);
        ri = _mm512_mask_mov_pd(ri, up_rx, k);
    }
    _mm512_storeu_pd(h.bt, bt);
    _mm512_storeu_pd(h.bi, bi);
    _mm512_storeu_pd(h.rt, rt);
    _mm512_storeu_pd(h.ri, ri);
    return i;
}

// v with its 128-bit lane `at` replaced by pair (AVX512F only; insertf64x2 needs AVX512DQ).
template <int At>
__attribute__((target("avx512f"))) inline __m512d insert_pair(__m512d v, __m128d pair) {
    return _mm512_castps_pd(_mm512_insertf32x4(_mm512_castpd_ps(v), _mm_castpd_ps(pair), At));
}

// AVX-512: the same operations 8 samples at a time, each (z[k - 1], z[k]) one 128-bit load (faster than two
// gathers on the CI's EPYC type); returns the first sample not computed.
__attribute__((target("avx512f")))
int resample_avx512(const double* z, int n, double x_start, double step, int m, double* s) {
    const __m512d x0 = _mm512_set1_pd(x_start), dx = _mm512_set1_pd(step);
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), one = _mm256_set1_epi32(1);
    const __m256i n_v = _mm256_set1_epi32(n);
    const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), odd = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    int j = 0;
    for (; j + 8 <= m; j += 8) {
        const __m512d x = _mm512_add_pd(x0, _mm512_mul_pd(_mm512_cvtepi32_pd(_mm256_add_epi32(_mm256_set1_epi32(j), lane)), dx));
        const __m256i k = _mm256_min_epi32(_mm256_add_epi32(_mm512_cvttpd_epi32(x), one), n_v);
        const int base = _mm256_cvtsi256_si32(k) - 1;  // z[k - 1] of lane 0
        __m512d z_prev, z_k;
        if (_mm256_extract_epi32(k, 7) - base <= 15 && base + 15 <= n) {
            // All 8 pairs inside z[base .. base + 15] (steps up to ~2 points, most paths): two loads and a
            // two-source permute instead of 8 loads.
            const __m512d w0 = _mm512_loadu_pd(z + base), w1 = _mm512_loadu_pd(z + base + 8);
            const __m512i at = _mm512_cvtepi32_epi64(_mm256_sub_epi32(k, _mm256_set1_epi32(base)));
            z_k = _mm512_permutex2var_pd(w0, at, w1);
            z_prev = _mm512_permutex2var_pd(w0, _mm512_sub_epi64(at, _mm512_set1_epi64(1)), w1);
        } else {
            alignas(32) int at[8];
            _mm256_store_si256(reinterpret_cast<__m256i*>(at), k);
            __m512d lo = _mm512_castpd128_pd512(_mm_loadu_pd(z + at[0] - 1));  // (z[k - 1], z[k]) pairs
            lo = insert_pair<1>(lo, _mm_loadu_pd(z + at[1] - 1));
            lo = insert_pair<2>(lo, _mm_loadu_pd(z + at[2] - 1));
            lo = insert_pair<3>(lo, _mm_loadu_pd(z + at[3] - 1));
            __m512d hi = _mm512_castpd128_pd512(_mm_loadu_pd(z + at[4] - 1));
            hi = insert_pair<1>(hi, _mm_loadu_pd(z + at[5] - 1));
            hi = insert_pair<2>(hi, _mm_loadu_pd(z + at[6] - 1));
            hi = insert_pair<3>(hi, _mm_loadu_pd(z + at[7] - 1));
            z_prev = _mm512_permutex2var_pd(lo, even, hi);
            z_k = _mm512_permutex2var_pd(lo, odd, hi);
        }
        const __m512d frac = _mm512_sub_pd(x, _mm512_cvtepi32_pd(k));
        _mm512_storeu_pd(s + j, _mm512_add_pd(z_k, _mm512_mul_pd(_mm512_sub_pd(z_k, z_prev), frac)));
    }
    return j;
}

// The k-th largest (Largest) or smallest of v[0..n), n <= 24, by counting: the value with fewer than k values
// beyond it and at least k at or beyond it (three vector compares per candidate).
template <bool Largest>
__attribute__((target("avx512f")))
double select_few_avx512(const double* v, int n, int k) {
    __m512d part[3];
    __mmask8 valid[3];
    for (int j = 0; j < 3; ++j) {
        const int left = std::clamp(n - 8 * j, 0, 8);
        valid[j] = static_cast<__mmask8>((1u << left) - 1u);
        part[j] = _mm512_maskz_loadu_pd(valid[j], v + 8 * j);
    }
    for (int i = 0; i < n; ++i) {
        const __m512d x = _mm512_set1_pd(v[i]);
        int beyond = 0;
        for (int j = 0; j < 3; ++j)
            beyond += __builtin_popcount(_mm512_mask_cmp_pd_mask(valid[j], part[j], x, Largest ? _CMP_GT_OQ : _CMP_LT_OQ));
        if (beyond >= k) continue;
        int at_or_beyond = 0;
        for (int j = 0; j < 3; ++j)
            at_or_beyond +=
                __builtin_popcount(_mm512_mask_cmp_pd_mask(valid[j], part[j], x, Largest ? _CMP_GE_OQ : _CMP_LE_OQ));
        if (k <= at_or_beyond) return v[i];
    }
    return std::numeric_limits<double>::quiet_NaN();  // only when v holds NaN
}

// The first pivot of a selection among m >= 16 values with k ~ m / 10: the 3rd value from the top (Largest) of 16
// spread samples, near the 82nd percentile, so that most values are discarded in the first pass. Branch-free.
template <bool Largest>
double sampled_pivot(const double* v, int m) {
    double a = -std::numeric_limits<double>::infinity(), b = a, c = a;
    for (int j = 0; j < 16; ++j) {
        const double x = Largest ? v[j * m / 16] : -v[j * m / 16];
        const double x1 = std::min(a, x), x2 = std::min(b, x1);
        a = std::max(a, x);
        b = std::max(b, x1);
        c = std::max(c, x2);
    }
    return Largest ? c : -c;
}

// Quickselect from `level` on (level 0: the sampled pivot; later: the median of three).
template <bool Largest>
__attribute__((target("avx512f")))
double select_avx512(const double* v, int m, int k, SelectBuffer& buf_a, SelectBuffer& buf_b, int first_level = 0) {
    const double* in = v;
    int n = m;
    double* out[2] = {buf_a.data(), buf_b.data()};
    for (int level = first_level;; ++level) {
        if (n <= 24) return select_few_avx512<Largest>(in, n, k);
        double pivot;
        if (level == 0) {
            pivot = sampled_pivot<Largest>(in, n);
        } else {
            double p0 = in[0], p1 = in[n / 2], p2 = in[n - 1];  // median of three
            if (p0 > p1) std::swap(p0, p1);
            pivot = std::max(p0, std::min(p1, p2));
        }
        const __m512d pv = _mm512_set1_pd(pivot);
        double* beyond = out[level & 1];  // the values beyond the pivot (> for Largest), then those short of it
        int n_beyond = 0, n_equal = 0, i = 0;
        for (; i + 8 <= n; i += 8) {
            const __m512d x = _mm512_loadu_pd(in + i);
            const __mmask8 gt = _mm512_cmp_pd_mask(x, pv, Largest ? _CMP_GT_OQ : _CMP_LT_OQ);
            const __mmask8 eq = _mm512_cmp_pd_mask(x, pv, _CMP_EQ_OQ);
            _mm512_storeu_pd(beyond + n_beyond, _mm512_maskz_compress_pd(gt, x));
            n_beyond += __builtin_popcount(gt);
            n_equal += __builtin_popcount(eq);
        }
        for (; i < n; ++i) {
            beyond[n_beyond] = in[i];
            n_beyond += Largest ? in[i] > pivot : in[i] < pivot;
            n_equal += in[i] == pivot;
        }
        if (k <= n_beyond) {
            in = beyond;
            n = n_beyond;
            continue;
        }
        if (k <= n_beyond + n_equal) return pivot;
        // The values short of the pivot, k reduced by those beyond or equal.
        int n_short = 0;
        for (i = 0; i + 8 <= n; i += 8) {
            const __m512d x = _mm512_loadu_pd(in + i);
            const __mmask8 lt = _mm512_cmp_pd_mask(x, pv, Largest ? _CMP_LT_OQ : _CMP_GT_OQ);
            _mm512_storeu_pd(beyond + n_short, _mm512_maskz_compress_pd(lt, x));
            n_short += __builtin_popcount(lt);
        }
        for (; i < n; ++i) {
            beyond[n_short] = in[i];
            n_short += Largest ? in[i] < pivot : in[i] > pivot;
        }
        k -= n_beyond + n_equal;
        in = beyond;
        n = n_short;
    }
}

// The k_short-th value from the top (Largest) among v's values short of `bound` (< bound for Largest), which is the
// k-th of all v: partitioned by the 6th value from the top of the 16 samples; if the answer is below that too, a
// fresh selection over all.
template <bool Largest>
__attribute__((target("avx512f")))
double select_short_of(const double* v, int m, int k, int k_short, double bound, SelectBuffer& cand, SelectBuffer& buf_a,
                       SelectBuffer& buf_b) {
    double top[6];
    for (double& t : top) t = -std::numeric_limits<double>::infinity();
    for (int j = 0; j < 16; ++j) {  // branch-free running top six of the samples
        double x = Largest ? v[j * m / 16] : -v[j * m / 16];
        for (double& t : top) {
            const double hi = std::max(t, x);
            x = std::min(t, x);
            t = hi;
        }
    }
    const double p2 = Largest ? top[5] : -top[5];
    const __m512d pv = _mm512_set1_pd(p2), bv = _mm512_set1_pd(bound);
    int n = 0, eq = 0, i = 0;
    for (; i + 8 <= m; i += 8) {
        const __m512d x = _mm512_loadu_pd(v + i);
        const __mmask8 in = _mm512_cmp_pd_mask(x, bv, Largest ? _CMP_LT_OQ : _CMP_GT_OQ) &
                            _mm512_cmp_pd_mask(x, pv, Largest ? _CMP_GT_OQ : _CMP_LT_OQ);
        _mm512_storeu_pd(cand.data() + n, _mm512_maskz_compress_pd(in, x));
        n += __builtin_popcount(in);
        eq += __builtin_popcount(_mm512_cmp_pd_mask(x, pv, _CMP_EQ_OQ));
    }
    for (; i < m; ++i) {
        cand[static_cast<std::size_t>(n)] = v[i];
        n += Largest ? (v[i] < bound && v[i] > p2) : (v[i] > bound && v[i] < p2);
        eq += v[i] == p2;
    }
    const bool p2_short = Largest ? p2 < bound : p2 > bound;
    if (k_short <= n) return select_avx512<Largest>(cand.data(), n, k_short, buf_a, buf_b, 1);
    if (p2_short && k_short <= n + eq) return p2;
    return select_avx512<Largest>(v, m, k, buf_a, buf_b);
}

// The k-th largest minus the k-th smallest with AVX-512: the first pass of both selections fused (one read of
// the values, each compressed into its own buffer), then each selection on its own.
__attribute__((target("avx512f")))
double interdecile_avx512(const double* v, int m, int k) {
    SelectBuffer hi, lo, buf_a, buf_b;  // not initialised: written before read
    const double p_hi = sampled_pivot<true>(v, m), p_lo = sampled_pivot<false>(v, m);
    const __m512d ph = _mm512_set1_pd(p_hi), pl = _mm512_set1_pd(p_lo);
    int n_hi = 0, eq_hi = 0, n_lo = 0, eq_lo = 0, i = 0;
    for (; i + 8 <= m; i += 8) {
        const __m512d x = _mm512_loadu_pd(v + i);
        const __mmask8 gt = _mm512_cmp_pd_mask(x, ph, _CMP_GT_OQ), lt = _mm512_cmp_pd_mask(x, pl, _CMP_LT_OQ);
        _mm512_storeu_pd(hi.data() + n_hi, _mm512_maskz_compress_pd(gt, x));
        _mm512_storeu_pd(lo.data() + n_lo, _mm512_maskz_compress_pd(lt, x));
        n_hi += __builtin_popcount(gt);
        n_lo += __builtin_popcount(lt);
        eq_hi += __builtin_popcount(_mm512_cmp_pd_mask(x, ph, _CMP_EQ_OQ));
        eq_lo += __builtin_popcount(_mm512_cmp_pd_mask(x, pl, _CMP_EQ_OQ));
    }
    for (; i < m; ++i) {
        hi[static_cast<std::size_t>(n_hi)] = v[i];
        lo[static_cast<std::size_t>(n_lo)] = v[i];
        n_hi += v[i] > p_hi;
        n_lo += v[i] < p_lo;
        eq_hi += v[i] == p_hi;
        eq_lo += v[i] == p_lo;
    }
    // Each side: among the values beyond its pivot, the pivot itself, or (about one time in nine, the sampled
    // pivot having landed beyond the k-th value) among the values short of it, from a second, lower pivot.
    const double top = k <= n_hi ? select_avx512<true>(hi.data(), n_hi, k, buf_a, buf_b, 1)
                     : k <= n_hi + eq_hi ? p_hi
                                         : select_short_of<true>(v, m, k, k - n_hi - eq_hi, p_hi, hi, buf_a, buf_b);
    const double bottom = k <= n_lo ? select_avx512<false>(lo.data(), n_lo, k, buf_a, buf_b, 1)
                        : k <= n_lo + eq_lo ? p_lo
                                            : select_short_of<false>(v, m, k, k - n_lo - eq_lo, p_lo, lo, buf_a, buf_b);
    return top - bottom;
}

// s[j] -= z0 + j slope, j = 0..m-1 (elementwise: the same bits at every vector width).
[[gnu::always_inline]] inline void subtract_line_body(double* s, int m, double z0, double slope) {
#pragma omp simd
    for (int j = 0; j < m; ++j) s[j] -= z0 + j * slope;
}
__attribute__((target("avx2"))) void subtract_line_avx2(double* s, int m, double z0, double slope) {
    subtract_line_body(s, m, z0, slope);
}
__attribute__((target("avx512f"))) void subtract_line_avx512(double* s, int m, double z0, double slope) {
    subtract_line_body(s, m, z0, slope);
}

}  // namespace

// AVX2: the elementwise line subtraction only (as the former target clones); AVX-512: every loop.
const ItmTerrainSimd kItmTerrainAvx2{nullptr, nullptr, nullptr, subtract_line_avx2, nullptr};
const ItmTerrainSimd kItmTerrainAvx512{lane_sums_avx512, scan_horizons_avx512, resample_avx512, subtract_line_avx512,
                                       interdecile_avx512};

}  // namespace dxplan::prop::detail
#endif  // __x86_64__
