#include "models/propagation/p838.hpp"

#include <array>
#include <cmath>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"

namespace dxplan::prop {

namespace {

// Coefficients of ITU-R P.838-3 Tables 1-4, entered from the Recommendation.
template <std::size_t N>
struct Fit {
    std::array<double, N> a, b, c;
    double m, cc;
};

constexpr Fit<4> kTable1KH{{-5.33980, -0.35351, -0.23789, -0.94158},  // P.838-3 Table 1, k_H
                           {-0.10008, 1.26970, 0.86036, 0.64552},
                           {1.13098, 0.45400, 0.15354, 0.16817},
                           -0.18961, 0.71147};
constexpr Fit<4> kTable2KV{{-3.80595, -3.44965, -0.39902, 0.50167},  // P.838-3 Table 2, k_V
                           {0.56934, -0.22911, 0.73042, 1.07319},
                           {0.81061, 0.51059, 0.11899, 0.27195},
                           -0.16398, 0.63297};
constexpr Fit<5> kTable3AlphaH{{-0.14318, 0.29591, 0.32177, -5.37610, 16.1721},  // P.838-3 Table 3, alpha_H
                               {1.82442, 0.77564, 0.63773, -0.96230, -3.29980},
                               {-0.55187, 0.19822, 0.13164, 1.47828, 3.43990},
                               0.67849, -1.95537};
constexpr Fit<5> kTable4AlphaV{{-0.07771, 0.56727, -0.20238, -48.2991, 48.5833},  // P.838-3 Table 4, alpha_V
                               {2.33840, 0.95545, 1.14520, 0.791669, 0.791459},
                               {-0.76284, 0.54039, 0.26809, 0.116226, 0.116479},
                               -0.053739, 0.83433};

template <std::size_t N>
double fit_sum(const Fit<N>& t, double log_f) {
    double s = 0.0;
    for (std::size_t j = 0; j < N; ++j) {
        const double x = (log_f - t.b[j]) / t.c[j];
        s += t.a[j] * std::exp(-x * x);
    }
    return s + t.m * log_f + t.cc;
}

}  // namespace

P838Coefficients p838_coefficients(double f_ghz, double elevation_deg, double tau_deg) {
    if (!(f_ghz > 0.0) || !std::isfinite(f_ghz))
        throw InputError("p838: f_ghz = " + std::to_string(f_ghz) + ": must be a positive number of GHz");
    P838Coefficients c;
    const double lf = std::log10(f_ghz);
    c.k_h = std::pow(10.0, fit_sum(kTable1KH, lf));  // P.838-3 eq. (2), Table 1
    c.k_v = std::pow(10.0, fit_sum(kTable2KV, lf));  // P.838-3 eq. (2), Table 2
    c.alpha_h = fit_sum(kTable3AlphaH, lf);          // P.838-3 eq. (3), Table 3
    c.alpha_v = fit_sum(kTable4AlphaV, lf);          // P.838-3 eq. (3), Table 4
    const double cos_th = std::cos(deg_to_rad(elevation_deg));
    const double g = cos_th * cos_th * std::cos(2.0 * deg_to_rad(tau_deg));
    c.k = (c.k_h + c.k_v + (c.k_h - c.k_v) * g) / 2.0;  // P.838-3 eq. (4)
    c.alpha = (c.k_h * c.alpha_h + c.k_v * c.alpha_v + (c.k_h * c.alpha_h - c.k_v * c.alpha_v) * g) /
              (2.0 * c.k);  // P.838-3 eq. (5)
    return c;
}

P838Result p838_specific_attenuation(double f_ghz, double r_mm_per_h, double elevation_deg, double tau_deg) {
    if (!(r_mm_per_h >= 0.0) || !std::isfinite(r_mm_per_h))
        throw InputError("p838: rain rate = " + std::to_string(r_mm_per_h) + ": must be >= 0 mm/h");
    P838Result r;
    r.coefficients = p838_coefficients(f_ghz, elevation_deg, tau_deg);
    if (f_ghz < 1.0 || f_ghz > 1000.0) r.warnings.emplace_back("frequency_out_of_range");
    r.gamma_r_db_per_km = r.coefficients.k * std::pow(r_mm_per_h, r.coefficients.alpha);  // P.838-3 eq. (1)
    return r;
}

}  // namespace dxplan::prop
