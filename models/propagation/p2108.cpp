#include "models/propagation/p2108.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "models/propagation/normal.hpp"

namespace dxplan::prop {

P2108Result p2108_height_gain_correction(const P2108HeightGainInput& in) {
    if (!(in.f_ghz > 0.0)) throw InputError("p2108 sec. 3.1: f_ghz must be positive");
    if (!(in.h_m > 0.0)) throw InputError("p2108 sec. 3.1: h_m = " + std::to_string(in.h_m) + ": must be > 0 m");
    if (!(in.w_s_m > 0.0)) throw InputError("p2108 sec. 3.1: w_s_m = " + std::to_string(in.w_s_m) + ": must be > 0 m");
    if (!(in.r_m > 0.0)) throw InputError("p2108 sec. 3.1: r_m = " + std::to_string(in.r_m) + ": must be > 0 m");
    P2108Result r;
    if (in.f_ghz < 0.03 || in.f_ghz > 3.0) r.warnings.emplace_back("frequency_out_of_range");
    if (in.h_m >= in.r_m) return r;  // sec. 3.1: A_h = 0 when the antenna is at or above the clutter
    const double f = in.f_ghz;
    const bool open_type = in.clutter == P2108Clutter::water_sea || in.clutter == P2108Clutter::open_rural;
    if (open_type) {
        const double k_h2 = 21.8 + 6.2 * std::log10(f);  // sec. 3.1, K_h2
        r.loss_db = -k_h2 * std::log10(in.h_m / in.r_m);  // sec. 3.1, A_h for water/sea and open/rural
    } else {
        const double h_dif = in.r_m - in.h_m;                          // sec. 3.1, h_dif
        const double theta_clut_deg = rad_to_deg(std::atan(h_dif / in.w_s_m));  // sec. 3.1, theta_clut (degrees)
        const double k_nu = 0.342 * std::sqrt(f);                      // sec. 3.1, K_nu
        const double nu = k_nu * std::sqrt(h_dif * theta_clut_deg);    // sec. 3.1, nu
        const double j_nu = 6.9 + 20.0 * std::log10(std::sqrt((nu - 0.1) * (nu - 0.1) + 1.0) + nu - 0.1);  // J(nu), P.526 knife-edge approximation
        r.loss_db = j_nu - 6.03;  // sec. 3.1, A_h = J(nu) - 6.03 for the other clutter types
    }
    return r;
}

namespace {

// sec. 3.2 clutter loss at distance d_km, eqs. (3a)-(5b).
double terrestrial_clutter_loss_db(double f_ghz, double d_km, double p_pct) {
    constexpr double sigma_l_db = 4.0;  // eq. (4b)
    constexpr double sigma_s_db = 6.0;  // eq. (5b)
    const double lf = std::log10(f_ghz);
    const double l_l = -2.0 * std::log10(std::pow(10.0, -5.0 * lf - 12.5) + std::pow(10.0, -16.5));  // eq. (4a)
    const double l_s = 32.98 + 23.9 * std::log10(d_km) + 3.0 * lf;                                      // eq. (5a)
    const double wl = std::pow(10.0, -0.2 * l_l), ws = std::pow(10.0, -0.2 * l_s);
    const double sigma_cb = std::sqrt((sigma_l_db * sigma_l_db * wl + sigma_s_db * sigma_s_db * ws) / (wl + ws));  // eq. (3b)
    return -5.0 * std::log10(wl + ws) - sigma_cb * inverse_normal_ccdf(p_pct / 100.0);  // eq. (3a)
}

}  // namespace

P2108Result p2108_terrestrial_clutter_loss(double f_ghz, double d_km, double p_pct) {
    if (!(f_ghz > 0.0)) throw InputError("p2108 sec. 3.2: f_ghz must be positive");
    if (!(d_km > 0.0)) throw InputError("p2108 sec. 3.2: d_km must be positive");
    if (!(p_pct > 0.0 && p_pct < 100.0))
        throw InputError("p2108 sec. 3.2: p = " + std::to_string(p_pct) + ": must be in (0, 100) %");
    P2108Result r;
    if (f_ghz < 0.5 || f_ghz > 67.0) r.warnings.emplace_back("frequency_out_of_range");
    if (d_km < 0.25) r.warnings.emplace_back("distance_out_of_range");
    // sec. 3.2: the clutter loss must not exceed its value at 2 km, eq. (6)
    r.loss_db = std::min(terrestrial_clutter_loss_db(f_ghz, d_km, p_pct), terrestrial_clutter_loss_db(f_ghz, 2.0, p_pct));
    return r;
}

P2108Result p2108_aeronautical_clutter_loss(double f_ghz, double theta_deg, double p_pct) {
    if (!(f_ghz > 0.0)) throw InputError("p2108 sec. 3.3: f_ghz must be positive");
    if (!(theta_deg >= 0.0 && theta_deg <= 90.0))
        throw InputError("p2108 sec. 3.3: theta = " + std::to_string(theta_deg) + ": must be in [0, 90] degrees");
    if (!(p_pct > 0.0 && p_pct < 100.0))
        throw InputError("p2108 sec. 3.3: p = " + std::to_string(p_pct) + ": must be in (0, 100) %");
    P2108Result r;
    if (f_ghz < 10.0 || f_ghz > 100.0) r.warnings.emplace_back("frequency_out_of_range");
    constexpr double a1 = 0.05;                       // sec. 3.3
    const double k1 = 93.0 * std::pow(f_ghz, 0.175);  // sec. 3.3
    const double cot = 1.0 / std::tan(a1 * (1.0 - theta_deg / 90.0) + kPi * theta_deg / 180.0);
    const double base = -k1 * std::log(1.0 - p_pct / 100.0) * cot;
    r.loss_db = std::pow(base, 0.5 * (90.0 - theta_deg) / 90.0) - 1.0 -
                0.6 * inverse_normal_ccdf(p_pct / 100.0);  // sec. 3.3, L_ces
    return r;
}

}  // namespace dxplan::prop
