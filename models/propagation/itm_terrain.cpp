// ITM (Longley-Rice) v1.2.2, part (a): terrain analysis of a point-to-point profile. See itm.hpp for the
// exact definition of every value computed here and the references behind the bracketed citations.
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>

// GCC 12 warns about its own _mm512_undefined_*() inside the intrinsics (GCC PR 105593).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#include <string>

#include "libsim/core/error.hpp"
#include "models/propagation/itm.hpp"

namespace dxplan::prop {

namespace {
// Largest number of samples of the delta_h interdecile fit: 10 * 25 - 5 [Alg §3].
inline constexpr int kMaxDeltaHSamples = 245;

// The loops over the profile below run once per pixel in `dxplan coverage --mode exact`, so they are written to
// vectorise: kLanes independent partial results in a fixed order (lane l takes i0 + l, i0 + l + kLanes, ...),
// combined in a fixed order at the end. Every vector width (the target clones) and the baseline therefore
// compute the same operations in the same order and give the same bits (no FMA contraction: CMakeLists.txt).
inline constexpr int kLanes = 8;

struct LaneSums {
    double s = 0.0;    // sum of z_i
    double s_k = 0.0;  // sum of (i - c) z_i
};

double combine(const double (&v)[kLanes]) { return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7])); }

// Sums over i = i0..i1 (none if i1 < i0): lanes a, b from sample `i` on (the first i of lane 0), then combined.
void lane_sums_generic(const double* z, int i, int i1, double c, double (&a)[kLanes], double (&b)[kLanes]) {
    for (; i + kLanes - 1 <= i1; i += kLanes) {
        for (int l = 0; l < kLanes; ++l) {
            a[l] += z[i + l];
            b[l] += z[i + l] * ((i + l) - c);
        }
    }
    for (int l = 0; i <= i1; ++i, ++l) {
        a[l] += z[i];
        b[l] += z[i] * (i - c);
    }
}

// AVX-512: one vector holds the kLanes = 8 lanes; returns the first i not summed.
__attribute__((target("avx512f")))
int lane_sums_avx512(const double* z, int i, int i1, double c, double (&a)[kLanes], double (&b)[kLanes]) {
    __m512d va = _mm512_setzero_pd(), vb = _mm512_setzero_pd();
    const __m512d lane = _mm512_setr_pd(0, 1, 2, 3, 4, 5, 6, 7), cv = _mm512_set1_pd(c);
    for (; i + kLanes - 1 <= i1; i += kLanes) {
        const __m512d zz = _mm512_loadu_pd(z + i);
        const __m512d k = _mm512_sub_pd(_mm512_add_pd(_mm512_set1_pd(i), lane), cv);  // (i + l) - c, exact sum
        va = _mm512_add_pd(va, zz);
        vb = _mm512_add_pd(vb, _mm512_mul_pd(zz, k));
    }
    _mm512_storeu_pd(a, va);
    _mm512_storeu_pd(b, vb);
    return i;
}

LaneSums lane_sums(const double* z, int i0, int i1, double c) {
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    double a[kLanes] = {}, b[kLanes] = {};
    lane_sums_generic(z, avx512 ? lane_sums_avx512(z, i0, i1, c, a, b) : i0, i1, c, a, b);
    return {combine(a), combine(b)};
}

struct Horizons {
    double t_tx, t_rx;  // elevation angles
    int i_tx, i_rx;     // profile index of the horizon, -1: the other terminal (line of sight)
};

// The highest elevation angle seen from each terminal over z[1..n-1] [TN101 eq. 6.15], starting from the angles
// toward the other terminal; the first index of the maximum wins (NTIA's strict >). The maximum and its first
// index do not depend on the order of the scan, so the lanes below (a running maximum per lane with a strict >,
// then the largest lane value with the smallest index among equals) give NTIA's result on every CPU.
struct HorizonLanes {
    double bt[kLanes], bi[kLanes], rt[kLanes], ri[kLanes];  // best angle and its index per lane, tx and rx
};

Horizons reduce_lanes(const HorizonLanes& h) {
    Horizons r{h.bt[0], h.rt[0], static_cast<int>(h.bi[0]), static_cast<int>(h.ri[0])};
    for (int l = 1; l < kLanes; ++l) {
        const int i_tx = static_cast<int>(h.bi[l]), i_rx = static_cast<int>(h.ri[l]);
        if (h.bt[l] > r.t_tx || (h.bt[l] == r.t_tx && i_tx < r.i_tx)) {
            r.t_tx = h.bt[l];
            r.i_tx = i_tx;
        }
        if (h.rt[l] > r.t_rx || (h.rt[l] == r.t_rx && i_rx < r.i_rx)) {
            r.t_rx = h.rt[l];
            r.i_rx = i_rx;
        }
    }
    return r;
}

