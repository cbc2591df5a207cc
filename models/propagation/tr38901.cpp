#include "models/propagation/tr38901.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "models/propagation/adapters.hpp"

namespace dxplan::prop {

namespace {

void warn_outside(std::vector<std::string>& w, double v, double lo, double hi, const char* name) {
    if (v < lo || v > hi) w.emplace_back(name);
}

// RMa LOS PL1, Table 7.4.1-1 (fc in GHz, distances in m).
double rma_pl1_db(double d3_m, double fc_ghz, double h_m) {
    return 20.0 * std::log10(40.0 * kPi * d3_m * fc_ghz / 3.0) +
           std::min(0.03 * std::pow(h_m, 1.72), 10.0) * std::log10(d3_m) -
           std::min(0.044 * std::pow(h_m, 1.72), 14.77) + 0.002 * std::log10(h_m) * d3_m;
}

}  // namespace

double tr38901_los_probability(Tr38901Scenario s, double d2_m, double h_ut_m) {
    switch (s) {
        case Tr38901Scenario::rma:  // Table 7.4.2-1, RMa
            return d2_m <= 10.0 ? 1.0 : std::exp(-(d2_m - 10.0) / 1000.0);
        case Tr38901Scenario::umi_street_canyon:  // Table 7.4.2-1, UMi-Street canyon
            return d2_m <= 18.0 ? 1.0 : 18.0 / d2_m + std::exp(-d2_m / 36.0) * (1.0 - 18.0 / d2_m);
        case Tr38901Scenario::uma: {  // Table 7.4.2-1, UMa, with C'(hUT)
            if (d2_m <= 18.0) return 1.0;
            const double c_prime = h_ut_m <= 13.0 ? 0.0 : std::pow((h_ut_m - 13.0) / 10.0, 1.5);
            return (18.0 / d2_m + std::exp(-d2_m / 63.0) * (1.0 - 18.0 / d2_m)) *
                   (1.0 + c_prime * 5.0 / 4.0 * std::pow(d2_m / 100.0, 3.0) * std::exp(-d2_m / 150.0));
        }
        case Tr38901Scenario::inh_office_mixed:  // Table 7.4.2-1, InH-Office (mixed office)
            if (d2_m <= 1.2) return 1.0;
            if (d2_m < 6.5) return std::exp(-(d2_m - 1.2) / 4.7);
            return std::exp(-(d2_m - 6.5) / 32.6) * 0.32;
        case Tr38901Scenario::inh_office_open:  // Table 7.4.2-1, InH-Office (open office)
            if (d2_m <= 5.0) return 1.0;
            if (d2_m <= 49.0) return std::exp(-(d2_m - 5.0) / 70.8);
            return std::exp(-(d2_m - 49.0) / 211.7) * 0.54;
    }
    return 0.0;
}

Tr38901Result tr38901_loss(const Tr38901Input& in) {
    if (!(in.f_ghz > 0.0) || !std::isfinite(in.f_ghz))
        throw InputError("tr38901: f_ghz = " + std::to_string(in.f_ghz) + ": must be a positive number of GHz");
    if (!(in.d_2d_m > 0.0) || !std::isfinite(in.d_2d_m))
        throw InputError("tr38901: d_2d_m = " + std::to_string(in.d_2d_m) + ": must be a positive number of metres");
    if (!(in.h_bs_m > 0.0) || !(in.h_ut_m > 0.0) || !std::isfinite(in.h_bs_m) || !std::isfinite(in.h_ut_m))
        throw InputError("tr38901: antenna heights must be positive numbers of metres");

    Tr38901Result r;
    auto& w = r.warnings;
    const double fc = in.f_ghz;
    const double d2 = in.d_2d_m;
    const double hbs = in.h_bs_m;
    const double hut = in.h_ut_m;
    const double dz = hbs - hut;
    const double d3 = std::sqrt(d2 * d2 + dz * dz);
    r.d_3d_m = d3;
    r.p_los = tr38901_los_probability(in.scenario, d2, hut);
    const double fc_hz = fc * 1e9;

    switch (in.scenario) {
        case Tr38901Scenario::rma: {
            const double h = in.h_building_m;
            const double wst = in.w_street_m;
            if (!(h > 0.0) || !(wst > 0.0))
                throw InputError("tr38901 RMa: building height and street width must be positive (metres)");
            warn_outside(w, fc, 0.5, 30.0, "frequency_out_of_range");
            warn_outside(w, hbs, 10.0, 150.0, "tx_height_out_of_range");
            warn_outside(w, hut, 1.0, 10.0, "rx_height_out_of_range");
            warn_outside(w, h, 5.0, 50.0, "building_height_out_of_range");
            warn_outside(w, wst, 5.0, 50.0, "street_width_out_of_range");
            warn_outside(w, d2, 10.0, in.los ? 10000.0 : 5000.0, "distance_out_of_range");
            r.d_bp_m = 2.0 * kPi * hbs * hut * fc_hz / kSpeedOfLight_m_per_s;  // Table 7.4.1-1 note 5
            if (d2 <= r.d_bp_m) {
                r.loss_los_db = rma_pl1_db(d3, fc, h);  // Table 7.4.1-1 RMa LOS PL1
                r.sigma_sf_db = 4.0;
            } else {
                r.beyond_breakpoint = true;
                r.loss_los_db = rma_pl1_db(r.d_bp_m, fc, h) + 40.0 * std::log10(d3 / r.d_bp_m);  // RMa LOS PL2
                r.sigma_sf_db = 6.0;
            }
            if (!in.los) {
                // Table 7.4.1-1 RMa NLOS PL'_NLOS
                r.loss_nlos_prime_db = 161.04 - 7.1 * std::log10(wst) + 7.5 * std::log10(h) -
                                       (24.37 - 3.7 * (h / hbs) * (h / hbs)) * std::log10(hbs) +
                                       (43.42 - 3.1 * std::log10(hbs)) * (std::log10(d3) - 3.0) +
                                       20.0 * std::log10(fc) -
                                       (3.2 * std::pow(std::log10(11.75 * hut), 2.0) - 4.97);
                r.sigma_sf_db = 8.0;
            }
            break;
        }
        case Tr38901Scenario::uma:
        case Tr38901Scenario::umi_street_canyon: {
            const bool uma = in.scenario == Tr38901Scenario::uma;
            warn_outside(w, fc, 0.5, 100.0, "frequency_out_of_range");
            warn_outside(w, hut, 1.5, 22.5, "rx_height_out_of_range");
            warn_outside(w, d2, 10.0, 5000.0, "distance_out_of_range");
            if (hbs != (uma ? 25.0 : 10.0)) w.emplace_back("tx_height_not_nominal");
            const double hbs_eff = hbs - in.h_e_m;  // Table 7.4.1-1 note 1: h'BS = hBS - hE
            const double hut_eff = hut - in.h_e_m;  // h'UT = hUT - hE
            if (!(hbs_eff > 0.0) || !(hut_eff > 0.0))
                throw InputError("tr38901: effective environment height h_e_m must be below both antenna heights");
            r.d_bp_m = 4.0 * hbs_eff * hut_eff * fc_hz / kSpeedOfLight_m_per_s;  // note 1: d'BP
            if (d2 <= r.d_bp_m) {
                r.loss_los_db = uma ? 28.0 + 22.0 * std::log10(d3) + 20.0 * std::log10(fc)   // UMa LOS PL1
                                    : 32.4 + 21.0 * std::log10(d3) + 20.0 * std::log10(fc);  // UMi LOS PL1
            } else {
                r.beyond_breakpoint = true;
                const double bp2 = r.d_bp_m * r.d_bp_m + dz * dz;
                r.loss_los_db = uma ? 28.0 + 40.0 * std::log10(d3) + 20.0 * std::log10(fc) -
                                          9.0 * std::log10(bp2)  // UMa LOS PL2
                                    : 32.4 + 40.0 * std::log10(d3) + 20.0 * std::log10(fc) -
                                          9.5 * std::log10(bp2);  // UMi LOS PL2
            }
            r.sigma_sf_db = 4.0;
            if (!in.los) {
                r.loss_nlos_prime_db =
                    uma ? 13.54 + 39.08 * std::log10(d3) + 20.0 * std::log10(fc) - 0.6 * (hut - 1.5)  // UMa NLOS
                        : 35.3 * std::log10(d3) + 22.4 + 21.3 * std::log10(fc) - 0.3 * (hut - 1.5);    // UMi NLOS
                r.sigma_sf_db = uma ? 6.0 : 7.82;
            }
            break;
        }
        case Tr38901Scenario::inh_office_mixed:
        case Tr38901Scenario::inh_office_open: {
            warn_outside(w, fc, 0.5, 100.0, "frequency_out_of_range");
            warn_outside(w, d3, 1.0, 150.0, "distance_out_of_range");
            r.loss_los_db = 32.4 + 17.3 * std::log10(d3) + 20.0 * std::log10(fc);  // InH LOS
            r.sigma_sf_db = 3.0;
            if (!in.los) {
                r.loss_nlos_prime_db = 38.3 * std::log10(d3) + 17.30 + 24.9 * std::log10(fc);  // InH NLOS
                r.sigma_sf_db = 8.03;
            }
            break;
        }
    }
    // Table 7.4.1-1: PL_NLOS = max(PL_LOS, PL'_NLOS)
    r.loss_db = in.los ? r.loss_los_db : std::max(r.loss_los_db, r.loss_nlos_prime_db);
    return r;
}

namespace {

LossResult adapt_tr38901(const LossQuery& q, Tr38901Scenario s) {
    Tr38901Input in;
    in.scenario = s;
    in.f_ghz = q.f_mhz / 1000.0;
    in.d_2d_m = q.d_m;
    in.h_bs_m = q.h_tx_m;
    in.h_ut_m = q.h_rx_m;
    in.los = q.condition == Condition::los;  // automatic -> NLOS formula max(PL_LOS, PL'_NLOS)
    in.h_building_m = q.building_height_m;
    in.w_street_m = q.street_width_m;
    const Tr38901Result t = tr38901_loss(in);
    LossResult r;
    r.loss_db = t.loss_db;
    r.mode = in.los ? "los" : "nlos";
    r.warnings = t.warnings;
    r.intermediate = {{"d_3d_m", t.d_3d_m},           {"d_bp_m", t.d_bp_m},
                      {"loss_los_db", t.loss_los_db}, {"loss_nlos_prime_db", t.loss_nlos_prime_db},
                      {"sigma_sf_db", t.sigma_sf_db}, {"p_los", t.p_los}};
    return r;
}

// Line of sight over a terrain profile: the straight line between the antennas (ground + antenna height at each
// end) clears every intermediate ground point, with the earth bulge x (d - x) / (2 k a) of an effective earth of
// k = 4/3 (ITU-R P.526-16 sec. 2.2 / P.452-18 eq. (7) geometry; a = 6371 km). Clutter and vegetation are not in
// the profile: dxplan adds them as separate terms (P.2108, P.833).
bool terrain_los(const ProfileView& p, double h_tx_m, double h_rx_m) {
    const std::size_t n = p.size();
    const double d_m = static_cast<double>(n - 1) * p.spacing_m;
    constexpr double ae_m = 4.0 / 3.0 * 6371000.0;  // effective earth radius, k = 4/3
    const double z_tx = p.z_m[0] + h_tx_m, z_rx = p.z_m[n - 1] + h_rx_m;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double x = static_cast<double>(i) * p.spacing_m;
        const double line_m = z_tx + (z_rx - z_tx) * x / d_m;
        if (p.z_m[i] + x * (d_m - x) / (2.0 * ae_m) >= line_m) return false;
    }
    return true;
}

// TR 38.901 with the condition of Table 7.4.1-1 taken from the terrain (LOS formula when the profile is clear,
// else the NLOS formula max(PL_LOS, PL'_NLOS)) instead of the statistical LOS probability of Table 7.4.2-1.
LossResult adapt_tr38901_terrain(const LossQuery& q, Tr38901Scenario s) {
    LossQuery d = q;
    d.d_m = static_cast<double>(q.profile.size() - 1) * q.profile.spacing_m;
    d.condition = terrain_los(q.profile, q.h_tx_m, q.h_rx_m) ? Condition::los : Condition::nlos;
    return adapt_tr38901(d, s);
}

}  // namespace

LossResult adapt_tr38901_umi_terrain(const LossQuery& q) {
    return adapt_tr38901_terrain(q, Tr38901Scenario::umi_street_canyon);
}
LossResult adapt_tr38901_rma_terrain(const LossQuery& q) { return adapt_tr38901_terrain(q, Tr38901Scenario::rma); }

LossResult adapt_tr38901_rma(const LossQuery& q) { return adapt_tr38901(q, Tr38901Scenario::rma); }
LossResult adapt_tr38901_uma(const LossQuery& q) { return adapt_tr38901(q, Tr38901Scenario::uma); }
LossResult adapt_tr38901_umi(const LossQuery& q) { return adapt_tr38901(q, Tr38901Scenario::umi_street_canyon); }

}  // namespace dxplan::prop
