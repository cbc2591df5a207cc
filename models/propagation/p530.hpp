// ITU-R P.530 "Propagation data and prediction methods required for the design of terrestrial
// line-of-sight systems": the pieces a microwave-backhaul planner needs for one hop.
//
//  Rain (P.530-18 Annex 1 sec. 2.4.1): attenuation exceeded for p % of an average year from the
//    1-minute rain rate R0.01 exceeded for 0.01 % of the time, the P.838-3 specific attenuation and the
//    effective path length d_eff = r d, with r = 1 / (0.477 d^0.633 R0.01^(0.073 alpha) f^0.123
//    - 10.579 (1 - exp(-0.024 d))) (capped at 2.5), and the power law A_p / A_0.01 = C1 p^-(C2 + C3 log p).
//    Validity: 0.001 <= p <= 1 %, f 1-100 GHz, d up to 60 km (warnings outside).
//  Multipath (sec. 2.3.1, method for small percentages of time, in the form of P.530-16 which derives the
//    geoclimatic factor K from the refractivity gradient dN1 and the terrain roughness s_a; P.530-17/18
//    read K and dN75 from digital maps not held here, so K may also be given directly):
//      detailed:  K = 10^(-4.4 - 0.0027 dN1) (10 + s_a)^-0.46,
//                 p_w = K d^3.4 (1 + |eps_p|)^-1.03 f^0.8 10^(-0.00076 h_L - A/10)  %
//      quick:     K = 10^(-4.6 - 0.0027 dN1),
//                 p_w = K d^3.1 (1 + |eps_p|)^-1.29 f^0.8 10^(-0.00089 h_L - A/10)  %
//    with eps_p = |h_r - h_e| / d (mrad), h_L the altitude of the lower antenna (m a.s.l.).
//    Derived from paths of 7.5-185 km, 0.45-37 GHz; meant for deep fades A >= A_t = 25 + 1.2 log p_0 (sec.
//    2.3.2; a warning below, where P.530's all-percentage interpolation of sec. 2.3.2, not implemented here,
//    gives somewhat different values). Multipath is neglected (set to 0) on paths shorter than 5 km (sec. 2.3).
//  Average worst month -> average year (sec. 2.3.4): p = 10^(-dG/10) p_w,
//    dG = 10.5 - 5.6 log(1.1 +- |cos 2 xi|^0.7) - 2.7 log d + 1.7 log(1 + |eps_p|), dG <= 10.8 dB
//    (+ for |xi| <= 45 deg, - above).
//  Availability of a hop for a fade margin F: annual outage = p_rain(F) + p_multipath(F).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dxplan::prop {

struct P530RainInput {
    double f_ghz = 18.0;
    double d_km = 10.0;
    double r001_mm_per_h = 50.0;   // rain rate exceeded for 0.01 % of an average year (1-min integration)
    double tau_deg = 0.0;          // polarization tilt: 0 horizontal, 90 vertical, 45 circular
    double elevation_deg = 0.0;    // path elevation (terrestrial: ~0)
};

struct P530RainResult {
    double a_db = 0.0;              // attenuation exceeded for p % (A_p)
    double a001_db = 0.0;           // A_0.01
    double gamma_r_db_per_km = 0.0; // P.838 specific attenuation at R0.01
    double k = 0.0, alpha = 0.0;    // P.838 coefficients
    double r_factor = 0.0;          // distance factor r
    double d_eff_km = 0.0;          // effective path length
    double c1 = 0.0, c2 = 0.0, c3 = 0.0;  // power-law coefficients
    std::vector<std::string> warnings;
};

// Rain attenuation exceeded for p_pct % of an average year.
P530RainResult p530_rain_attenuation(const P530RainInput& in, double p_pct);

// Percentage of an average year during which rain attenuation exceeds a_db (inverse of the power law).
// Returns 0 when a_db exceeds the maximum of the law; the result carries warnings when outside 0.001-1 %.
struct P530RainExceedance {
    double p_pct = 0.0;
    P530RainResult at_0_01;  // the A_0.01 breakdown used
    std::vector<std::string> warnings;
};
P530RainExceedance p530_rain_exceedance(const P530RainInput& in, double a_db);

enum class P530MultipathMethod { detailed, quick };

struct P530MultipathInput {
    double f_ghz = 18.0;
    double d_km = 20.0;
    double h_e_m = 100.0;             // transmit antenna altitude (m above sea level)
    double h_r_m = 100.0;             // receive antenna altitude (m above sea level)
    std::optional<double> k_factor;   // geoclimatic factor K, if known (e.g. from P.530-18 maps or data)
    double dn1 = -400.0;              // point refractivity gradient not exceeded for 1 % of the year (N/km)
    double s_a_m = 30.0;              // area terrain roughness (m), detailed method
    P530MultipathMethod method = P530MultipathMethod::detailed;
    double latitude_deg = 36.0;       // for the worst-month to year conversion
};

struct P530MultipathResult {
    double p_worst_month_pct = 0.0;  // p_w: % of the average worst month with fade depth > A
    double p_annual_pct = 0.0;       // p: % of the average year
    double p0_pct = 0.0;             // multipath occurrence factor p_w(A = 0)
    double k_factor = 0.0;           // K used
    double eps_p_mrad = 0.0;         // path inclination
    double delta_g_db = 0.0;         // worst month -> year conversion
    bool neglected_short_path = false;  // d < 5 km: multipath set to 0
    std::vector<std::string> warnings;
};

// Percentage of time a fade depth a_db is exceeded (sec. 2.3.1, 2.3.4).
P530MultipathResult p530_multipath_fading(const P530MultipathInput& in, double a_db);

// Geoclimatic factor K from dN1 and s_a (detailed method) or dN1 alone (quick method).
double p530_geoclimatic_factor(double dn1, double s_a_m, P530MultipathMethod method);

struct P530HopInput {
    P530RainInput rain;             // f_ghz and d_km are taken from here
    P530MultipathInput multipath;   // its f_ghz and d_km are overwritten with rain's
    double fade_margin_db = 30.0;   // flat fade margin
};

struct P530HopResult {
    double rain_outage_pct = 0.0;        // % of the year with rain attenuation > margin
    double multipath_outage_pct = 0.0;   // % of the year with multipath fade > margin
    double multipath_worst_month_pct = 0.0;
    double outage_pct = 0.0;             // annual total
    double availability_pct = 0.0;       // 100 - outage
    double a001_db = 0.0;                // rain attenuation exceeded 0.01 % of the year
    std::vector<std::string> warnings;
};

P530HopResult p530_hop_availability(const P530HopInput& in);

}  // namespace dxplan::prop
