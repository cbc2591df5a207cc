// ITM part (b) over structure-of-arrays batches: one kernel, written once over a vector width, compiled for
// AVX-512 (eight lanes per __m512d) and for AVX2 + FMA (four lanes per __m256d) and chosen at run time, and the
// scalar itm_p2p_from_geometry() loop elsewhere. Each function of the kernel is the lane-wise form of the itm.cpp
// function of the same name and cites the same equations; references: itm.hpp. The arithmetic is written in
// itm.cpp's order, without FMA contraction (-ffp-contract=off, models/propagation/CMakeLists.txt), so lanes differ
// from the scalar code only by the rounding of libmvec's log/exp/log10/cbrt/sin/cos/pow against libm's.
// A branch of itm.cpp is a blend here; an expensive branch is computed only when a lane of the group takes it, and
// a lane's value never depends on whether its neighbours made the branch run.
//
// How the two widths share one kernel: the lane-wise primitives (broadcast, compare, blend, libmvec calls, ...)
// are overloads on the vector type, defined in `#pragma GCC target` regions (Avx2, Avx512 below). The kernel
// (Kernel<Simd>) is a class template outside those regions whose functions are all always_inline: it is compiled
// only inlined into the entry functions avx2_lanes() / avx512_lanes(), which carry the target, so no AVX-512
// instruction reaches the AVX2 path and no code of the kernel runs outside its target.
//
// This file holds the x86 kernels only (x86-64 builds without -DDXPLAN_PORTABLE=ON; guarded by __x86_64__ as
// well); the scalar lanes, the checks and the choice of kernel are in itm_batch.cpp.
#if defined(__x86_64__)
#include "models/propagation/itm_batch_x86.hpp"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "libsim/core/numbers.hpp"
#include "libsim/core/units.hpp"
#include "models/propagation/itm_tables.hpp"

// ---- AVX2 + FMA primitives: four lanes, masks as all-ones lanes of a __m256d ----------------------------------
#pragma GCC push_options
#pragma GCC target("avx2,fma")

// glibc libmvec, AVX2 variants (x86_64 vector function ABI, ymm registers; accuracy <= 4 ulp).
extern "C" {
__m256d _ZGVdN4v_log(__m256d x);
__m256d _ZGVdN4v_exp(__m256d x);
__m256d _ZGVdN4v_log10(__m256d x);
__m256d _ZGVdN4v_cbrt(__m256d x);
__m256d _ZGVdN4v_sin(__m256d x);
__m256d _ZGVdN4v_cos(__m256d x);
__m256d _ZGVdN4vv_pow(__m256d x, __m256d y);
}

namespace dxplan::prop {
namespace {

struct Avx2 {
    using V = __m256d;  // GCC's vector extensions give + - * / and scalar broadcast in expressions
    using M = __m256d;  // lane masks
    using W = __m256i;  // the warning bits of each lane, in 64-bit lanes
    using I = __m128i;  // 32-bit table indices
    static constexpr std::size_t n = 4;
    static V bc(double x) { return _mm256_set1_pd(x); }
    static M none() { return _mm256_setzero_pd(); }
    static W no_warnings() { return _mm256_setzero_si256(); }
    static V load(const double* x) { return _mm256_loadu_pd(x); }
    static void store(double* to, V x) { _mm256_storeu_pd(to, x); }
    static void store(std::uint64_t* to, W x) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(to), x); }
    static unsigned bits(M m) { return static_cast<unsigned>(_mm256_movemask_pd(m)); }
};

