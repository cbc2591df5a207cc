#include "models/propagation/p530.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "models/propagation/p838.hpp"

namespace dxplan::prop {

namespace {

void append(std::vector<std::string>& to, const std::vector<std::string>& from) {
    for (const auto& w : from)
        if (std::find(to.begin(), to.end(), w) == to.end()) to.push_back(w);
}

void check_rain(const P530RainInput& in) {
    if (!(in.f_ghz > 0.0) || !std::isfinite(in.f_ghz)) throw InputError("p530 rain: f_ghz must be positive");
    if (!(in.d_km > 0.0) || !std::isfinite(in.d_km)) throw InputError("p530 rain: d_km must be positive");
    if (!(in.r001_mm_per_h > 0.0) || !std::isfinite(in.r001_mm_per_h))
        throw InputError("p530 rain: r001_mm_per_h must be a positive rain rate (mm/h)");
}

// Steps 1-4 of sec. 2.4.1 and the coefficients of step 5; a_db left at A_0.01.
P530RainResult rain_at_0_01(const P530RainInput& in) {
    check_rain(in);
    P530RainResult r;
    const double f = in.f_ghz, d = in.d_km, r001 = in.r001_mm_per_h;
    if (f < 1.0 || f > 100.0) r.warnings.emplace_back("frequency_out_of_range");
    if (d > 60.0) r.warnings.emplace_back("distance_out_of_range");
    const P838Result g = p838_specific_attenuation(f, r001, in.elevation_deg, in.tau_deg);  // step 2: P.838-3
    append(r.warnings, g.warnings);
    r.k = g.coefficients.k;
    r.alpha = g.coefficients.alpha;
    r.gamma_r_db_per_km = g.gamma_r_db_per_km;
    const double denom = 0.477 * std::pow(d, 0.633) * std::pow(r001, 0.073 * r.alpha) * std::pow(f, 0.123) -
                         10.579 * (1.0 - std::exp(-0.024 * d));  // step 3: distance factor r
    r.r_factor = denom > 0.4 ? 1.0 / denom : 2.5;                // step 3: r at most 2.5
    if (!(denom > 0.4)) r.warnings.emplace_back("distance_factor_capped");
    r.d_eff_km = r.r_factor * d;               // step 3: d_eff = r d
    r.a001_db = r.gamma_r_db_per_km * r.d_eff_km;  // step 4: A_0.01 = gamma_R d_eff
    const double c0 = f >= 10.0 ? 0.12 + 0.4 * std::log10(std::pow(f / 10.0, 0.8)) : 0.12;  // step 5: C0
    r.c1 = std::pow(0.07, c0) * std::pow(0.12, 1.0 - c0);  // step 5: C1
    r.c2 = 0.855 * c0 + 0.546 * (1.0 - c0);                // step 5: C2
    r.c3 = 0.139 * c0 + 0.043 * (1.0 - c0);                // step 5: C3
    r.a_db = r.a001_db;
    return r;
}

}  // namespace

P530RainResult p530_rain_attenuation(const P530RainInput& in, double p_pct) {
    if (!(p_pct > 0.0 && p_pct < 100.0)) throw InputError("p530 rain: p must be in (0, 100) %");
    P530RainResult r = rain_at_0_01(in);
    if (p_pct < 0.001 || p_pct > 1.0) r.warnings.emplace_back("time_percentage_out_of_range");
    r.a_db = r.a001_db * r.c1 * std::pow(p_pct, -(r.c2 + r.c3 * std::log10(p_pct)));  // step 5: A_p
    return r;
}

P530RainExceedance p530_rain_exceedance(const P530RainInput& in, double a_db) {
    if (!(a_db > 0.0) || !std::isfinite(a_db)) throw InputError("p530 rain: attenuation must be > 0 dB");
    P530RainExceedance e;
    e.at_0_01 = rain_at_0_01(in);
    const P530RainResult& r = e.at_0_01;
    append(e.warnings, r.warnings);
    // Step 5 solved for p: with x = log10 p, C3 x^2 + C2 x + log10(A / (A_0.01 C1)) = 0; the root on the
    // decreasing branch of the law (x > -C2 / (2 C3)).
    const double l = std::log10(a_db / (r.a001_db * r.c1));
    const double disc = r.c2 * r.c2 - 4.0 * r.c3 * l;
    if (disc < 0.0) {
        e.p_pct = 0.0;  // a_db above the maximum of the law: never exceeded
        e.warnings.emplace_back("time_percentage_out_of_range");
        return e;
    }
    const double x = (-r.c2 + std::sqrt(disc)) / (2.0 * r.c3);
    e.p_pct = std::min(100.0, std::pow(10.0, x));
    if (e.p_pct < 0.001 || e.p_pct > 1.0) e.warnings.emplace_back("time_percentage_out_of_range");
    return e;
}

double p530_geoclimatic_factor(double dn1, double s_a_m, P530MultipathMethod method) {
    if (!std::isfinite(dn1)) throw InputError("p530: dN1 must be a finite refractivity gradient (N-units/km)");
    if (method == P530MultipathMethod::quick) return std::pow(10.0, -4.6 - 0.0027 * dn1);  // P.530-16 eq. (6)
    if (!(s_a_m >= 0.0)) throw InputError("p530: s_a_m (terrain roughness) must be >= 0 m");
    return std::pow(10.0, -4.4 - 0.0027 * dn1) * std::pow(10.0 + s_a_m, -0.46);  // P.530-16 eq. (4)
}

P530MultipathResult p530_multipath_fading(const P530MultipathInput& in, double a_db) {
    if (!(in.f_ghz > 0.0) || !(in.d_km > 0.0) || !std::isfinite(in.f_ghz + in.d_km))
        throw InputError("p530 multipath: f_ghz and d_km must be positive");
    if (!std::isfinite(in.h_e_m + in.h_r_m)) throw InputError("p530 multipath: antenna altitudes must be finite");
    if (!(a_db >= 0.0)) throw InputError("p530 multipath: fade depth must be >= 0 dB");
    if (in.k_factor && !(*in.k_factor > 0.0)) throw InputError("p530 multipath: k_factor must be > 0");
    P530MultipathResult r;
    const double f = in.f_ghz, d = in.d_km;
    r.k_factor = in.k_factor ? *in.k_factor : p530_geoclimatic_factor(in.dn1, in.s_a_m, in.method);
    r.eps_p_mrad = std::abs(in.h_r_m - in.h_e_m) / d;  // P.530 sec. 2.3.1 eq. (5): |eps_p| (mrad)
    const double h_l_m = std::min(in.h_e_m, in.h_r_m);  // altitude of the lower antenna
    // sec. 2.3.4: worst month -> average year
    const double xi_rad = deg_to_rad(std::abs(in.latitude_deg));
    const double sign = std::abs(in.latitude_deg) <= 45.0 ? 1.0 : -1.0;
    r.delta_g_db = std::min(10.8, 10.5 - 5.6 * std::log10(1.1 + sign * std::pow(std::abs(std::cos(2.0 * xi_rad)), 0.7)) -
                                      2.7 * std::log10(d) + 1.7 * std::log10(1.0 + r.eps_p_mrad));  // sec. 2.3.4
    if (d < 5.0) {  // sec. 2.3: multipath fading need only be calculated for paths longer than 5 km
        r.neglected_short_path = true;
        return r;
    }
    if (d < 7.5 || d > 185.0) r.warnings.emplace_back("distance_out_of_range");
    if (f < 0.45 || f > 37.0) r.warnings.emplace_back("frequency_out_of_range");
    if (f < 15.0 / d) r.warnings.emplace_back("frequency_below_15_over_d");
    auto p_w = [&](double a) {
        if (in.method == P530MultipathMethod::quick)
            return r.k_factor * std::pow(d, 3.1) * std::pow(1.0 + r.eps_p_mrad, -1.29) * std::pow(f, 0.8) *
                   std::pow(10.0, -0.00089 * h_l_m - a / 10.0);  // P.530-16 eq. (8)
        return r.k_factor * std::pow(d, 3.4) * std::pow(1.0 + r.eps_p_mrad, -1.03) * std::pow(f, 0.8) *
               std::pow(10.0, -0.00076 * h_l_m - a / 10.0);  // P.530-16 eq. (7)
    };
    r.p0_pct = p_w(0.0);                                       // multipath occurrence factor p_0
    const double a_t_db = 25.0 + 1.2 * std::log10(r.p0_pct);   // sec. 2.3.2: transition fade depth A_t
    if (a_db < a_t_db) r.warnings.emplace_back("fade_depth_below_deep_fading_range");
    r.p_worst_month_pct = std::min(100.0, p_w(a_db));
    r.p_annual_pct = std::pow(10.0, -r.delta_g_db / 10.0) * r.p_worst_month_pct;  // sec. 2.3.4
    return r;
}

P530HopResult p530_hop_availability(const P530HopInput& in) {
    if (!(in.fade_margin_db > 0.0)) throw InputError("p530 hop: fade_margin_db must be > 0 dB");
    P530HopResult h;
    const P530RainExceedance rain = p530_rain_exceedance(in.rain, in.fade_margin_db);
    append(h.warnings, rain.warnings);
    h.rain_outage_pct = rain.p_pct;
    h.a001_db = rain.at_0_01.a001_db;
    P530MultipathInput mp = in.multipath;
    mp.f_ghz = in.rain.f_ghz;
    mp.d_km = in.rain.d_km;
    const P530MultipathResult m = p530_multipath_fading(mp, in.fade_margin_db);
    append(h.warnings, m.warnings);
    h.multipath_worst_month_pct = m.p_worst_month_pct;
    h.multipath_outage_pct = m.p_annual_pct;
    h.outage_pct = std::min(100.0, h.rain_outage_pct + h.multipath_outage_pct);
    h.availability_pct = 100.0 - h.outage_pct;
    return h;
}

}  // namespace dxplan::prop
