// ITM (Longley-Rice) v1.2.2, part (a): terrain analysis of a point-to-point profile. See itm.hpp for the
// exact definition of every value computed here and the references behind the bracketed citations.
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <string>

#include "libsim/core/error.hpp"
#include "models/propagation/itm.hpp"

namespace dxplan::prop {

namespace {
// Largest number of samples of the delta_h interdecile fit: 10 * 25 - 5 [Alg §3].
inline constexpr int kMaxDeltaHSamples = 245;
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
    double k = -0.5 * len;         // index relative to the centre of the range
    const double centre = i1 + k;  // centre index c
    double sum = 0.5 * (z[i0] + z[i1]);          // trapezoid weights: end points count 1/2
    double sum_k = 0.5 * (z[i0] - z[i1]) * k;    // end points at k = -L/2 and +L/2
    for (int i = i0 + 1; i < i1; ++i) {
        k += 1.0;
        sum += z[i];
        sum_k += z[i] * k;
    }
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
    // 90 %). Faster, same values: the values above the 13th of 16 sampled values (about 20 % of them) are gathered
    // branch-free and the k-th largest is selected among them; likewise below the 4th; if fewer than k were
    // gathered (the sample misled), the selection runs over all values.
    const double* v = values.data();
    std::array<double, 16> sample;
    for (int i = 0; i < 16; ++i) sample[static_cast<std::size_t>(i)] = v[i * m / 16];
    std::sort(sample.begin(), sample.end());
    const double p_hi = sample[12], p_lo = sample[3];
    std::array<double, kMaxDeltaHSamples> hi, lo;  // not initialised: written before read
    int n_hi = 0, n_lo = 0;
    for (int i = 0; i < m; ++i) {
        hi[static_cast<std::size_t>(n_hi)] = v[i];
        lo[static_cast<std::size_t>(n_lo)] = v[i];
        n_hi += v[i] >= p_hi;
        n_lo += v[i] <= p_lo;
    }
    if (n_hi < k) {
        std::copy(v, v + m, hi.begin());
        n_hi = m;
    }
    if (n_lo < k) {
        std::copy(v, v + m, lo.begin());
        n_lo = m;
    }
    std::nth_element(hi.begin(), hi.begin() + (k - 1), hi.begin() + n_hi, std::greater<double>());
    std::nth_element(lo.begin(), lo.begin() + (k - 1), lo.begin() + n_lo);
    return hi[static_cast<std::size_t>(k - 1)] - lo[static_cast<std::size_t>(k - 1)];
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
    std::array<double, kMaxDeltaHSamples> s{};
    int i = static_cast<int>(x_start);
    double frac = x_start - (i + 1.0);  // position relative to z[i+1], in (-1, 0]
    for (int j = 0; j < m; ++j) {
        while (frac > 0.0 && i + 1 < n) {
            frac -= 1.0;
            ++i;
        }
        s[j] = z[i + 1] + (z[i + 1] - z[i]) * frac;  // linear interpolation
        frac += step;
    }

    // Residuals from the least-squares line, then their interdecile range [Alg §3].
    const std::span<double> samples(s.data(), static_cast<std::size_t>(m));
    const ItmLineFit fit = itm_least_squares_fit(ProfileView(1.0, samples), 0.0, intervals);
    const double slope = (fit.z_end_m - fit.z_start_m) / intervals;
    double line = fit.z_start_m;
    for (double& v : samples) {
        v -= line;
        line += slope;
    }
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
    double h_sys_m = 0.0;
    for (int i = p10; i <= n - p10; ++i) h_sys_m += z[i];
    h_sys_m /= (n - 2 * p10 + 1);
    g.N_s = (h_sys_m == 0.0) ? n0 : n0 * std::exp(-h_sys_m / 9460.0);   // [TN101 eq. 4.3]
    g.gamma_e_per_m = 157e-9 * (1.0 - 0.04665 * std::exp(g.N_s / 179.3));  // [TN101 eq. 4.4]
    const double half_gamma = 0.5 * g.gamma_e_per_m;  // d / (2 a_e)

    // 2. Horizons: the highest elevation angle seen from each terminal [TN101 eq. 6.15].
    const double d_m = g.d_m;
    const double z_tx_m = z[0] + h_tx_m;
    const double z_rx_m = z[n] + h_rx_m;
    g.theta_hzn = {(z_rx_m - z_tx_m) / d_m - d_m * half_gamma, (z_tx_m - z_rx_m) / d_m - d_m * half_gamma};
    g.d_hzn_m = {d_m, d_m};
    double d_tx_m = 0.0;
    double d_rx_m = d_m;
    for (int i = 1; i < n; ++i) {
        d_tx_m += x_m;
        d_rx_m -= x_m;
        const double t_tx = (z[i] - z_tx_m) / d_tx_m - d_tx_m * half_gamma;
        const double t_rx = (z[i] - z_rx_m) / d_rx_m - d_rx_m * half_gamma;
        if (t_tx > g.theta_hzn[0]) {
            g.theta_hzn[0] = t_tx;
            g.d_hzn_m[0] = d_tx_m;
        }
        if (t_rx > g.theta_hzn[1]) {
            g.theta_hzn[1] = t_rx;
            g.d_hzn_m[1] = d_rx_m;
        }
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