// Lane-wise operations. Comparisons as in C++ (false when a NaN is involved, except ne).
inline __m256d vsqrt(__m256d x) { return _mm256_sqrt_pd(x); }
inline __m256d vlog(__m256d x) { return _ZGVdN4v_log(x); }
inline __m256d vexp(__m256d x) { return _ZGVdN4v_exp(x); }
inline __m256d vlog10(__m256d x) { return _ZGVdN4v_log10(x); }
inline __m256d vcbrt(__m256d x) { return _ZGVdN4v_cbrt(x); }
inline __m256d vsin(__m256d x) { return _ZGVdN4v_sin(x); }
inline __m256d vcos(__m256d x) { return _ZGVdN4v_cos(x); }
inline __m256d vpow(__m256d x, __m256d y) { return _ZGVdN4vv_pow(x, y); }
inline __m256d lt(__m256d a, __m256d b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
inline __m256d le(__m256d a, __m256d b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
inline __m256d gt(__m256d a, __m256d b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
inline __m256d ge(__m256d a, __m256d b) { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
inline __m256d ne(__m256d a, __m256d b) { return _mm256_cmp_pd(a, b, _CMP_NEQ_UQ); }
inline __m256d eq(__m256d a, __m256d b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
inline __m256d vand(__m256d a, __m256d b) { return _mm256_and_pd(a, b); }
inline __m256d vor(__m256d a, __m256d b) { return _mm256_or_pd(a, b); }
inline __m256d vnot(__m256d a) { return _mm256_xor_pd(a, _mm256_castsi256_pd(_mm256_set1_epi64x(-1))); }
inline __m256d sel(__m256d mask, __m256d if_true, __m256d if_false) {
    return _mm256_blendv_pd(if_false, if_true, mask);
}
inline bool any(__m256d mask) { return _mm256_movemask_pd(mask) != 0; }
inline bool all(__m256d mask) { return _mm256_movemask_pd(mask) == 0xF; }
// std::min(a, b) = b < a ? b : a and std::max(a, b) = a < b ? b : a, NaN included.
inline __m256d vmin(__m256d a, __m256d b) { return _mm256_min_pd(b, a); }
inline __m256d vmax(__m256d a, __m256d b) { return _mm256_max_pd(b, a); }
inline __m256d vabs(__m256d a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }
// Sets `bit` in the warnings of the lanes of `mask`.
inline void flag(__m256i& w, __m256d mask, std::uint32_t bit) {
    w = _mm256_or_si256(w, _mm256_and_si256(_mm256_castpd_si256(mask), _mm256_set1_epi64x(bit)));
}
// Table look-up and index arithmetic for H_0.
inline __m128i truncate(__m256d x) { return _mm256_cvttpd_epi32(x); }
inline __m256d to_double(__m128i i) { return _mm256_cvtepi32_pd(i); }
inline __m128i add(__m128i i, int j) { return _mm_add_epi32(i, _mm_set1_epi32(j)); }
inline __m128i min(__m128i i, int j) { return _mm_min_epi32(i, _mm_set1_epi32(j)); }
inline __m256d gather(const double* table, __m128i i) {  // the masked form: GCC 12's unmasked one warns
    return _mm256_mask_i32gather_pd(_mm256_setzero_pd(), table, i, _mm256_castsi256_pd(_mm256_set1_epi64x(-1)), 8);
}

}  // namespace
}  // namespace dxplan::prop

#pragma GCC pop_options

// ---- AVX-512 primitives: eight lanes, masks as __mmask8 ------------------------------------------------------
#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx512vl,avx512bw")

// glibc libmvec, AVX-512 variants (x86_64 vector function ABI, zmm registers; accuracy <= 4 ulp).
extern "C" {
__m512d _ZGVeN8v_log(__m512d x);
__m512d _ZGVeN8v_exp(__m512d x);
__m512d _ZGVeN8v_log10(__m512d x);
__m512d _ZGVeN8v_cbrt(__m512d x);
__m512d _ZGVeN8v_sin(__m512d x);
__m512d _ZGVeN8v_cos(__m512d x);
__m512d _ZGVeN8vv_pow(__m512d x, __m512d y);
}

namespace dxplan::prop {
namespace {

struct Avx512 {
    using V = __m512d;
    using M = __mmask8;
    using W = __m512i;
    using I = __m256i;
    static constexpr std::size_t n = 8;
    static V bc(double x) { return _mm512_set1_pd(x); }
    static M none() { return 0; }
    static W no_warnings() { return _mm512_setzero_si512(); }
    static V load(const double* x) { return _mm512_loadu_pd(x); }
    static void store(double* to, V x) { _mm512_storeu_pd(to, x); }
    static void store(std::uint64_t* to, W x) { _mm512_storeu_si512(to, x); }
    static unsigned bits(M m) { return m; }
};

// Here and below, the masked forms with all lanes set: GCC 12's unmasked ones warn (-Wmaybe-uninitialized).
inline __m512d vsqrt(__m512d x) { return _mm512_maskz_sqrt_pd(0xFF, x); }
inline __m512d vlog(__m512d x) { return _ZGVeN8v_log(x); }
inline __m512d vexp(__m512d x) { return _ZGVeN8v_exp(x); }
inline __m512d vlog10(__m512d x) { return _ZGVeN8v_log10(x); }
inline __m512d vcbrt(__m512d x) { return _ZGVeN8v_cbrt(x); }
inline __m512d vsin(__m512d x) { return _ZGVeN8v_sin(x); }
inline __m512d vcos(__m512d x) { return _ZGVeN8v_cos(x); }
inline __m512d vpow(__m512d x, __m512d y) { return _ZGVeN8vv_pow(x, y); }
inline __mmask8 lt(__m512d a, __m512d b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
inline __mmask8 le(__m512d a, __m512d b) { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
inline __mmask8 gt(__m512d a, __m512d b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
inline __mmask8 ge(__m512d a, __m512d b) { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
inline __mmask8 ne(__m512d a, __m512d b) { return _mm512_cmp_pd_mask(a, b, _CMP_NEQ_UQ); }
inline __mmask8 eq(__m512d a, __m512d b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
inline __mmask8 vand(__mmask8 a, __mmask8 b) { return a & b; }
inline __mmask8 vor(__mmask8 a, __mmask8 b) { return a | b; }
inline __mmask8 vnot(__mmask8 a) { return static_cast<__mmask8>(~a); }
inline __m512d sel(__mmask8 mask, __m512d if_true, __m512d if_false) {
    return _mm512_mask_blend_pd(mask, if_false, if_true);
}
inline bool any(__mmask8 mask) { return mask != 0; }
inline bool all(__mmask8 mask) { return mask == 0xFF; }
inline __m512d vmin(__m512d a, __m512d b) { return _mm512_maskz_min_pd(0xFF, b, a); }
inline __m512d vmax(__m512d a, __m512d b) { return _mm512_maskz_max_pd(0xFF, b, a); }
inline __m512d vabs(__m512d a) { return _mm512_andnot_pd(_mm512_set1_pd(-0.0), a); }
inline void flag(__m512i& w, __mmask8 mask, std::uint32_t bit) {
    w = _mm512_mask_or_epi64(w, mask, w, _mm512_set1_epi64(bit));
}
inline __m256i truncate(__m512d x) { return _mm512_maskz_cvttpd_epi32(0xFF, x); }
inline __m512d to_double(__m256i i) { return _mm512_maskz_cvtepi32_pd(0xFF, i); }
inline __m256i add(__m256i i, int j) { return _mm256_add_epi32(i, _mm256_set1_epi32(j)); }
inline __m256i min(__m256i i, int j) { return _mm256_min_epi32(i, _mm256_set1_epi32(j)); }
inline __m512d gather(const double* table, __m256i i) {
    return _mm512_mask_i32gather_pd(_mm512_setzero_pd(), 0xFF, i, table, 8);
}

}  // namespace
}  // namespace dxplan::prop

#pragma GCC pop_options

// ---- The kernel, for either width --------------------------------------------------------------------------------
// -Wpsabi would note that the vector arguments of Kernel's functions change the ABI outside the targets; they are
// always inlined into the targeted entry functions and never called. (GCC reports it at the end of the file, where
// the templates are instantiated: no diagnostic pop.)
#pragma GCC diagnostic ignored "-Wpsabi"

namespace dxplan::prop {
namespace {

// T is Avx2 or Avx512: the vector V, mask M, warnings W and index I types, n lanes, broadcast / load / store.
template <class T>
struct Kernel {
    using V = typename T::V;
    using M = typename T::M;
    using W = typename T::W;
    using I = typename T::I;

    // std::fdim: a - b if a > b, +0 if a <= b, NaN if either is NaN
    [[gnu::always_inline]] static V fdim(V a, V b) {
        const V d = a - b;
        return sel(le(a, b), T::bc(0.0), d);
    }

    struct Lanes {
        V d_m;
        V h_m[2], h_e_m[2], d_hzn_m[2], theta_hzn[2];  // [tx, rx]
        V delta_h_m, n_s, gamma_e_per_m;
    };

    [[gnu::always_inline]] static V terrain_roughness_m(V d_m, V delta_h_m) {
        return delta_h_m * (1.0 - 0.8 * vexp(-d_m / 50e3));  // delta_h(d) [ERL eq. 3]
    }

    [[gnu::always_inline]] static V sigma_h_m(V delta_h_m) {
        return 0.78 * delta_h_m * vexp(-0.5 * vsqrt(vsqrt(delta_h_m)));  // rms terrain deviation [ERL eq. 3.6a]
    }

    // Knife-edge loss A(v, 0) from v^2 [TN101v2 eq. III.24b/c, ERL eq. 3.27].
    [[gnu::always_inline]] static V fresnel_db(V v2) {
        const M small = lt(v2, T::bc(5.76));  // v < 2.4
        const V a_small = 6.02 + 9.11 * vsqrt(v2) - 1.27 * v2;
        if (all(small)) return a_small;
        return sel(small, a_small, 12.953 + 10.0 * vlog10(v2));
    }

    // Double knife-edge diffraction at distance d [TN101 eq. I.1, I.7].
    [[gnu::always_inline]] static V knife_edge_db(V d_m, const Lanes& p, const ItmPrepared& k, V a_e_m, V theta_los) {
        const V d_ml_m = p.d_hzn_m[0] + p.d_hzn_m[1];
        const V theta_nlos = d_m / a_e_m - theta_los;  // [Alg 4.12]
        const V d_nlos_m = d_m - d_ml_m;
        const V kk = 0.0795775 * (k.params.f_mhz / 47.7) * theta_nlos * theta_nlos;  // [TN101 eq. I.7]
        const V v1 = kk * p.d_hzn_m[0] * d_nlos_m / (d_nlos_m + p.d_hzn_m[0]);
        const V v2 = kk * p.d_hzn_m[1] * d_nlos_m / (d_nlos_m + p.d_hzn_m[1]);
        return fresnel_db(v1) + fresnel_db(v2);  // [TN101 eq. I.1]
    }

    // Height-gain function F(x, K) of smooth-earth diffraction [Alg §6, Vogler].
    [[gnu::always_inline]] static V height_gain_db(V x_km, V k_v) {
        const M near = lt(x_km, T::bc(200.0));
        const V log_x = vlog(x_km);
        V f_near = T::bc(0.0), f_far = T::bc(0.0);
        if (any(near)) {
            const V w = -vlog(k_v);
            const M flat = vor(lt(k_v, T::bc(1e-5)), gt(x_km * w * w * w, T::bc(5495.0)));
            const V f_flat = sel(gt(x_km, T::bc(1.0)), -117.0 + 17.372 * log_x, T::bc(-117.0));
            f_near = sel(flat, f_flat, 2.5e-5 * x_km * x_km / k_v - 8.686 * w - 15.0);
        }
        if (!all(near)) {
            f_far = 0.05751 * x_km - 4.343 * log_x;
            const M mid = lt(x_km, T::bc(2000.0));
            if (any(vand(vnot(near), mid))) {
                const V w = 0.0134 * x_km * vexp(-0.005 * x_km);
                f_far = sel(mid, (1.0 - w) * f_far + w * (17.372 * log_x - 117.0), f_far);
            }
        }
        return sel(near, f_near, f_far);
    }

    // Vogler's x and K for a radius a_m over d_km [Vogler eq. 2, 6a/7a, fig. 4].
    [[gnu::always_inline]] static void vogler_x_k(const ItmPrepared& k, V a_m, V d_km, V& x_km, V& k_v) {
        const V c0 = vcbrt((4.0 / 3.0) * itm_tables::kA0_m / a_m);  // (4/3k)^(1/3) [Vogler eq. 2]
        k_v = c0 * k.k_vogler;                                       // [Vogler eq. 6a/7a]
        const V b0 = 1.607 - k_v;                                    // [Vogler fig. 4]
        x_km = b0 * c0 * c0 * k.f_third * d_km;                      // [Vogler eq. 2]
    }

    struct DiffractionTerms {
        V x_terminals_km, height_gain_db, a_fo_db, term;  // as in itm.cpp
    };

    [[gnu::always_inline]] static DiffractionTerms diffraction_terms(const Lanes& p, const ItmPrepared& k, V d_sml_m) {
        DiffractionTerms t;
        V x_km[2], k_v[2];
        for (std::size_t j = 0; j < 2; ++j)  // terminal radii [Vogler eq. 3]
            vogler_x_k(k, 0.5 * p.d_hzn_m[j] * p.d_hzn_m[j] / p.h_e_m[j], p.d_hzn_m[j] / 1000.0, x_km[j], k_v[j]);
        t.x_terminals_km = x_km[0] + x_km[1];
        t.height_gain_db = height_gain_db(x_km[0], k_v[0]) + height_gain_db(x_km[1], k_v[1]);
        const V sigma_h_d = sigma_h_m(terrain_roughness_m(d_sml_m, p.delta_h_m));  // at d_sML [ERL p. 3-13]
        t.a_fo_db = vmin(T::bc(15.0),
                         5.0 * vlog10(1.0 + 1e-5 * p.h_m[0] * p.h_m[1] * k.params.f_mhz * sigma_h_d));  // [ERL eq. 3.38c]
        V q = p.h_m[0] * p.h_m[1];
        const V qk = p.h_e_m[0] * p.h_e_m[1] - q;
        q = q + 10.0;  // C ~ 10 for low antennas with known path [ERL p. 3-8]
        t.term = vsqrt(1.0 + qk / q);
        return t;
    }

    // Smooth-earth diffraction, Vogler's three-radii method [Alg 4.20, Vogler eq. 2, 6a, 13; TN101 eq. 8.4].
    [[gnu::always_inline]] static V smooth_earth_db(V d_m, const Lanes& p, const ItmPrepared& k,
                                                    const DiffractionTerms& t, V a_e_m, V theta_los) {
        const V theta_nlos = d_m / a_e_m - theta_los;  // [Alg 4.12]
        const V d_ml_m = p.d_hzn_m[0] + p.d_hzn_m[1];
        const V a0_m = (d_m - d_ml_m) / (d_m / a_e_m - theta_los);  // radius of the diffraction path
        V x_km, k_v;
        vogler_x_k(k, a0_m, a0_m * theta_nlos / 1000.0, x_km, k_v);
        x_km = x_km + t.x_terminals_km;
        const V g_db = 0.05751 * x_km - 10.0 * vlog10(x_km);  // distance function [TN101 eq. 8.4]
        return g_db - t.height_gain_db - 20.0;                // [Alg 4.20]
    }

    // Diffraction attenuation [Alg §4, ERL eq. 3.23, 3.38c].
    [[gnu::always_inline]] static V diffraction_db(V d_m, const Lanes& p, const ItmPrepared& k,
                                                   const DiffractionTerms& t, V a_e_m, V theta_los) {
        const V a_k = knife_edge_db(d_m, p, k, a_e_m, theta_los);
        const V a_se = smooth_earth_db(d_m, p, k, t, a_e_m, theta_los);
        const V delta_h_d = terrain_roughness_m(d_m, p.delta_h_m);
        const V d_ml_m = p.d_hzn_m[0] + p.d_hzn_m[1];
        const V q =
            (t.term + (-theta_los * a_e_m + d_ml_m) / d_m) * vmin(delta_h_d * k.params.f_mhz / 47.7, T::bc(6283.2));
        const V w = 25.1 / (25.1 + vsqrt(q));  // weighting factor [ERL eq. 3.23]
        return w * a_se + (1.0 - w) * a_k + t.a_fo_db;
    }

    // Line-of-sight attenuation: two-ray with a rough-earth reflection, blended with the extended diffraction line
    // [Alg §4, eq. 4.46-4.50].
    [[gnu::always_inline]] static V line_of_sight_db(V d_m, const Lanes& p, const ItmPrepared& k, V m_d, V a_d0_db,
                                                     V d_sml_m) {
        const V sigma_h_d = sigma_h_m(terrain_roughness_m(d_m, p.delta_h_m));
        const double wn = k.params.f_mhz / 47.7;  // wave number, 1/m
        const V h_sum = p.h_e_m[0] + p.h_e_m[1];
        const V sin_psi = h_sum / vsqrt(d_m * d_m + h_sum * h_sum);  // [Alg 4.46]
        // R_e [Alg 4.47], complex arithmetic written out as in itm.cpp.
        const V n_re = sin_psi - k.z_g_re, d_re = sin_psi + k.z_g_re;
        const double z_im = k.z_g_im;
        const V scale = vexp(-vmin(T::bc(10.0), wn * sigma_h_d * sin_psi)) / (d_re * d_re + z_im * z_im);
        V re = (n_re * d_re - z_im * z_im) * scale;
        V im = -z_im * (n_re + d_re) * scale;
        const V q = re * re + im * im;  // [Alg 4.48]
        const M small = vor(lt(q, T::bc(0.25)), lt(q, sin_psi));
        const V s = vsqrt(sin_psi / q);
        re = sel(small, re * s, re);
        im = sel(small, im * s, im);
        V delta_phi = wn * 2.0 * p.h_e_m[0] * p.h_e_m[1] / d_m;  // phase difference [Alg 4.49]
        delta_phi = sel(gt(delta_phi, T::bc(kPi / 2.0)), kPi - (kPi / 2.0) * (kPi / 2.0) / delta_phi,
                        delta_phi);  // [Alg 4.50]
        const V rr_re = vcos(delta_phi) + re, rr_im = -vsin(delta_phi) + im;
        const V a_t = -10.0 * vlog10(rr_re * rr_re + rr_im * rr_im);  // two-ray attenuation [Alg §4]
        const V a_d = m_d * d_m + a_d0_db;                            // extended diffraction line [Alg §4]
        const V w = 1.0 / (1.0 + k.params.f_mhz * p.delta_h_m / vmax(T::bc(10e3), d_sml_m));  // [Alg §4]
        return w * a_t + (1.0 - w) * a_d;
    }

    // F(theta d) of the scatter attenuation [Alg 6.9].
    [[gnu::always_inline]] static V f_function_db(V td_m) {
        using namespace itm_tables;
        const M le10 = le(td_m, T::bc(10e3)), le70 = le(td_m, T::bc(70e3));
        const V a = sel(le10, T::bc(kF_a[0]), sel(le70, T::bc(kF_a[1]), T::bc(kF_a[2])));
        const V b = sel(le10, T::bc(kF_b[0]), sel(le70, T::bc(kF_b[1]), T::bc(kF_b[2])));
        const V c = sel(le10, T::bc(kF_c[0]), sel(le70, T::bc(kF_c[1]), T::bc(kF_c[2])));
        return a + b * td_m + c * vlog10(td_m);
    }

    [[gnu::always_inline]] static V h0_curve_db(I j, V r) {  // [Alg 6.13]
        const V a = gather(itm_tables::kH0_a, j);
        const V b = gather(itm_tables::kH0_b, j);
        const V inv = 1.0 / r;
        return 10.0 * vlog10(1.0 + a * inv * inv * inv * inv + b * inv * inv);
    }

    [[gnu::always_inline]] static V h0_function_db(V r, V eta_s) {  // frequency gain H_0 [TN101v1 ch. 9.2, Alg 6.13]
        // std::clamp(eta_s, 1, 5); a NaN lane (a rejected geometry) becomes 5, keeping the table index in range.
        eta_s = vmax(T::bc(1.0), vmin(T::bc(5.0), eta_s));
        const I i = truncate(eta_s);
        const V q = eta_s - to_double(i);
        const V h = h0_curve_db(add(i, -1), r);
        const M interpolate = ne(q, T::bc(0.0));
        if (!any(interpolate)) return h;
        const V h_next = h0_curve_db(min(i, 4), r);  // i = 5 only with q = 0
        return sel(interpolate, (1.0 - q) * h + q * h_next, h);  // interpolate between curves
    }

    // Troposcatter attenuation at distance d [Alg 4.63-4.67, TN101 eq. 9.3a-9.5]; h0_db carries H_0 between the
    // calls at d_6 and d_5 (negative: not yet computed).
    [[gnu::always_inline]] static V troposcatter_db(V d_m, const Lanes& p, const ItmPrepared& k, V a_e_m, V theta_los,
                                                    V& h0_db) {
        const double wn = k.params.f_mhz / 47.7;
        const M keep = gt(h0_db, T::bc(15.0));  // keep the value found at d_6 [Alg p. 12]
        V h0 = h0_db;
        M undefined = T::none();
        if (!all(keep)) {
            V ad = p.d_hzn_m[0] - p.d_hzn_m[1];
            V rr = p.h_e_m[1] / p.h_e_m[0];
            const M swap = lt(ad, T::bc(0.0));
            ad = sel(swap, -ad, ad);
            rr = sel(swap, 1.0 / rr, rr);
            const V theta = p.theta_hzn[0] + p.theta_hzn[1] + d_m / a_e_m;  // angular distance
            const V r1 = 2.0 * wn * theta * p.h_e_m[0];                      // [TN101 eq. 9.4a]
            const V r2 = 2.0 * wn * theta * p.h_e_m[1];
            undefined = vand(vnot(keep), vand(lt(r1, T::bc(0.2)), lt(r2, T::bc(0.2))));  // A_scat undefined [Alg p. 11]
            V s = (d_m - ad) / (d_m + ad);                                 // asymmetry
            const V q = vmin(vmax(T::bc(0.1), rr / s), T::bc(10.0));             // truncated at 0.1 and 10 [Alg p. 16]
            s = vmax(T::bc(0.1), s);
            const V h0_m = (d_m - ad) * (d_m + ad) * theta * 0.25 / d_m;  // cross-over height [Alg 4.66]
            constexpr double z0_m = 1.7556e3;  // scale heights [Alg 4.67]
            constexpr double z1_m = 8.0e3;
            const V eta_s = (h0_m / z0_m) *
                (1.0 + (0.031 - p.n_s * 2.32e-3 + p.n_s * p.n_s * 5.67e-6) *
                           vexp(-vpow(vmin(T::bc(1.7), h0_m / z1_m), T::bc(6.0))));  // [TN101 eq. 9.3a]
            const V h00 = (h0_function_db(r1, eta_s) + h0_function_db(r2, eta_s)) / 2.0;  // [TN101 eq. 9.5]
            const V dh0 = vmin(h00, 6.0 * (0.6 - vlog10(vmax(eta_s, T::bc(1.0)))) * vlog10(s) * vlog10(q));
            V h = vmax(h00 + dh0, T::bc(0.0));  // [TN101v1 p. 9-4]
            const M low = lt(eta_s, T::bc(1.0));
            if (any(low)) {  // interpolate towards eta_s = 0
                const double sq2 = std::sqrt(2.0);
                const V t = (1.0 + sq2 / r1) * (1.0 + sq2 / r2);
                h = sel(low, eta_s * h + (1.0 - eta_s) * 10.0 * vlog10(t * t * (r1 + r2) / (r1 + r2 + 2.0 * sq2)), h);
            }
            h = sel(vand(gt(h, T::bc(15.0)), ge(h0_db, T::bc(0.0))), h0_db, h);  // [Alg p. 12]
            h0 = sel(vor(keep, undefined), h0_db, h);
        }
        h0_db = h0;
        const V th = d_m / a_e_m - theta_los;
        constexpr double d0_m = 40e3;  // [Alg 6.8]
        constexpr double h_m = 47.7;   // [Alg 4.63]
        const V a = f_function_db(th * d_m) + 10.0 * vlog10(wn * h_m * th * th * th * th) -
                    0.1 * (p.n_s - 301.0) * vexp(-th * d_m / d0_m) + h0;  // [Alg 4.63]
        return sel(undefined, T::bc(1001.0), a);
    }

    // The (C1 + C2 / (1 + ((d_e - x2)/x3)^2)) (d_e/x1)^2 / (1 + (d_e/x1)^2) curves [TN101v2 eq. III.69-70].
    [[gnu::always_inline]] static V curve(double c1, double c2, double x1, double x2, double x3, V d_e_m) {
        const V t = (d_e_m - x2) / x3;
        const V u = (d_e_m / x1) * (d_e_m / x1);
        return (c1 + c2 / (1.0 + t * t)) * u / (1.0 + u);
    }

    // Reference attenuation [Alg §4]; sets the warning bits and the error mask (where itm.cpp throws).
    [[gnu::always_inline]] static V reference_attenuation(const Lanes& p, const ItmPrepared& k, W& w, M& error) {
        const V a_e_m = 1.0 / p.gamma_e_per_m;
        // Smooth-earth horizons [Alg §4].
        const V d_hzn_s_m[2] = {vsqrt(2.0 * p.h_e_m[0] * a_e_m), vsqrt(2.0 * p.h_e_m[1] * a_e_m)};
        const V d_sml_m = d_hzn_s_m[0] + d_hzn_s_m[1];                         // [Alg §4]
        const V d_ml_m = p.d_hzn_m[0] + p.d_hzn_m[1];                          // [Alg §4]
        const V theta_los = -vmax(p.theta_hzn[0] + p.theta_hzn[1], -d_ml_m / a_e_m);  // [Alg §4]

        flag(w, gt(vabs(p.theta_hzn[0]), T::bc(200e-3)), itm_warning::tx_horizon_angle);
        flag(w, gt(vabs(p.theta_hzn[1]), T::bc(200e-3)), itm_warning::rx_horizon_angle);
        flag(w, lt(p.d_hzn_m[0], 0.1 * d_hzn_s_m[0]), itm_warning::tx_horizon_distance_1);
        flag(w, lt(p.d_hzn_m[1], 0.1 * d_hzn_s_m[1]), itm_warning::rx_horizon_distance_1);
        flag(w, gt(p.d_hzn_m[0], 3.0 * d_hzn_s_m[0]), itm_warning::tx_horizon_distance_2);
        flag(w, gt(p.d_hzn_m[1], 3.0 * d_hzn_s_m[1]), itm_warning::rx_horizon_distance_2);
        error = vor(error, vor(lt(p.n_s, T::bc(150.0)), gt(p.n_s, T::bc(400.0))));  // N_s in [150, 400]
        flag(w, lt(p.n_s, T::bc(250.0)), itm_warning::surface_refractivity);
        error = vor(error, vor(lt(a_e_m, T::bc(4000000.0)), gt(a_e_m, T::bc(13333333.0))));  // a_e in [4000, 13333] km

        // Diffraction line through two distances far in the diffraction region [Alg §4].
        const V x_ae = vcbrt(a_e_m * a_e_m / k.params.f_mhz);
        const V d3_m = vmax(d_sml_m, d_ml_m + 5.0 * x_ae);
        const V d4_m = d3_m + 10.0 * x_ae;
        const DiffractionTerms terms = diffraction_terms(p, k, d_sml_m);
        const V a3 = diffraction_db(d3_m, p, k, terms, a_e_m, theta_los);
        const V a4 = diffraction_db(d4_m, p, k, terms, a_e_m, theta_los);
        const V m_d = (a4 - a3) / (d4_m - d3_m);  // slope
        const V a_d0 = a3 - m_d * d3_m;           // intercept

        const V d_m = p.d_m;
        flag(w, lt(d_m, vabs(p.h_e_m[0] - p.h_e_m[1]) / 200e-3), itm_warning::path_distance_too_small_1);
        flag(w, lt(d_m, T::bc(1e3)), itm_warning::path_distance_too_small_2);
        flag(w, gt(d_m, T::bc(1000e3)), itm_warning::path_distance_too_big_1);
        flag(w, gt(d_m, T::bc(2000e3)), itm_warning::path_distance_too_big_2);

        const M los = lt(d_m, d_sml_m);
        V a_los = T::bc(0.0), a_beyond = T::bc(0.0);
        if (any(los)) {
            // Line of sight: A_ref = A_o + k1 d + k2 ln d through three points [ERL eq. 3.16-3.21, Alg §4].
            const V a_sml = d_sml_m * m_d + a_d0;
            V d0_m = 0.04 * k.params.f_mhz * p.h_e_m[0] * p.h_e_m[1];  // [ERL eq. 3.16a]
            const M ad0_pos = ge(a_d0, T::bc(0.0));
            d0_m = sel(ad0_pos, vmin(d0_m, 0.5 * d_ml_m), d0_m);                   // [ERL eq. 3.16a]
            const V d1_m = sel(ad0_pos, d0_m + 0.25 * (d_ml_m - d0_m),               // [ERL eq. 3.16d]
                               vmax(-a_d0 / m_d, 0.25 * d_ml_m));
            const V a1 = line_of_sight_db(d1_m, p, k, m_d, a_d0, d_sml_m);
            M fitted = T::none();
            V k1 = T::bc(0.0), k2 = T::bc(0.0);
            const M three_points = vand(los, lt(d0_m, d1_m));
            if (any(three_points)) {
                const V a0 = line_of_sight_db(d0_m, p, k, m_d, a_d0, d_sml_m);
                const V q = vlog(d_sml_m / d0_m);
                k2 = vmax(T::bc(0.0), ((d_sml_m - d0_m) * (a1 - a0) - (d1_m - d0_m) * (a_sml - a0)) /
                                       ((d_sml_m - d0_m) * vlog(d1_m / d0_m) - (d1_m - d0_m) * q));  // [ERL eq. 3.20]
                fitted = vand(three_points, vor(gt(a_d0, T::bc(0.0)), gt(k2, T::bc(0.0))));
                k1 = (a_sml - a0 - k2 * q) / (d_sml_m - d0_m);  // [ERL eq. 3.21]
                const M k1_neg = lt(k1, T::bc(0.0));
                const V k2_neg = fdim(a_sml, a0) / q;
                k1 = sel(k1_neg, sel(eq(k2_neg, T::bc(0.0)), m_d, T::bc(0.0)), k1);
                k2 = sel(k1_neg, k2_neg, k2);
            }
            V k1_two = fdim(a_sml, a1) / (d_sml_m - d1_m);  // not fitted: the line through d_1 and d_sML
            k1_two = sel(eq(k1_two, T::bc(0.0)), m_d, k1_two);
            k1 = sel(fitted, k1, k1_two);
            k2 = sel(fitted, k2, T::bc(0.0));
            const V a_o = a_sml - k1 * d_sml_m - k2 * vlog(d_sml_m);
            a_los = a_o + k1 * d_m + k2 * vlog(d_m);  // [ERL eq. 3.19]
        }
        if (!all(los)) {
            // Beyond the horizon: troposcatter line through d_5, d_6 and the diffraction/scatter transition [Alg §4].
            const V d5_m = d_ml_m + 200e3;
            const V d6_m = d_ml_m + 400e3;
            V h0_db = T::bc(-1.0);
            const V a6 = troposcatter_db(d6_m, p, k, a_e_m, theta_los, h0_db);
            const V a5 = troposcatter_db(d5_m, p, k, a_e_m, theta_los, h0_db);
            const M defined = lt(a5, T::bc(1000.0));
            const V m_s_line = (a6 - a5) / 200e3;
            const V d_x_line = vmax(vmax(d_sml_m, d_ml_m + 1.088 * x_ae * k.log_f),
                                    (a5 - a_d0 - m_s_line * d5_m) / (m_d - m_s_line));
            const V m_s = sel(defined, m_s_line, m_d);
            const V d_x_m = sel(defined, d_x_line, T::bc(10e6));
            const V a_s0 = sel(defined, (m_d - m_s_line) * d_x_line + a_d0, a_d0);
            a_beyond = sel(gt(d_m, d_x_m), m_s * d_m + a_s0, m_d * d_m + a_d0);
        }
        return vmax(sel(los, a_los, a_beyond), T::bc(0.0));  // NTIA: no negative reference attenuation
    }

    // Quantile of the attenuation relative to free space [Alg §5, TN101 ch. 10]; the branches on the mode and on
    // z_t are the same for every lane.
    [[gnu::always_inline]] static V variability_db(const Lanes& p, const ItmPrepared& k, V a_ref_db) {
        using namespace itm_tables;  // climate constants [Alg Table 5.1; TN101 fig. 10.13]
        const double z_t = k.z_t, z_l = k.z_l, z_s = k.z_s;
        const int c = k.params.climate - 1;
        const double wn = k.params.f_mhz / 47.7;

        const V d_ex_m = vsqrt(2.0 * kA9000_m * p.h_e_m[0]) + vsqrt(2.0 * kA9000_m * p.h_e_m[1]) + k.d_ex_f_m;  // [Alg 5.3]
        const V d_e_m = sel(lt(p.d_m, d_ex_m), 130e3 * p.d_m / d_ex_m, 130e3 + p.d_m - d_ex_m);  // [Alg §5]
        const V sigma_s = k.no_situation ? T::bc(0.0) : 5.0 + 3.0 * vexp(-d_e_m / 100e3);         // [Alg 5.10]
        const V v_med = curve(kAllYear[0][c], kAllYear[1][c], kAllYear[2][c], kAllYear[3][c], kAllYear[4][c],
                              d_e_m);  // [Alg §5, TN101v2 eq. III.69]

        V sigma_l = T::bc(0.0);  // location variability [Alg §5]
        if (!k.no_location) {
            const V delta_h_d = terrain_roughness_m(p.d_m, p.delta_h_m);
            sigma_l = 10.0 * wn * delta_h_d / (wn * delta_h_d + 13.0);
        }
        const V y_l = sigma_l * z_l;

        // Time variability [Alg §5, Table 5.1].
        const V sigma_t_minus = curve(kBsm1[c], kBsm2[c], kXsm1[c], kXsm2[c], kXsm3[c], d_e_m) * k.g_minus;
        const V sigma_t_plus = curve(kBsp1[c], kBsp2[c], kXsp1[c], kXsp2[c], kXsp3[c], d_e_m) * k.g_plus;
        const V sigma_td = kCd[c] * sigma_t_plus;
        const V tgtd = (sigma_t_plus - sigma_td) * kZd[c];
        const V sigma_t = z_t < 0.0 ? sigma_t_minus : (z_t <= kZd[c] ? sigma_t_plus : sigma_td + tgtd / z_t);
        const V y_t = sigma_t * z_t;

        // Combination [Alg 5.11].
        const V y_s2 = sigma_s * sigma_s + y_t * y_t / (7.8 + z_s * z_s) + y_l * y_l / (24.0 + z_s * z_s);
        V y_r, y_s;
        if (k.mode == 0) {
            y_r = T::bc(0.0);
            y_s = vsqrt(sigma_t * sigma_t + sigma_l * sigma_l + y_s2) * z_s;
        } else if (k.mode == 1) {
            y_r = y_t;
            y_s = vsqrt(sigma_l * sigma_l + y_s2) * z_s;
        } else if (k.mode == 2) {
            y_r = vsqrt(sigma_t * sigma_t + sigma_l * sigma_l) * z_t;
            y_s = vsqrt(y_s2) * z_s;
        } else {  // broadcast
            y_r = y_t + y_l;
            y_s = vsqrt(y_s2) * z_s;
        }
        const V a_db = a_ref_db - v_med - y_r - y_s;
        return sel(lt(a_db, T::bc(0.0)), a_db * (29.0 - a_db) / (29.0 - 10.0 * a_db), a_db);  // soft floor [Alg §5]
    }

    // T::n lanes: itm_p2p_from_geometry() (heights check, reference attenuation, variability, free-space loss).
    [[gnu::always_inline]] static void group(const ItmPrepared& k, const double* const* f, double* loss_db,
                                             std::uint32_t* warnings) {
        Lanes p;
        p.d_m = T::load(f[0]);
        for (std::size_t j = 0; j < 2; ++j) {
            p.h_m[j] = T::load(f[1 + j]);
            p.h_e_m[j] = T::load(f[3 + j]);
            p.d_hzn_m[j] = T::load(f[5 + j]);
            p.theta_hzn[j] = T::load(f[7 + j]);
        }
        p.delta_h_m = T::load(f[9]);
        p.n_s = T::load(f[10]);
        p.gamma_e_per_m = T::load(f[11]);

        W w = T::no_warnings();
        M error = T::none();
        // Heights as validate_heights() in itm.cpp.
        for (std::size_t j = 0; j < 2; ++j) {
            const V h = p.h_m[j];
            flag(w, vor(lt(h, T::bc(1.0)), gt(h, T::bc(1000.0))),
                 j == 0 ? itm_warning::tx_terminal_height : itm_warning::rx_terminal_height);
            const M valid = k.params.allow_out_of_range ? gt(h, T::bc(0.0))
                                                        : vand(ge(h, T::bc(0.5)), le(h, T::bc(3000.0)));
            error = vor(error, vnot(valid));
        }
        const V a_ref_db = reference_attenuation(p, k, w, error);
        const V a_fs_db = k.a_fs0_db + 20.0 * vlog10(p.d_m / 1000.0);  // NTIA FreeSpaceLoss
        const V loss = sel(error, T::bc(kNaN), a_fs_db + variability_db(p, k, a_ref_db));
        T::store(loss_db, loss);
        std::array<std::uint64_t, T::n> bits{};
        T::store(bits.data(), w);
        const unsigned bad = T::bits(error);
        for (std::size_t l = 0; l < T::n; ++l)
            warnings[l] = (bad & (1u << l)) ? itm_batch_error : (static_cast<std::uint32_t>(bits[l]) | k.warnings);
    }

    // ITM step 1 for groups of T::n mean heights (scalar_refractivity()'s formulas); returns the first not done.
    [[gnu::always_inline]] static std::size_t refractivity(const double* h_m, std::size_t n, double n0, double* n_s,
                                                            double* gamma) {
        std::size_t i = 0;
        for (; i + T::n <= n; i += T::n) {
            const V h = T::load(h_m + i);
            const V ns = sel(eq(h, T::bc(0.0)), T::bc(n0), n0 * vexp(-h / 9460.0));       // [TN101 eq. 4.3]
            T::store(n_s + i, ns);
            T::store(gamma + i, 157e-9 * (1.0 - 0.04665 * vexp(ns / 179.3)));              // [TN101 eq. 4.4]
        }
        return i;
    }

    // Groups of T::n in the given order (mixing line-of-sight and beyond-horizon lanes in a group costs both
    // branches; sorting the lanes by kind first measured 8 % slower with AVX2 on radial-ordered geometries,
    // bench_itm).
    [[gnu::always_inline]] static void lanes(const ItmPrepared& k, const ItmGeometryBatch& in,
                                             std::span<double> loss_db, std::span<std::uint32_t> warnings) {
        const std::array<const double*, 12> fields = {
            in.d_m.data(),          in.h_tx_m.data(),       in.h_rx_m.data(),    in.h_e_tx_m.data(),
            in.h_e_rx_m.data(),     in.d_hzn_tx_m.data(),   in.d_hzn_rx_m.data(), in.theta_hzn_tx.data(),
            in.theta_hzn_rx.data(), in.delta_h_m.data(),    in.n_s.data(),       in.gamma_e_per_m.data()};
        const std::size_t n = loss_db.size();
        std::size_t i = 0;
        std::array<const double*, 12> at{};
        for (; i + T::n <= n; i += T::n) {
            for (std::size_t f = 0; f < fields.size(); ++f) at[f] = fields[f] + i;
            group(k, at.data(), loss_db.data() + i, warnings.data() + i);
        }
        if (i == n) return;
        // The last lanes, padded with copies of the last one (so they go through the same kernel).
        std::array<std::array<double, T::n>, 12> pad{};
        for (std::size_t f = 0; f < fields.size(); ++f) {
            for (std::size_t l = 0; l < T::n; ++l) pad[f][l] = fields[f][std::min(i + l, n - 1)];
            at[f] = pad[f].data();
        }
        std::array<double, T::n> loss{};
        std::array<std::uint32_t, T::n> warn{};
        group(k, at.data(), loss.data(), warn.data());
        for (std::size_t l = 0; i + l < n; ++l) {
            loss_db[i + l] = loss[l];
            warnings[i + l] = warn[l];
        }
    }
};

}  // namespace
}  // namespace dxplan::prop

// ---- Entry points, one per target (declared in itm_batch_x86.hpp) ----------------------------------------------
namespace dxplan::prop::detail {

__attribute__((target("avx2,fma"))) void avx2_lanes(const ItmPrepared& k, const ItmGeometryBatch& in,
                                                     std::span<double> loss_db, std::span<std::uint32_t> warnings) {
    Kernel<Avx2>::lanes(k, in, loss_db, warnings);
}

__attribute__((target("avx512f,avx512dq,avx512vl,avx512bw"))) void avx512_lanes(
    const ItmPrepared& k, const ItmGeometryBatch& in, std::span<double> loss_db, std::span<std::uint32_t> warnings) {
    Kernel<Avx512>::lanes(k, in, loss_db, warnings);
}

__attribute__((target("avx2,fma"))) std::size_t avx2_refractivity(const double* h_m, std::size_t n, double n0,
                                                                    double* n_s, double* gamma) {
    return Kernel<Avx2>::refractivity(h_m, n, n0, n_s, gamma);
}

__attribute__((target("avx512f,avx512dq,avx512vl,avx512bw"))) std::size_t avx512_refractivity(
    const double* h_m, std::size_t n, double n0, double* n_s, double* gamma) {
    return Kernel<Avx512>::refractivity(h_m, n, n0, n_s, gamma);
}

}  // namespace dxplan::prop::detail
#endif  // __x86_64__
