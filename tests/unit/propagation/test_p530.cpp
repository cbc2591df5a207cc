// ITU-R P.530 rain, multipath and hop availability, with the hand calculations shown.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "models/propagation/p530.hpp"

using namespace dxplan::prop;

namespace {
bool has(const std::vector<std::string>& w, const std::string& s) { return std::find(w.begin(), w.end(), s) != w.end(); }
}  // namespace

TEST_CASE("P.530-18 sec. 2.4.1 rain attenuation", "[p530]") {
    // 18 GHz, horizontal polarization, 10 km, R0.01 = 50 mm/h.
    // P.838-3: k_H = 0.0707841, alpha_H = 1.081827 -> gamma_R = 0.0707841 * 50^1.081827 = 4.87446 dB/km
    // r = 1 / (0.477 * 10^0.633 * 50^(0.073 * 1.081827) * 18^0.123 - 10.579 (1 - exp(-0.24)))
    //   = 1 / (0.477 * 4.29536 * 1.36185 * 1.42727 - 10.579 * 0.213372) = 1 / 1.724635 = 0.579833
    // A_0.01 = 4.87446 * 0.579833 * 10 = 28.2637 dB
    // C0 = 0.12 + 0.4 log10(1.8^0.8) = 0.201687; C1 = 0.07^C0 0.12^(1-C0) = 0.107639;
    // C2 = 0.855 C0 + 0.546 (1 - C0) = 0.608321; C3 = 0.139 C0 + 0.043 (1 - C0) = 0.062362
    // A_0.1 = 28.2637 * 0.107639 * 0.1^-(0.608321 - 0.062362) = 10.6944 dB; A_0.001 = 55.8348 dB
    P530RainInput in{18.0, 10.0, 50.0, 0.0, 0.0};
    const P530RainResult a001 = p530_rain_attenuation(in, 0.01);
    CHECK(a001.gamma_r_db_per_km == Approx(4.87446).margin(1e-5));
    CHECK(a001.r_factor == Approx(0.579833).margin(1e-6));
    CHECK(a001.a001_db == Approx(28.2637).margin(1e-4));
    CHECK(a001.c1 == Approx(0.107639).margin(1e-6));
    CHECK(a001.a_db == Approx(28.2094).margin(1e-4));  // the power law at p = 0.01 gives ~A_0.01 (C1 0.01^-(C2-2C3) = 0.99808)
    CHECK(p530_rain_attenuation(in, 0.1).a_db == Approx(10.6944).margin(1e-4));
    CHECK(p530_rain_attenuation(in, 0.001).a_db == Approx(55.8348).margin(1e-4));
    CHECK(p530_rain_attenuation(in, 0.01).warnings.empty());
    CHECK(has(p530_rain_attenuation(in, 5.0).warnings, "time_percentage_out_of_range"));
    // Inverse: a 35 dB margin is exceeded for 10^x %, x the root of C3 x^2 + C2 x + log10(35 / (A0.01 C1)) = 0:
    //   log10(35 / 3.04228) = 1.060882 -> x = (-0.608321 + sqrt(0.370054 - 0.264635)) / 0.124724 = -2.27409
    //   p = 0.0053201 %; and A at that p is 35 dB again
    const P530RainExceedance e = p530_rain_exceedance(in, 35.0);
    CHECK(e.p_pct == Approx(0.0053201).margin(1e-7));
    CHECK(p530_rain_attenuation(in, e.p_pct).a_db == Approx(35.0).margin(1e-9));
    in.r001_mm_per_h = 0.0;
    CHECK_THROWS_AS(p530_rain_attenuation(in, 0.01), dxplan::InputError);
}

