// ITM (Longley-Rice) v1.2.2, part (b): reference attenuation, variability, point-to-point and area modes,
// and the registry adapter. References and the meaning of [Alg x.y], [TN101 ...], [ERL ...]: itm.hpp.
#include "models/propagation/itm.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "models/propagation/adapters.hpp"
#include "models/propagation/itm_tables.hpp"
#include "models/propagation/normal.hpp"

namespace dxplan::prop {

namespace {

using itm_tables::kA0_m;
using itm_tables::kA9000_m;
inline constexpr double kGammaA_per_m = 157e-9;  // actual earth curvature [TN101 eq. 4.4]

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

[[noreturn]] void fail(const std::string& field, double value, const std::string& range) {
    throw InputError("ITM: " + field + " = " + num(value) + ": " + range);
}

// Everything the reference attenuation needs about the path [Alg §4].
struct Path {
    double d_m;
    std::array<double, 2> h_m;
    std::array<double, 2> h_e_m;
    std::array<double, 2> d_hzn_m;
    std::array<double, 2> theta_hzn;
    double delta_h_m;
    double N_s;
    double gamma_e_per_m;
    const ItmPrepared& k;  // f, ground impedance and variability constants
    bool p2p;
};

// NTIA's input checks (ValidateInputs) with NTIA's warning bits; errors name the parameter and range.
// Heights first (NTIA's order), then validate_params().
std::uint32_t validate_heights(double h_tx_m, double h_rx_m, bool relax) {
    std::uint32_t w = 0;
    if (h_tx_m < 1.0 || h_tx_m > 1000.0) w |= itm_warning::tx_terminal_height;
    if (!(relax ? h_tx_m > 0.0 : (h_tx_m >= 0.5 && h_tx_m <= 3000.0)))
        fail("h_tx_m", h_tx_m, relax ? "must be > 0 m" : "must be in [0.5, 3000] m");
    if (h_rx_m < 1.0 || h_rx_m > 1000.0) w |= itm_warning::rx_terminal_height;
    if (!(relax ? h_rx_m > 0.0 : (h_rx_m >= 0.5 && h_rx_m <= 3000.0)))
        fail("h_rx_m", h_rx_m, relax ? "must be > 0 m" : "must be in [0.5, 3000] m");
    return w;
}

std::uint32_t validate_params(const ItmParams& p, const ItmVariability& v) {
    std::uint32_t w = 0;
    const bool relax = p.allow_out_of_range;
    if (p.climate < 1 || p.climate > 7) fail("climate", p.climate, "must be an integer in [1, 7]");
    if (!(p.n0 >= 250.0 && p.n0 <= 400.0)) fail("n0", p.n0, "must be in [250, 400] N-units");
    if (p.f_mhz < 40.0 || p.f_mhz > 10000.0) w |= itm_warning::frequency;
    if (!(relax ? p.f_mhz > 0.0 : (p.f_mhz >= 20.0 && p.f_mhz <= 20000.0)))
        fail("f_mhz", p.f_mhz, relax ? "must be > 0 MHz" : "must be in [20, 20000] MHz (ITM is not defined above 20 GHz)");
    if (p.polarization != Polarization::horizontal && p.polarization != Polarization::vertical)
        fail("polarization", static_cast<int>(p.polarization), "must be horizontal (0) or vertical (1)");
    if (!(p.epsilon >= 1.0)) fail("epsilon", p.epsilon, "must be >= 1");
    if (!(p.sigma_s_per_m > 0.0)) fail("sigma_s_per_m", p.sigma_s_per_m, "must be > 0 S/m");
    const int base = p.mdvar % 10;
    if (p.mdvar < 0 || p.mdvar > 33 || base > 3)
        fail("mdvar", p.mdvar, "must be 0-3, optionally +10 and/or +20 (0-3, 10-13, 20-23, 30-33)");
    auto pct = [](double x) { return x > 0.0 && x < 100.0; };
    if (!pct(v.situation_pct))
        fail(v.cr_form ? "confidence_pct" : "situation_pct", v.situation_pct, "must be in (0, 100) %");
    if (!pct(v.time_pct)) fail(v.cr_form ? "reliability_pct" : "time_pct", v.time_pct, "must be in (0, 100) %");
    if (!pct(v.location_pct)) fail("location_pct", v.location_pct, "must be in (0, 100) %");
    return w;
}

// Complex surface transfer impedance of the ground [Alg §2].
std::complex<double> ground_impedance(const ItmParams& p) {
    const std::complex<double> ep_r(p.epsilon, 18000.0 * p.sigma_s_per_m / p.f_mhz);  // relative permittivity
    std::complex<double> z_g = std::sqrt(ep_r - 1.0);                                 // horizontal polarization
    if (p.polarization == Polarization::vertical) z_g /= ep_r;                        // vertical polarization
    return z_g;
}

double terrain_roughness_m(double d_m, double delta_h_m) {
    return delta_h_m * (1.0 - 0.8 * std::exp(-d_m / 50e3));  // delta_h(d) [ERL eq. 3]
}

double sigma_h_m(double delta_h_m) {
    return 0.78 * delta_h_m * std::exp(-0.5 * std::sqrt(std::sqrt(delta_h_m)));  // rms terrain deviation [ERL eq. 3.6a]
}

// Knife-edge loss A(v, 0) from v^2 [TN101v2 eq. III.24b/c, ERL eq. 3.27].
double fresnel_db(double v2) {
    if (v2 < 5.76) return 6.02 + 9.11 * std::sqrt(v2) - 1.27 * v2;  // v < 2.4
    return 12.953 + 10.0 * std::log10(v2);
}

// Double knife-edge diffraction at distance d [TN101 eq. I.1, I.7].
double knife_edge_db(double d_m, const Path& p, double a_e_m, double theta_los) {
    const double d_ml_m = p.d_hzn_m[0] + p.d_hzn_m[1];
    const double theta_nlos = d_m / a_e_m - theta_los;  // [Alg 4.12]
    const double d_nlos_m = d_m - d_ml_m;
    const double k = 0.0795775 * (p.k.params.f_mhz / 47.7) * theta_nlos * theta_nlos;  // 1/(4 pi) * wave number [TN101 eq. I.7]
    const double v1 = k * p.d_hzn_m[0] * d_nlos_m / (d_nlos_m + p.d_hzn_m[0]);
    const double v2 = k * p.d_hzn_m[1] * d_nlos_m / (d_nlos_m + p.d_hzn_m[1]);
    return fresnel_db(v1) + fresnel_db(v2);  // [TN101 eq. I.1]
}

// Height-gain function F(x, K) of smooth-earth diffraction [Alg §6, Vogler].
double height_gain_db(double x_km, double k) {
    if (x_km < 200.0) {
        const double w = -std::log(k);
        if (k < 1e-5 || x_km * w * w * w > 5495.0) {
            double f = -117.0;
            if (x_km > 1.0) f += 17.372 * std::log(x_km);
            return f;
        }
        return 2.5e-5 * x_km * x_km / k - 8.686 * w - 15.0;
    }
    double f = 0.05751 * x_km - 4.343 * std::log(x_km);
    if (x_km < 2000.0) {
        const double w = 0.0134 * x_km * std::exp(-0.005 * x_km);
        f = (1.0 - w) * f + w * (17.372 * std::log(x_km) - 117.0);
    }
    return f;
}

// Vogler's x and K for a radius a_m over d_km [Vogler eq. 2, 6a/7a, fig. 4].
void vogler_x_k(const ItmPrepared& k, double a_m, double d_km, double& x_km, double& k_v) {
    const double c0 = std::cbrt((4.0 / 3.0) * kA0_m / a_m);  // (4/3k)^(1/3) [Vogler eq. 2]
    k_v = c0 * k.k_vogler;                                    // [Vogler eq. 6a/7a]
    const double b0 = 1.607 - k_v;                            // [Vogler fig. 4]
    x_km = b0 * c0 * c0 * k.f_third * d_km;                   // [Vogler eq. 2]
}

// The terms of diffraction_db() that do not depend on the distance: computed once for the two calls at d_3
// and d_4 [Alg §4].
struct DiffractionTerms {
    double x_terminals_km;  // x_1 + x_2 of Vogler's three radii
    double height_gain_db;  // F(x_1, K_1) + F(x_2, K_2)
    double a_fo_db;         // clutter [ERL eq. 3.38c]
    double term;            // sqrt(1 + qk / q) of the weighting factor [ERL eq. 3.23]
};

DiffractionTerms diffraction_terms(const Path& p, double d_sml_m) {
    DiffractionTerms t{};
    std::array<double, 2> x_km{}, k_v{};
    for (int j = 0; j < 2; ++j)  // terminal radii [Vogler eq. 3]
        vogler_x_k(p.k, 0.5 * p.d_hzn_m[j] * p.d_hzn_m[j] / p.h_e_m[j], p.d_hzn_m[j] / 1000.0, x_km[j], k_v[j]);
    t.x_terminals_km = x_km[0] + x_km[1];
    t.height_gain_db = height_gain_db(x_km[0], k_v[0]) + height_gain_db(x_km[1], k_v[1]);
    const double sigma_h_d = sigma_h_m(terrain_roughness_m(d_sml_m, p.delta_h_m));  // at d_sML [ERL p. 3-13]
    t.a_fo_db = std::min(15.0, 5.0 * std::log10(1.0 + 1e-5 * p.h_m[0] * p.h_m[1] * p.k.params.f_mhz * sigma_h_d));  // [ERL eq. 3.38c]
    double q = p.h_m[0] * p.h_m[1];
    const double qk = p.h_e_m[0] * p.h_e_m[1] - q;
    if (p.p2p) q += 10.0;  // C ~ 10 for low antennas with known path [ERL p. 3-8]
    t.term = std::sqrt(1.0 + qk / q);
    return t;
}

// Smooth-earth diffraction, Vogler's three-radii method [Alg 4.20, Vogler eq. 2, 6a, 13; TN101 eq. 8.4].
double smooth_earth_db(double d_m, const Path& p, const DiffractionTerms& t, double a_e_m, double theta_los) {
    const double theta_nlos = d_m / a_e_m - theta_los;  // [Alg 4.12]
    const double d_ml_m = p.d_hzn_m[0] + p.d_hzn_m[1];
    const double a0_m = (d_m - d_ml_m) / (d_m / a_e_m - theta_los);  // radius of the diffraction path
    double x_km = 0.0, k_v = 0.0;
    vogler_x_k(p.k, a0_m, a0_m * theta_nlos / 1000.0, x_km, k_v);
    x_km += t.x_terminals_km;
    const double g_db = 0.05751 * x_km - 10.0 * std::log10(x_km);  // distance function [TN101 eq. 8.4]
    return g_db - t.height_gain_db - 20.0;                          // [Alg 4.20]
}

// Diffraction attenuation: weighted knife-edge and smooth-earth terms plus clutter [Alg §4, ERL eq. 3.23, 3.38c].
double diffraction_db(double d_m, const Path& p, const DiffractionTerms& t, double a_e_m, double theta_los) {
    const double a_k = knife_edge_db(d_m, p, a_e_m, theta_los);
    const double a_se = smooth_earth_db(d_m, p, t, a_e_m, theta_los);
    const double delta_h_d = terrain_roughness_m(d_m, p.delta_h_m);
    const double d_ml_m = p.d_hzn_m[0] + p.d_hzn_m[1];
    const double q = (t.term + (-theta_los * a_e_m + d_ml_m) / d_m) * std::min(delta_h_d * p.k.params.f_mhz / 47.7, 6283.2);
    const double w = 25.1 / (25.1 + std::sqrt(q));  // weighting factor [ERL eq. 3.23]
    return w * a_se + (1.0 - w) * a_k + t.a_fo_db;
}

// Line-of-sight attenuation: two-ray with a rough-earth reflection, blended with the extended diffraction line
// [Alg §4, eq. 4.46-4.50].
double line_of_sight_db(double d_m, const Path& p, double m_d, double a_d0_db, double d_sml_m) {
    const double sigma_h_d = sigma_h_m(terrain_roughness_m(d_m, p.delta_h_m));
    const double wn = p.k.params.f_mhz / 47.7;  // wave number, 1/m
    const double h_sum = p.h_e_m[0] + p.h_e_m[1];
    const double sin_psi = h_sum / std::sqrt(d_m * d_m + h_sum * h_sum);  // [Alg 4.46]
    // R_e = (sin psi - Z_g) / (sin psi + Z_g) exp(-min(10, k sigma_h sin psi)) [Alg 4.47], complex arithmetic
    // written out (sin psi is real).
    const double n_re = sin_psi - p.k.z_g_re, d_re = sin_psi + p.k.z_g_re, z_im = p.k.z_g_im;
    const double scale = std::exp(-std::min(10.0, wn * sigma_h_d * sin_psi)) / (d_re * d_re + z_im * z_im);
    double re = (n_re * d_re - z_im * z_im) * scale;  // (n_re - i z_im)(d_re - i z_im) / |d|^2
    double im = -z_im * (n_re + d_re) * scale;
    const double q = re * re + im * im;  // [Alg 4.48]
    if (q < 0.25 || q < sin_psi) {
        const double s = std::sqrt(sin_psi / q);
        re *= s;
        im *= s;
    }
    double delta_phi = wn * 2.0 * p.h_e_m[0] * p.h_e_m[1] / d_m;  // phase difference [Alg 4.49]
    if (delta_phi > kPi / 2.0) delta_phi = kPi - (kPi / 2.0) * (kPi / 2.0) / delta_phi;  // [Alg 4.50]
    const double rr_re = std::cos(delta_phi) + re, rr_im = -std::sin(delta_phi) + im;
    const double a_t = -10.0 * std::log10(rr_re * rr_re + rr_im * rr_im);  // two-ray attenuation [Alg §4]
    const double a_d = m_d * d_m + a_d0_db;                                 // extended diffraction line [Alg §4]
    const double w = 1.0 / (1.0 + p.k.params.f_mhz * p.delta_h_m / std::max(10e3, d_sml_m));  // LOS/diffraction weight [Alg §4]
    return w * a_t + (1.0 - w) * a_d;
}

// F(theta d) of the scatter attenuation [Alg 6.9].
double f_function_db(double td_m) {
    using namespace itm_tables;
    const int i = td_m <= 10e3 ? 0 : (td_m <= 70e3 ? 1 : 2);
    return kF_a[i] + kF_b[i] * td_m + kF_c[i] * std::log10(td_m);
}

double h0_curve_db(int j, double r) {  // [Alg 6.13]
    using namespace itm_tables;
    const double inv = 1.0 / r;
    return 10.0 * std::log10(1.0 + kH0_a[j] * inv * inv * inv * inv + kH0_b[j] * inv * inv);
}

double h0_function_db(double r, double eta_s) {  // frequency gain H_0 [TN101v1 ch. 9.2, Alg 6.13]
    eta_s = std::clamp(eta_s, 1.0, 5.0);
    const int i = static_cast<int>(eta_s);
    const double q = eta_s - i;
    double h = h0_curve_db(i - 1, r);
    if (q != 0.0) h = (1.0 - q) * h + q * h0_curve_db(i, r);  // interpolate between curves
    return h;
}

// Troposcatter attenuation at distance d [Alg 4.63-4.67, TN101 eq. 9.3a-9.5]. h0_db carries H_0 between the
// calls at d_6 and d_5 (negative: not yet computed).
double troposcatter_db(double d_m, const Path& p, double a_e_m, double theta_los, double& h0_db) {
    const double wn = p.k.params.f_mhz / 47.7;
    double h0;
    if (h0_db > 15.0) {
        h0 = h0_db;  // keep the value found at d_6 [Alg p. 12]
    } else {
        double ad = p.d_hzn_m[0] - p.d_hzn_m[1];
        double rr = p.h_e_m[1] / p.h_e_m[0];
        if (ad < 0.0) {
            ad = -ad;
            rr = 1.0 / rr;
        }
        const double theta = p.theta_hzn[0] + p.theta_hzn[1] + d_m / a_e_m;  // angular distance
        const double r1 = 2.0 * wn * theta * p.h_e_m[0];                      // [TN101 eq. 9.4a]
        const double r2 = 2.0 * wn * theta * p.h_e_m[1];
        if (r1 < 0.2 && r2 < 0.2) return 1001.0;  // A_scat undefined [Alg p. 11]
        double s = (d_m - ad) / (d_m + ad);         // asymmetry
        const double q = std::min(std::max(0.1, rr / s), 10.0);  // truncated at 0.1 and 10 [Alg p. 16]
        s = std::max(0.1, s);
        const double h0_m = (d_m - ad) * (d_m + ad) * theta * 0.25 / d_m;  // cross-over height [Alg 4.66]
        constexpr double z0_m = 1.7556e3;  // scale heights [Alg 4.67]
        constexpr double z1_m = 8.0e3;
        const double eta_s = (h0_m / z0_m) *
            (1.0 + (0.031 - p.N_s * 2.32e-3 + p.N_s * p.N_s * 5.67e-6) *
                       std::exp(-std::pow(std::min(1.7, h0_m / z1_m), 6.0)));  // [TN101 eq. 9.3a]
        const double h00 = (h0_function_db(r1, eta_s) + h0_function_db(r2, eta_s)) / 2.0;  // [TN101 eq. 9.5]
        const double dh0 = std::min(h00, 6.0 * (0.6 - std::log10(std::max(eta_s, 1.0))) * std::log10(s) * std::log10(q));
        h0 = std::max(h00 + dh0, 0.0);  // [TN101v1 p. 9-4]
        if (eta_s < 1.0) {              // interpolate towards eta_s = 0
            const double sq2 = std::sqrt(2.0);
            const double t = (1.0 + sq2 / r1) * (1.0 + sq2 / r2);
            h0 = eta_s * h0 + (1.0 - eta_s) * 10.0 * std::log10(t * t * (r1 + r2) / (r1 + r2 + 2.0 * sq2));
        }
        if (h0 > 15.0 && h0_db >= 0.0) h0 = h0_db;  // [Alg p. 12]
    }
    h0_db = h0;
    const double th = d_m / a_e_m - theta_los;
    constexpr double d0_m = 40e3;   // [Alg 6.8]
    constexpr double h_m = 47.7;    // [Alg 4.63]
    return f_function_db(th * d_m) + 10.0 * std::log10(wn * h_m * th * th * th * th) -
           0.1 * (p.N_s - 301.0) * std::exp(-th * d_m / d0_m) + h0;  // [Alg 4.63]
}

struct Reference {
    double a_ref_db;
    ItmMode mode;
};

// Reference attenuation (NTIA's LongleyRice, the Algorithm's lrprop) [Alg §4].
Reference reference_attenuation(const Path& p, std::uint32_t& w) {
    const double a_e_m = 1.0 / p.gamma_e_per_m;
    const std::array<double, 2> d_hzn_s_m = {std::sqrt(2.0 * p.h_e_m[0] * a_e_m),
                                             std::sqrt(2.0 * p.h_e_m[1] * a_e_m)};  // smooth-earth horizons [Alg §4]
    const double d_sml_m = d_hzn_s_m[0] + d_hzn_s_m[1];  // [Alg §4]
    const double d_ml_m = p.d_hzn_m[0] + p.d_hzn_m[1];   // [Alg §4]
    const double theta_los = -std::max(p.theta_hzn[0] + p.theta_hzn[1], -d_ml_m / a_e_m);  // [Alg §4]

    if (std::abs(p.theta_hzn[0]) > 200e-3) w |= itm_warning::tx_horizon_angle;
    if (std::abs(p.theta_hzn[1]) > 200e-3) w |= itm_warning::rx_horizon_angle;
    if (p.d_hzn_m[0] < 0.1 * d_hzn_s_m[0]) w |= itm_warning::tx_horizon_distance_1;
    if (p.d_hzn_m[1] < 0.1 * d_hzn_s_m[1]) w |= itm_warning::rx_horizon_distance_1;
    if (p.d_hzn_m[0] > 3.0 * d_hzn_s_m[0]) w |= itm_warning::tx_horizon_distance_2;
    if (p.d_hzn_m[1] > 3.0 * d_hzn_s_m[1]) w |= itm_warning::rx_horizon_distance_2;

    if (p.N_s < 150.0) fail("N_s (surface refractivity computed from n0 and path height)", p.N_s, "must be >= 150 N-units");
    if (p.N_s > 400.0) fail("N_s (surface refractivity computed from n0 and path height)", p.N_s, "must be <= 400 N-units");
    if (p.N_s < 250.0) w |= itm_warning::surface_refractivity;
    if (a_e_m < 4000000.0 || a_e_m > 13333333.0) fail("effective earth radius a_e_m", a_e_m, "must be in [4000, 13333] km");

    // Diffraction line through two distances far in the diffraction region [Alg §4].
    const double x_ae = std::cbrt(a_e_m * a_e_m / p.k.params.f_mhz);
    const double d3_m = std::max(d_sml_m, d_ml_m + 5.0 * x_ae);
    const double d4_m = d3_m + 10.0 * x_ae;
    const DiffractionTerms terms = diffraction_terms(p, d_sml_m);
    const double a3 = diffraction_db(d3_m, p, terms, a_e_m, theta_los);
    const double a4 = diffraction_db(d4_m, p, terms, a_e_m, theta_los);
    const double m_d = (a4 - a3) / (d4_m - d3_m);  // slope
    const double a_d0 = a3 - m_d * d3_m;            // intercept

    const double d_m = p.d_m;
    if (d_m < std::abs(p.h_e_m[0] - p.h_e_m[1]) / 200e-3) w |= itm_warning::path_distance_too_small_1;
    if (d_m < 1e3) w |= itm_warning::path_distance_too_small_2;
    if (d_m > 1000e3) w |= itm_warning::path_distance_too_big_1;
    if (d_m > 2000e3) w |= itm_warning::path_distance_too_big_2;

    Reference ref{};
    if (d_m < d_sml_m) {
        // Line of sight: A_ref = A_o + k1 d + k2 ln d through three points [ERL eq. 3.16-3.21, Alg §4].
        const double a_sml = d_sml_m * m_d + a_d0;
        double d0_m = 0.04 * p.k.params.f_mhz * p.h_e_m[0] * p.h_e_m[1];  // [ERL eq. 3.16a]
        double d1_m;
        if (a_d0 >= 0.0) {
            d0_m = std::min(d0_m, 0.5 * d_ml_m);                // [ERL eq. 3.16a]
            d1_m = d0_m + 0.25 * (d_ml_m - d0_m);                // [ERL eq. 3.16d]
        } else {
            d1_m = std::max(-a_d0 / m_d, 0.25 * d_ml_m);
        }
        const double a1 = line_of_sight_db(d1_m, p, m_d, a_d0, d_sml_m);
        bool fitted = false;
        double k1 = 0.0;
        double k2 = 0.0;
        if (d0_m < d1_m) {
            const double a0 = line_of_sight_db(d0_m, p, m_d, a_d0, d_sml_m);
            const double q = std::log(d_sml_m / d0_m);
            k2 = std::max(0.0, ((d_sml_m - d0_m) * (a1 - a0) - (d1_m - d0_m) * (a_sml - a0)) /
                                   ((d_sml_m - d0_m) * std::log(d1_m / d0_m) - (d1_m - d0_m) * q));  // [ERL eq. 3.20]
            fitted = a_d0 > 0.0 || k2 > 0.0;
            if (fitted) {
                k1 = (a_sml - a0 - k2 * q) / (d_sml_m - d0_m);  // [ERL eq. 3.21]
                if (k1 < 0.0) {
                    k1 = 0.0;
                    k2 = std::fdim(a_sml, a0) / q;
                    if (k2 == 0.0) k1 = m_d;
                }
            }
        }
        if (!fitted) {
            k1 = std::fdim(a_sml, a1) / (d_sml_m - d1_m);
            k2 = 0.0;
            if (k1 == 0.0) k1 = m_d;
        }
        const double a_o = a_sml - k1 * d_sml_m - k2 * std::log(d_sml_m);
        ref = {a_o + k1 * d_m + k2 * std::log(d_m), ItmMode::line_of_sight};  // [ERL eq. 3.19]
    } else {
        // Beyond the horizon: troposcatter line through d_5, d_6 and the diffraction/scatter transition
        // [Alg §4].
        const double d5_m = d_ml_m + 200e3;
        const double d6_m = d_ml_m + 400e3;
        double h0_db = -1.0;
        const double a6 = troposcatter_db(d6_m, p, a_e_m, theta_los, h0_db);
        const double a5 = troposcatter_db(d5_m, p, a_e_m, theta_los, h0_db);
        double m_s = m_d;
        double a_s0 = a_d0;
        double d_x_m = 10e6;
        if (a5 < 1000.0) {
            m_s = (a6 - a5) / 200e3;
            d_x_m = std::max({d_sml_m, d_ml_m + 1.088 * x_ae * p.k.log_f,
                              (a5 - a_d0 - m_s * d5_m) / (m_d - m_s)});
            a_s0 = (m_d - m_s) * d_x_m + a_d0;
        }
        ref = d_m > d_x_m ? Reference{m_s * d_m + a_s0, ItmMode::troposcatter}
                          : Reference{m_d * d_m + a_d0, ItmMode::diffraction};
    }
    ref.a_ref_db = std::max(ref.a_ref_db, 0.0);  // NTIA: no negative reference attenuation
    return ref;
}

// The (C1 + C2 / (1 + ((d_e - x2)/x3)^2)) (d_e/x1)^2 / (1 + (d_e/x1)^2) curves [TN101v2 eq. III.69-70].
double curve(double c1, double c2, double x1, double x2, double x3, double d_e_m) {
    const double t = (d_e_m - x2) / x3;
    const double u = (d_e_m / x1) * (d_e_m / x1);
    return (c1 + c2 / (1.0 + t * t)) * u / (1.0 + u);
}

// Quantile of the attenuation relative to free space for the chosen variability [Alg §5, TN101 ch. 10].
double variability_db(const Path& p, double a_ref_db) {
    const ItmPrepared& k = p.k;
    using namespace itm_tables;  // climate constants [Alg Table 5.1; TN101 fig. 10.13]

    const double z_t = k.z_t, z_l = k.z_l, z_s = k.z_s;
    const int c = k.params.climate - 1;
    const double wn = k.params.f_mhz / 47.7;

    // Effective distance [Alg 5.3].
    const double d_ex_m = std::sqrt(2.0 * kA9000_m * p.h_e_m[0]) + std::sqrt(2.0 * kA9000_m * p.h_e_m[1]) +
                          k.d_ex_f_m;
    const double d_e_m = p.d_m < d_ex_m ? 130e3 * p.d_m / d_ex_m : 130e3 + p.d_m - d_ex_m;  // [Alg §5]

    const int mode = k.mode;
    const bool no_location = k.no_location;
    const double sigma_s = k.no_situation ? 0.0 : 5.0 + 3.0 * std::exp(-d_e_m / 100e3);  // [Alg 5.10]

    const double v_med = curve(kAllYear[0][c], kAllYear[1][c], kAllYear[2][c], kAllYear[3][c], kAllYear[4][c], d_e_m);  // [Alg §5, TN101v2 eq. III.69]

    // Location variability [Alg §5].
    double sigma_l = 0.0;
    if (!no_location) {
        const double delta_h_d = terrain_roughness_m(p.d_m, p.delta_h_m);
        sigma_l = 10.0 * wn * delta_h_d / (wn * delta_h_d + 13.0);
    }
    const double y_l = sigma_l * z_l;

    // Time variability [Alg §5, Table 5.1].
    const double g_minus = k.g_minus, g_plus = k.g_plus;
    const double sigma_t_minus = curve(kBsm1[c], kBsm2[c], kXsm1[c], kXsm2[c], kXsm3[c], d_e_m) * g_minus;
    const double sigma_t_plus = curve(kBsp1[c], kBsp2[c], kXsp1[c], kXsp2[c], kXsp3[c], d_e_m) * g_plus;
    const double sigma_td = kCd[c] * sigma_t_plus;
    const double tgtd = (sigma_t_plus - sigma_td) * kZd[c];
    double sigma_t;
    if (z_t < 0.0)
        sigma_t = sigma_t_minus;
    else if (z_t <= kZd[c])
        sigma_t = sigma_t_plus;
    else
        sigma_t = sigma_td + tgtd / z_t;
    const double y_t = sigma_t * z_t;

    // Combination [Alg 5.11].
    const double y_s2 = sigma_s * sigma_s + y_t * y_t / (7.8 + z_s * z_s) + y_l * y_l / (24.0 + z_s * z_s);
    double y_r;
    double y_s;
    if (mode == 0) {
        y_r = 0.0;
        y_s = std::sqrt(sigma_t * sigma_t + sigma_l * sigma_l + y_s2) * z_s;
    } else if (mode == 1) {
        y_r = y_t;
        y_s = std::sqrt(sigma_l * sigma_l + y_s2) * z_s;
    } else if (mode == 2) {
        y_r = std::sqrt(sigma_t * sigma_t + sigma_l * sigma_l) * z_t;
        y_s = std::sqrt(y_s2) * z_s;
    } else {  // broadcast
        y_r = y_t + y_l;
        y_s = std::sqrt(y_s2) * z_s;
    }
    double a_db = a_ref_db - v_med - y_r - y_s;
    if (a_db < 0.0) a_db = a_db * (29.0 - a_db) / (29.0 - 10.0 * a_db);  // soft floor [Alg §5]
    return a_db;
}

// Frequency factors of the time variability [Alg §5, Table 5.1].
void time_frequency_factors(int c, double wn, double& g_minus, double& g_plus) {
    constexpr double bfm1[] = {1.0, 1.0, 1.0, 1.0, 0.92, 1.0, 1.0};
    constexpr double bfm2[] = {0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0};
    constexpr double bfm3[] = {0.0, 0.0, 0.0, 0.0, 1.77, 0.0, 0.0};
    constexpr double bfp1[] = {1.0, 0.93, 1.0, 0.93, 0.93, 1.0, 1.0};
    constexpr double bfp2[] = {0.0, 0.31, 0.0, 0.19, 0.31, 0.0, 0.0};
    constexpr double bfp3[] = {0.0, 2.00, 0.0, 1.79, 2.00, 0.0, 0.0};
    const double q = std::log(0.133 * wn);
    g_minus = bfm1[c] + bfm2[c] / ((bfm3[c] * q) * (bfm3[c] * q) + 1.0);
    g_plus = bfp1[c] + bfp2[c] / ((bfp3[c] * q) * (bfp3[c] * q) + 1.0);
}

ItmResult finish(const Path& p, std::uint32_t w) {
    const Reference ref = reference_attenuation(p, w);
    ItmResult r;
    r.intermediate.A_fs_db = p.k.a_fs0_db + 20.0 * std::log10(p.d_m / 1000.0);  // NTIA FreeSpaceLoss
    r.loss_db = r.intermediate.A_fs_db + variability_db(p, ref.a_ref_db);
    r.mode = ref.mode;
    r.warnings = w | p.k.warnings;
    r.intermediate.theta_hzn = p.theta_hzn;
    r.intermediate.d_hzn_m = p.d_hzn_m;
    r.intermediate.h_e_m = p.h_e_m;
    r.intermediate.N_s = p.N_s;
    r.intermediate.delta_h_m = p.delta_h_m;
    r.intermediate.A_ref_db = ref.a_ref_db;
    r.intermediate.d_km = p.d_m / 1000.0;
    return r;
}

}  // namespace

std::string_view itm_mode_name(ItmMode mode) {
    switch (mode) {
        case ItmMode::line_of_sight: return "line_of_sight";
        case ItmMode::diffraction: return "diffraction";
        case ItmMode::troposcatter: return "troposcatter";
    }
    return "unknown";
}

std::vector<std::string_view> itm_warning_names(std::uint32_t warnings) {
    static constexpr std::array<std::string_view, 15> kNames = {
        "tx_terminal_height", "rx_terminal_height", "frequency", "path_distance_too_big_1", "path_distance_too_big_2",
        "path_distance_too_small_1", "path_distance_too_small_2", "tx_horizon_angle", "rx_horizon_angle",
        "tx_horizon_distance_1", "rx_horizon_distance_1", "tx_horizon_distance_2", "rx_horizon_distance_2",
        "extreme_variabilities", "surface_refractivity"};
    std::vector<std::string_view> names;
    for (std::size_t bit = 0; bit < kNames.size(); ++bit)
        if (warnings & (1u << bit)) names.push_back(kNames[bit]);
    return names;
}

ItmVariability itm_confidence_reliability(double confidence_pct, double reliability_pct) {
    return {reliability_pct, 50.0, confidence_pct, true};  // NTIA ITM_*_CR: time = reliability, situation = confidence
}

ItmPrepared itm_prepare(const ItmParams& params, const ItmVariability& v) {
    ItmPrepared k;
    k.params = params;
    k.warnings = validate_params(params, v);
    const std::complex<double> z_g = ground_impedance(params);
    if (z_g.real() <= std::abs(z_g.imag()))
        throw InputError("ITM: ground impedance: the imaginary part exceeds the real part; check epsilon and sigma_s_per_m");
    k.z_g_re = z_g.real();
    k.z_g_im = z_g.imag();
    k.abs_z_g = std::abs(z_g);
    k.f_third = std::cbrt(params.f_mhz);
    k.k_vogler = 0.017778 / k.f_third / k.abs_z_g;  // [Vogler eq. 6a/7a]
    k.log_f = std::log(params.f_mhz);
    k.a_fs0_db = 32.45 + 20.0 * std::log10(params.f_mhz);     // NTIA FreeSpaceLoss
    const double wn = params.f_mhz / 47.7;
    k.d_ex_f_m = std::cbrt(575.7e12 / wn);                    // [Alg 5.3]
    k.z_t = itm_inverse_ccdf(v.time_pct / 100.0);
    k.z_l = itm_inverse_ccdf(v.location_pct / 100.0);
    k.z_s = itm_inverse_ccdf(v.situation_pct / 100.0);
    k.mode = params.mdvar;
    k.no_situation = k.mode >= 20;  // +20: direct situation variability eliminated [TR 82-100]
    if (k.no_situation) k.mode -= 20;
    k.no_location = k.mode >= 10;   // +10: location variability eliminated
    if (k.no_location) k.mode -= 10;
    if (k.mode == 0) {  // single message: all deviates are the situation deviate
        k.z_t = k.z_s;
        k.z_l = k.z_s;
    } else if (k.mode == 1) {  // accidental
        k.z_l = k.z_s;
    } else if (k.mode == 2) {  // mobile
        k.z_l = k.z_t;
    }
    if (std::abs(k.z_t) > 3.10 || std::abs(k.z_l) > 3.10 || std::abs(k.z_s) > 3.10)
        k.warnings |= itm_warning::extreme_variabilities;
    time_frequency_factors(params.climate - 1, wn, k.g_minus, k.g_plus);
    return k;
}

ItmResult itm_p2p_from_geometry(const ItmTerrainGeometry& g, const ItmPrepared& k) {
    const std::uint32_t w = validate_heights(g.h_m[0], g.h_m[1], k.params.allow_out_of_range);
    const Path p{g.d_m, g.h_m, g.h_e_m, g.d_hzn_m, g.theta_hzn, g.delta_h_m, g.N_s, g.gamma_e_per_m, k, true};
    return finish(p, w);
}

ItmResult itm_p2p_from_geometry(const ItmTerrainGeometry& g, const ItmParams& params, const ItmVariability& v) {
    validate_heights(g.h_m[0], g.h_m[1], params.allow_out_of_range);  // NTIA's order: heights first
    return itm_p2p_from_geometry(g, itm_prepare(params, v));
}

ItmResult itm_p2p(ProfileView profile, double h_tx_m, double h_rx_m, const ItmParams& params, const ItmVariability& v) {
    validate_heights(h_tx_m, h_rx_m, params.allow_out_of_range);  // NTIA checks the inputs before the profile
    const ItmPrepared k = itm_prepare(params, v);
    return itm_p2p_from_geometry(itm_analyze_profile(profile, h_tx_m, h_rx_m, params.n0), k);
}

ItmResult itm_area(const ItmAreaInput& in, const ItmParams& params, const ItmVariability& v) {
    const std::uint32_t w = validate_heights(in.h_tx_m, in.h_rx_m, params.allow_out_of_range);
    const ItmPrepared k = itm_prepare(params, v);
    if (!(in.d_km > 0.0)) fail("d_km", in.d_km, "must be > 0 km");
    if (!(in.delta_h_m >= 0.0)) fail("delta_h_m", in.delta_h_m, "must be >= 0 m");
    const std::array<ItmSiting, 2> siting = {in.tx_siting, in.rx_siting};
    for (int j = 0; j < 2; ++j) {
        const int s = static_cast<int>(siting[j]);
        if (s < 0 || s > 2) fail(j == 0 ? "tx_siting" : "rx_siting", s, "must be 0 (random), 1 (careful) or 2 (very careful)");
    }
    // Area mode uses N_s = n0 (path height 0) [Alg §2].
    const double n_s = params.n0;
    const double gamma_e = kGammaA_per_m * (1.0 - 0.04665 * std::exp(n_s / 179.3));  // [TN101 eq. 4.4]
    Path p{in.d_km * 1000.0, {in.h_tx_m, in.h_rx_m}, {}, {}, {}, in.delta_h_m, n_s, gamma_e, k, false};
    for (int j = 0; j < 2; ++j) {
        const double h = p.h_m[j];
        double h_e = h;
        if (siting[j] != ItmSiting::random) {
            double b = siting[j] == ItmSiting::careful ? 4.0 : 9.0;
            if (h < 5.0) b *= std::sin(0.1 * kPi * h);
            h_e = h + (1.0 + b) * std::exp(-std::min(20.0, 2.0 * h / std::max(1e-3, in.delta_h_m)));  // [Alg 3.2]
        }
        p.h_e_m[j] = h_e;
        const double d_ls_m = std::sqrt(2.0 * h_e / gamma_e);
        p.d_hzn_m[j] = d_ls_m * std::exp(-0.07 * std::sqrt(in.delta_h_m / std::max(h_e, 5.0)));              // [Alg 3.3]
        p.theta_hzn[j] = (0.65 * in.delta_h_m * (d_ls_m / p.d_hzn_m[j] - 1.0) - 2.0 * h_e) / d_ls_m;         // [Alg 3.4]
    }
    return finish(p, w);
}

// Registry adapter: LossQuery -> ITM point-to-point over the query's profile (TLS form).
LossResult adapt_itm(const LossQuery& q) {
    LossResult out;
    const bool f_out = !(q.f_mhz >= 20.0 && q.f_mhz <= 20000.0);
    const bool tx_out = !(q.h_tx_m >= 0.5 && q.h_tx_m <= 3000.0);
    const bool rx_out = !(q.h_rx_m >= 0.5 && q.h_rx_m <= 3000.0);
    if (q.enforce_ranges) {
        if (f_out) fail("f_mhz", q.f_mhz, "must be in [20, 20000] MHz (ITM is not defined above 20 GHz)");
        if (tx_out) fail("h_tx_m", q.h_tx_m, "must be in [0.5, 3000] m");
        if (rx_out) fail("h_rx_m", q.h_rx_m, "must be in [0.5, 3000] m");
    }
    if (f_out) out.warnings.emplace_back("frequency_out_of_range");
    if (tx_out) out.warnings.emplace_back("tx_height_out_of_range");
    if (rx_out) out.warnings.emplace_back("rx_height_out_of_range");

    ItmParams params;
    params.f_mhz = q.f_mhz;
    params.polarization = q.polarization;
    params.climate = q.climate;
    params.n0 = q.n0;
    params.epsilon = q.epsilon;
    params.sigma_s_per_m = q.sigma_s_per_m;
    params.mdvar = q.mdvar;
    params.allow_out_of_range = !q.enforce_ranges;
    const ItmResult r = itm_p2p(q.profile, q.h_tx_m, q.h_rx_m, params, {q.time_pct, q.location_pct, q.situation_pct});

    out.loss_db = r.loss_db;
    out.mode = std::string(itm_mode_name(r.mode));
    for (std::string_view name : itm_warning_names(r.warnings)) out.warnings.emplace_back(name);
    const ItmIntermediate& iv = r.intermediate;
    out.intermediate = {{"theta_hzn_tx_rad", iv.theta_hzn[0]}, {"theta_hzn_rx_rad", iv.theta_hzn[1]},
                        {"d_hzn_tx_m", iv.d_hzn_m[0]},         {"d_hzn_rx_m", iv.d_hzn_m[1]},
                        {"h_e_tx_m", iv.h_e_m[0]},             {"h_e_rx_m", iv.h_e_m[1]},
                        {"N_s", iv.N_s},                       {"delta_h_m", iv.delta_h_m},
                        {"A_ref_db", iv.A_ref_db},             {"A_fs_db", iv.A_fs_db},
                        {"d_km", iv.d_km},                     {"mode_code", static_cast<double>(r.mode)},
                        {"warning_flags", static_cast<double>(r.warnings)}};
    return out;
}

}  // namespace dxplan::prop
