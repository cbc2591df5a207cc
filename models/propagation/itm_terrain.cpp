// ITM (Longley-Rice) v1.2.2, part (a): terrain analysis of a point-to-point profile. See itm.hpp for the
// exact definition of every value computed here and the references behind the bracketed citations.
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>

#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/simd.hpp"
#include "models/propagation/itm.hpp"
#include "models/propagation/itm_terrain_simd.hpp"

namespace dxplan::prop {

namespace {
using detail::HorizonLanes;
using detail::kMaxDeltaHSamples;

// The loops over the profile below run once per pixel in `dxplan coverage --mode exact`, so they are written to
// vectorise: kLanes independent partial results in a fixed order (lane l takes i0 + l, i0 + l + kLanes, ...),
// combined in a fixed order at the end. Every vector kernel (itm_terrain_x86.cpp) and the portable loops
// therefore compute the same operations in the same order and give the same bits (no FMA contraction:
// CMakeLists.txt).
inline constexpr int kLanes = detail::kItmLanes;

// The one place that chooses the vector kernels of this file (libsim/core/simd.hpp); all null: portable loops.
const detail::ItmTerrainSimd& itm_terrain_simd() {
    static constexpr detail::ItmTerrainSimd portable{nullptr, nullptr, nullptr, nullptr, nullptr};
#if defined(DXPLAN_X86_KERNELS) && defined(__x86_64__)
    switch (simd_kernel()) {
        case SimdKernel::avx512: return detail::kItmTerrainAvx512;
        case SimdKernel::avx2: return detail::kItmTerrainAvx2;
        case SimdKernel::scalar: break;
    }
#endif
    return portable;
}

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

LaneSums lane_sums(const double* z, int i0, int i1, double c) {
    const auto vector_part = itm_terrain_simd().lane_sums;
    double a[kLanes] = {}, b[kLanes] = {};
    lane_sums_generic(z, vector_part ? vector_part(z, i0, i1, c, a, b) : i0, i1, c, a, b);
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
// HorizonLanes (itm_terrain_simd.hpp): the best angle and its index per lane, tx and rx.

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

Horizons scan_horizons(const double* z, int n, double x_m, double z_tx_m, double z_rx_m, double half_gamma,
                       double t_los_tx, double t_los_rx) {
    const auto vector_part = itm_terrain_simd().scan_horizons;
    HorizonLanes h;
    for (int l = 0; l < kLanes; ++l) {
        h.bt[l] = t_los_tx;
        h.rt[l] = t_los_rx;
        h.bi[l] = h.ri[l] = -1.0;
    }
    const int i_from = vector_part ? vector_part(z, n, x_m, z_tx_m, z_rx_m, half_gamma, h) : 1;
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
void subtract_line(double* s, int m, double z0, double slope) {
    if (const auto vector_part = itm_terrain_simd().subtract_line) return vector_part(s, m, z0, slope);
#pragma omp simd
    for (int j = 0; j < m; ++j) s[j] -= z0 + j * slope;
}

void resample(const double* z, int n, double x_start, double step, int m, double* s) {
    const auto vector_part = itm_terrain_simd().resample;
    resample_generic(z, n, x_start, step, vector_part ? vector_part(z, n, x_start, step, m, s) : 0, m, s);
}

// The k-th largest (Largest) or k-th smallest of v[0..m), 1 <= k <= m <= kMaxDeltaHSamples; NTIA sorts and
// indexes, any exact selection gives the same value. AVX-512: quickselect with vector partitions
// (itm_terrain_x86.cpp); elsewhere std::nth_element.
using SelectBuffer = std::array<double, kMaxDeltaHSamples>;

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
    if (const auto vector_part = itm_terrain_simd().interdecile) return vector_part(v, m, k);
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