TEST_CASE("P.530 sec. 2.3.1 multipath fading, worst month and year", "[p530]") {
    // 30 km, 18 GHz, antennas at 300 m and 200 m a.s.l., dN1 = -400 N/km, s_a = 30 m, latitude 36 deg.
    // K = 10^(-4.4 + 1.08) (10 + 30)^-0.46 = 4.7863e-4 * 0.183253 = 8.77107e-5
    // eps_p = |200 - 300| / 30 = 3.3333 mrad; h_L = 200 m
    // p0 = K 30^3.4 (4.3333)^-1.03 18^0.8 10^(-0.152) = 14.5063 %
    // A = 35 dB: p_w = 14.5063 * 10^-3.5 = 0.00458729 %
    // dG = 10.5 - 5.6 log(1.1 + |cos 72 deg|^0.7) - 2.7 log 30 + 1.7 log 4.3333 = 6.54500 dB
    // p = 10^-0.6545 * 0.00458729 = 0.00101638 %
    P530MultipathInput in;
    in.f_ghz = 18.0;
    in.d_km = 30.0;
    in.h_e_m = 300.0;
    in.h_r_m = 200.0;
    in.dn1 = -400.0;
    in.s_a_m = 30.0;
    in.latitude_deg = 36.0;
    const P530MultipathResult m = p530_multipath_fading(in, 35.0);
    CHECK(m.k_factor == Approx(8.77107e-5).epsilon(1e-5));
    CHECK(m.eps_p_mrad == Approx(3.33333).margin(1e-5));
    CHECK(m.p0_pct == Approx(14.5063).margin(1e-4));
    CHECK(m.p_worst_month_pct == Approx(0.00458729).margin(1e-8));
    CHECK(m.delta_g_db == Approx(6.54500).margin(1e-5));
    CHECK(m.p_annual_pct == Approx(0.00101638).margin(1e-8));
    CHECK(m.warnings.empty());  // A = 35 dB >= A_t = 25 + 1.2 log 14.5063 = 26.39 dB
    CHECK(has(p530_multipath_fading(in, 20.0).warnings, "fade_depth_below_deep_fading_range"));
    // quick method: K = 10^(-4.6 + 1.08) = 3.01995e-4, p_w = K 30^3.1 4.3333^-1.29 18^0.8 10^(-0.178 - 3.5)
    in.method = P530MultipathMethod::quick;
    CHECK(p530_multipath_fading(in, 35.0).p_worst_month_pct == Approx(0.00366263).margin(1e-8));
    // K given directly replaces the estimate
    in.k_factor = 1e-4;
    CHECK(p530_multipath_fading(in, 35.0).k_factor == 1e-4);
    // paths shorter than 5 km: multipath neglected
    in.d_km = 4.0;
    const P530MultipathResult short_path = p530_multipath_fading(in, 35.0);
    CHECK(short_path.neglected_short_path);
    CHECK(short_path.p_worst_month_pct == 0.0);
}

TEST_CASE("P.530 hop availability for a fade margin", "[p530]") {
    // Rain: 18 GHz, 10 km, R0.01 = 50 mm/h: margin 35 dB exceeded 0.0053201 % of the year (see above).
    // Multipath on the same 10 km hop (antennas 300/200 m, dN1 -400, s_a 30 m, lat 36):
    //   p0 = K 10^3.4 (1 + 10)^-1.03 18^0.8 10^-0.152, p_w = p0 10^-3.5, p = 10^(-dG/10) p_w
    P530HopInput hop;
    hop.rain = P530RainInput{18.0, 10.0, 50.0, 0.0, 0.0};
    hop.multipath.h_e_m = 300.0;
    hop.multipath.h_r_m = 200.0;
    hop.multipath.dn1 = -400.0;
    hop.multipath.s_a_m = 30.0;
    hop.multipath.latitude_deg = 36.0;
    hop.fade_margin_db = 35.0;
    const P530HopResult h = p530_hop_availability(hop);
    const double k = 8.77107e-5;
    const double eps_p = 10.0;  // |200 - 300| / 10 km
    const double p_w = k * std::pow(10.0, 3.4) * std::pow(1.0 + eps_p, -1.03) * std::pow(18.0, 0.8) *
                       std::pow(10.0, -0.152 - 3.5);
    const double dg = 10.5 - 5.6 * std::log10(1.1 + std::pow(std::cos(dxplan::deg_to_rad(72.0)), 0.7)) -
                      2.7 * std::log10(10.0) + 1.7 * std::log10(1.0 + eps_p);
    CHECK(h.rain_outage_pct == Approx(0.0053201).margin(1e-7));
    CHECK(h.multipath_worst_month_pct == Approx(p_w).epsilon(1e-5));
    CHECK(h.multipath_outage_pct == Approx(std::pow(10.0, -std::min(dg, 10.8) / 10.0) * p_w).epsilon(1e-5));
    CHECK(h.availability_pct == Approx(100.0 - h.rain_outage_pct - h.multipath_outage_pct).margin(1e-12));
    CHECK(h.a001_db == Approx(28.2637).margin(1e-4));
    hop.fade_margin_db = 45.0;  // more margin, higher availability
    CHECK(p530_hop_availability(hop).availability_pct > h.availability_pct);
}