// Samples i = i_from .. n - 1 into the lanes (lane (i - i_from) % kLanes).
void scan_horizons_generic(const double* z, int n, int i_from, double x_m, double z_tx_m, double z_rx_m,
                           double half_gamma, HorizonLanes& h) {
    for (int i = i_from, l = 0; i <= n - 1; ++i, l = (l + 1) % kLanes) {
        const double k = i;
        const double d_tx_m = k * x_m;
        const double d_rx_m = (n - k) * x_m;
        const double t_tx = (z[i] - z_tx_m) / d_tx_m - d_tx_m * half_gamma;
        const double t_rx = (z[i] - z_rx_m) / d_rx_m - d_rx_m * half_gamma;
        if (t_tx > h.bt[l]) {
            h.bt[l] = t_tx;
            h.bi[l] = k;
        }
        if (t_rx > h.rt[l]) {
            h.rt[l] = t_rx;
            h.ri[l] = k;
        }
    }
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
    for (; i + kLanes - 1 <= n - 1; i += kLanes) {
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

Horizons scan_horizons(const double* z, int n, double x_m, double z_tx_m, double z_rx_m, double half_gamma,
                       double t_los_tx, double t_los_rx) {
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    HorizonLanes h;
    for (int l = 0; l < kLanes; ++l) {
        h.bt[l] = t_los_tx;
        h.rt[l] = t_los_rx;
        h.bi[l] = h.ri[l] = -1.0;
    }
    const int i_from = avx512 ? scan_horizons_avx512(z, n, x_m, z_tx_m, z_rx_m, half_gamma, h) : 1;
    scan_horizons_generic(z, n, i_from, x_m, z_tx_m, z_rx_m, half_gamma, h);
    return reduce_lanes(h);
}

// m samples at x_start + j step of the profile z[0..n], linear between its points (NTIA's dlthx: the sample
// at x lies between z[k - 1] and z[k], k = floor(x) + 1 <= n), from sample j_from on.
void resample_generic(const double* z, int n, double x_start, double step, int j_from, int m, double* s) {
    for (int j = j_from; j < m; ++j) {
        const double x = x_start + j * step;
        const int k = std::min(static_cast<int>(x) + 1, n);
        s[j] = z[k] + (z[k] - z[k - 1]) * (x - k);
    }
}

// s[j] -= z0 + j slope, j = 0..m-1 (elementwise: the same bits at every vector width).
__attribute__((target_clones("avx512f", "avx2", "default")))
void subtract_line(double* s, int m, double z0, double slope) {
#pragma omp simd
    for (int j = 0; j < m; ++j) s[j] -= z0 + j * slope;
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

void resample(const double* z, int n, double x_start, double step, int m, double* s) {
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    resample_generic(z, n, x_start, step, avx512 ? resample_avx512(z, n, x_start, step, m, s) : 0, m, s);
}

// The k-th largest (Largest) or k-th smallest of v[0..m), 1 <= k <= m <= kMaxDeltaHSamples; NTIA sorts and
// indexes, any exact selection gives the same value. AVX-512: quickselect whose partitions are vector compares
// and compress stores (8 values per step; first pivot from a sample, then the median of three) down to 24
// values, then counting; elsewhere std::nth_element.
using SelectBuffer = std::array<double, kMaxDeltaHSamples + 8>;  // + one vector of slack for the stores

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

template <bool Largest>
double select_kth(const double* v, int m, int k, SelectBuffer& buf) {
    std::copy(v, v + m, buf.begin());
    if constexpr (Largest)
        std::nth_element(buf.begin(), buf.begin() + (k - 1), buf.begin() + m, std::greater<double>());
    else
        std::nth_element(buf.begin(), buf.begin() + (k - 1), buf.begin() + m);
    return buf[static_cast<std::size_t>(k - 1)];
}

}  // namespace

ItmLineFit itm_least_squares_fit(ProfileView profile, double d_start_m, double d_end_m) {
    const int n = static_cast<int>(profile.size()) - 1;
    const auto z = profile.z_m;
    // Index range of the fit, NTIA's truncations; clamped to the profile (no effect on ITM's own calls).
    int i0 = std::min(n, static_cast<int>(std::fdim(d_start_m / profile.spacing_m, 0.0)));
    int i1 = std::max(0, n - static_cast<int>(std::fdim(static_cast<double>(n), d_end_m / profile.spacing_m)));
    if (i1 <= i0) {  // widen an empty range by one point each way
        i0 = static_cast<int>(std::fdim(static_cast<double>(i0), 1.0));
        i1 = n - static_cast<int>(std::fdim(static_cast<double>(n), i1 + 1.0));
    }
    const double len = i1 - i0;
    const double centre = i1 - 0.5 * len;  // centre index c; k = i - c runs from -L/2 to L/2
    // Trapezoid weights: the end points count 1/2.
    const LaneSums inner = lane_sums(z.data(), i0 + 1, i1 - 1, centre);
    const double sum = inner.s + 0.5 * (z[i0] + z[i1]);
    const double sum_k = inner.s_k + 0.5 * (z[i0] - z[i1]) * (-0.5 * len);
    const double mean = sum / len;
    const double slope = sum_k * 12.0 / ((len * len + 2.0) * len);  // least-squares slope, per index
    return {mean - slope * centre, mean + slope * (n - centre)};
}

double itm_interdecile_range(std::span<const double> values) {
    const auto m = static_cast<int>(values.size());
    const int k = (m + 5) / 10;  // m = 10 k - 5 [Alg §3]
    if (m < 16 || m > kMaxDeltaHSamples)
        throw InputError("ITM interdecile range: needs 16 to " + std::to_string(kMaxDeltaHSamples) + " values (got " +
                         std::to_string(m) + ")");
    // NTIA sorts descending and takes elements k-1 (exceeded by 10 %) and m-k (the k-th smallest, exceeded by
    // 90 %): the same values by selection.
    const double* v = values.data();
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    if (avx512) return interdecile_avx512(v, m, k);
    SelectBuffer buf;  // not initialised: written before read
    return select_kth<true>(v, m, k, buf) - select_kth<false>(v, m, k, buf);
}

double itm_delta_h_m(ProfileView profile, double d_start_m, double d_end_m) {
    const int n = static_cast<int>(profile.size()) - 1;
    const auto z = profile.z_m;
    const double x_start = std::max(0.0, d_start_m / profile.spacing_m);
    const double x_end = std::min(static_cast<double>(n), d_end_m / profile.spacing_m);
    if (x_end - x_start < 2.0) return 0.0;  // fewer than 2 intervals: no irregularity

    // Resample into m = 10k - 5 equally spaced points [Alg §3].
    const int k = std::clamp(static_cast<int>(0.1 * (x_end - x_start + 8.0)), 4, 25);
    const int m = 10 * k - 5;
    const double intervals = m - 1;
    const double step = (x_end - x_start) / intervals;
    std::array<double, kMaxDeltaHSamples> s;  // not initialised: the first m are written
    resample(z.data(), n, x_start, step, m, s.data());

    // Residuals from the least-squares line, then their interdecile range [Alg §3].
    const std::span<double> samples(s.data(), static_cast<std::size_t>(m));
    const ItmLineFit fit = itm_least_squares_fit(ProfileView(1.0, samples), 0.0, intervals);
    const double slope = (fit.z_end_m - fit.z_start_m) / intervals;
    subtract_line(s.data(), m, fit.z_start_m, slope);
    const double delta_h_d_m = itm_interdecile_range(samples);
    return delta_h_d_m / (1.0 - 0.8 * std::exp(-(d_end_m - d_start_m) / 50e3));  // [ERL eq. 3], inverted
}

ItmTerrainGeometry itm_analyze_profile(ProfileView profile, double h_tx_m, double h_rx_m, double n0) {
    if (profile.size() < 2)
        throw InputError("ITM profile: needs at least 2 points (got " + std::to_string(profile.size()) + ")");
    if (!(profile.spacing_m > 0.0) || !std::isfinite(profile.spacing_m))
        throw InputError("ITM profile: spacing_m must be a positive number of metres");

    const auto z = profile.z_m;
    const int n = static_cast<int>(profile.size()) - 1;
    const double x_m = profile.spacing_m;
    ItmTerrainGeometry g;
    g.h_m = {h_tx_m, h_rx_m};
    g.d_m = n * x_m;

    // 1. Mean path height ignoring the first and last 10 %, surface refractivity and earth curvature.
    const int p10 = static_cast<int>(0.1 * n);
    const double h_sys_m = lane_sums(z.data(), p10, n - p10, 0.0).s / (n - 2 * p10 + 1);
    g.N_s = (h_sys_m == 0.0) ? n0 : n0 * std::exp(-h_sys_m / 9460.0);   // [TN101 eq. 4.3]
    g.gamma_e_per_m = 157e-9 * (1.0 - 0.04665 * std::exp(g.N_s / 179.3));  // [TN101 eq. 4.4]
    const double half_gamma = 0.5 * g.gamma_e_per_m;  // d / (2 a_e)

    // 2. Horizons: the highest elevation angle seen from each terminal [TN101 eq. 6.15].
    const double d_m = g.d_m;
    const double z_tx_m = z[0] + h_tx_m;
    const double z_rx_m = z[n] + h_rx_m;
    g.theta_hzn = {(z_rx_m - z_tx_m) / d_m - d_m * half_gamma, (z_tx_m - z_rx_m) / d_m - d_m * half_gamma};
    g.d_hzn_m = {d_m, d_m};
    const Horizons h = scan_horizons(z.data(), n, x_m, z_tx_m, z_rx_m, half_gamma, g.theta_hzn[0], g.theta_hzn[1]);
    if (h.i_tx >= 0) {
        g.theta_hzn[0] = h.t_tx;
        g.d_hzn_m[0] = h.i_tx * x_m;
    }
    if (h.i_rx >= 0) {
        g.theta_hzn[1] = h.t_rx;
        g.d_hzn_m[1] = (n - h.i_rx) * x_m;
    }

    // 3. Terrain irregularity, ignoring the foreground of each terminal [TR 82-100 p. 25].
    const double d_start_m = std::min(15.0 * h_tx_m, 0.1 * g.d_hzn_m[0]);
    const double d_end_m = d_m - std::min(15.0 * h_rx_m, 0.1 * g.d_hzn_m[1]);
    g.delta_h_m = itm_delta_h_m(profile, d_start_m, d_end_m);

    // 4. Effective heights above the fitted terrain [Alg §3].
    if (g.d_hzn_m[0] + g.d_hzn_m[1] > 1.5 * d_m) {
        // Well within line of sight: horizons from the smooth-earth formulas of area mode.
        const ItmLineFit fit = itm_least_squares_fit(profile, d_start_m, d_end_m);
        g.h_e_m = {h_tx_m + std::fdim(z[0], fit.z_start_m), h_rx_m + std::fdim(z[n], fit.z_end_m)};
        itm_smooth_earth_horizons(g, d_m);
    } else {
        // Trans-horizon: fit each terminal's foreground up to 90 % of its horizon distance.
        const ItmLineFit fit_tx = itm_least_squares_fit(profile, d_start_m, 0.9 * g.d_hzn_m[0]);
        const ItmLineFit fit_rx = itm_least_squares_fit(profile, d_m - 0.9 * g.d_hzn_m[1], d_end_m);
        g.h_e_m = {h_tx_m + std::fdim(z[0], fit_tx.z_start_m), h_rx_m + std::fdim(z[n], fit_rx.z_end_m)};
    }
    return g;
}

void itm_smooth_earth_horizons(ItmTerrainGeometry& g, double d_m) {
    const double a_e_m = 1.0 / g.gamma_e_per_m;
    auto horizon = [&](double h_e_m) {  // [Alg 3.3]
        return std::sqrt(2.0 * h_e_m * a_e_m) * std::exp(-0.07 * std::sqrt(g.delta_h_m / std::max(h_e_m, 5.0)));
    };
    for (int j = 0; j < 2; ++j) g.d_hzn_m[j] = horizon(g.h_e_m[j]);
    const double d_ml_m = g.d_hzn_m[0] + g.d_hzn_m[1];
    if (d_ml_m <= d_m) {  // raise the effective heights until the horizons reach the path length
        const double q = (d_m / d_ml_m) * (d_m / d_ml_m);
        for (int j = 0; j < 2; ++j) {
            g.h_e_m[j] *= q;
            g.d_hzn_m[j] = horizon(g.h_e_m[j]);
        }
    }
    for (int j = 0; j < 2; ++j) {
        const double q = std::sqrt(2.0 * g.h_e_m[j] * a_e_m);
        g.theta_hzn[j] = (0.65 * g.delta_h_m * (q / g.d_hzn_m[j] - 1.0) - 2.0 * g.h_e_m[j]) / q;  // [Alg 3.4]
    }
}

}  // namespace dxplan::prop
