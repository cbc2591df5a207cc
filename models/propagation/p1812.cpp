#include "models/propagation/p1812.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "libsim/core/error.hpp"
#include "models/propagation/adapters.hpp"
#include "models/propagation/normal.hpp"
#include "models/propagation/p526.hpp"

namespace dxplan::prop::p1812 {

namespace {

std::string num(double x) {
    std::string s = std::to_string(x);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

void check_input(const Input& in) {
    const std::size_t n = in.d_km.size();
    if (n < 3) throw InputError("P.1812: profile needs at least 3 points (d_km has " + std::to_string(n) + ")");
    if (in.h_m.size() != n)
        throw InputError("P.1812: h_m has " + std::to_string(in.h_m.size()) + " points, d_km has " + std::to_string(n));
    if (!in.clutter_m.empty() && in.clutter_m.size() != n)
        throw InputError("P.1812: clutter_m has " + std::to_string(in.clutter_m.size()) + " points, d_km has " +
                         std::to_string(n) + " (or give none)");
    if (!in.zones.empty() && in.zones.size() != n)
        throw InputError("P.1812: zones has " + std::to_string(in.zones.size()) + " points, d_km has " +
                         std::to_string(n) + " (or give none)");
    if (in.d_km[0] != 0.0) throw InputError("P.1812: d_km[0] must be 0 (distance from the transmitter)");
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(in.d_km[i]) || !std::isfinite(in.h_m[i]) ||
            (!in.clutter_m.empty() && !std::isfinite(in.clutter_m[i])))
            throw InputError("P.1812: profile point " + std::to_string(i) + " has a non-finite distance or height");
        if (i > 0 && !(in.d_km[i] > in.d_km[i - 1]))
            throw InputError("P.1812: d_km must increase strictly (point " + std::to_string(i) + ")");
    }
    for (itur::Zone z : in.zones)
        if (z != itur::Zone::sea && z != itur::Zone::coastal_land && z != itur::Zone::inland)
            throw InputError("P.1812: zone codes must be 1 (sea), 3 (coastal land) or 4 (inland)");
    if (!std::isfinite(in.f_ghz) || in.f_ghz <= 0.0) throw InputError("P.1812: f_ghz must be > 0 (valid 0.03-6 GHz)");
    if (!std::isfinite(in.p_pct) || in.p_pct <= 0.0 || in.p_pct > 50.0)
        throw InputError("P.1812: time percentage p = " + num(in.p_pct) + " %: the method is defined for 1-50 %");
    if (!std::isfinite(in.pl_pct) || in.pl_pct <= 0.0 || in.pl_pct >= 100.0)
        throw InputError("P.1812: location percentage pL = " + num(in.pl_pct) + " %: must be in (0, 100), valid 1-99 %");
    if (!std::isfinite(in.h_tg_m) || !std::isfinite(in.h_rg_m) || in.h_tg_m < 0.0 || in.h_rg_m < 0.0)
        throw InputError("P.1812: antenna heights above ground must be >= 0 m (valid 1-3000 m)");
    if (!std::isfinite(in.delta_n) || in.delta_n >= 157.0 || !std::isfinite(in.n0))
        throw InputError("P.1812: delta_n must be finite and < 157 N-units/km, n0 finite");
    if (in.sigma_l_db && (!std::isfinite(*in.sigma_l_db) || *in.sigma_l_db < 0.0))
        throw InputError("P.1812: sigma_l_db must be >= 0 dB");
    if (!std::isfinite(in.ptx_kw) || in.ptx_kw <= 0.0) throw InputError("P.1812: ptx_kw must be > 0 kW");
}

// Validity ranges (Annex 1 §1): a warning, or InputError with enforce_ranges.
void check_range(const Input& in, std::vector<std::string>& warnings, const char* name, double value, double lo,
                 double hi, const char* field, const char* unit) {
    if (value >= lo && value <= hi) return;
    if (in.enforce_ranges)
        throw InputError(std::string("P.1812: ") + field + " = " + num(value) + " " + unit + " is outside the valid range [" +
                         num(lo) + ", " + num(hi) + "] " + unit);
    if (std::find(warnings.begin(), warnings.end(), name) == warnings.end()) warnings.emplace_back(name);
}


}  // namespace

double location_sigma_db(double f_ghz, double h_m, double r_m, double wa_m) {
    const double sigma = (0.52 + 0.024 * f_ghz) * std::pow(wa_m, 0.28);  // P.1812-7 eq. (66)
    double uh = 1.0;                                                      // eq. (67)
    if (h_m >= r_m + 10.0)
        uh = 0.0;
    else if (h_m >= r_m)
        uh = 1.0 - (h_m - r_m) / 10.0;
    return sigma * uh;
}

Result predict(const Input& in) {
    check_input(in);
    const std::size_t n = in.d_km.size();
    Result r;
    r.d_km = in.d_km[n - 1];

    // Zones and clutter, with their defaults (inland, no clutter).
    std::vector<itur::Zone> zones_default;
    std::span<const itur::Zone> zones = in.zones;
    if (zones.empty()) {
        zones_default.assign(n, itur::Zone::inland);
        zones = zones_default;
    }
    auto clutter = [&](std::size_t i) { return in.clutter_m.empty() ? 0.0 : in.clutter_m[i]; };

    // Path centre latitude (P.2001-4 Attachment H) and radio-climatic parameters (§3).
    r.phi_path_deg = in.phi_path_deg ? *in.phi_path_deg
                                     : itur::great_circle_point_lat_deg(in.lat_t_deg, in.lon_t_deg, in.lat_r_deg,
                                                                        in.lon_r_deg, 0.5 * r.d_km);
    check_range(in, r.warnings, "frequency_out_of_range", in.f_ghz, 0.03, 6.0, "f", "GHz");
    check_range(in, r.warnings, "distance_out_of_range", r.d_km, 0.25, 3000.0, "d", "km");
    check_range(in, r.warnings, "time_percentage_out_of_range", in.p_pct, 1.0, 50.0, "p", "%");
    check_range(in, r.warnings, "location_percentage_out_of_range", in.pl_pct, 1.0, 99.0, "pL", "%");
    check_range(in, r.warnings, "antenna_height_out_of_range", in.h_tg_m, 1.0, 3000.0, "htg", "m");
    check_range(in, r.warnings, "antenna_height_out_of_range", in.h_rg_m, 1.0, 3000.0, "hrg", "m");
    check_range(in, r.warnings, "latitude_out_of_range", r.phi_path_deg, -80.0, 80.0, "path-centre latitude", "deg");

    r.dtm_km = itur::longest_continuous_km(in.d_km, zones, false);  // §3.6
    r.dlm_km = itur::longest_continuous_km(in.d_km, zones, true);
    r.beta0_pct = itur::beta0_pct(r.phi_path_deg, r.dtm_km, r.dlm_km);  // eqs (2)-(5)
    r.ae_km = itur::median_earth_radius_km(in.delta_n);                // eq. (7a)
    const double ab_km = itur::kEarthRadiusBeta_km;                    // eq. (7b)
    r.omega = itur::zone_fraction(in.d_km, zones, itur::Zone::sea);    // Table 5
    const double dct_km = zones.front() == itur::Zone::sea ? 0.0 : in.dct_km;
    const double dcr_km = zones.back() == itur::Zone::sea ? 0.0 : in.dcr_km;

    // Path-profile analysis (Attachment 1 §5) on the terrain heights.
    r.hts_m = in.h_m[0] + in.h_tg_m;
    r.hrs_m = in.h_m[n - 1] + in.h_rg_m;
    r.htc_m = r.hts_m;  // Table 5 (P.1812-6/-7: terminal heights amsl; clutter at the terminals is not added)
    r.hrc_m = r.hrs_m;
    const double lambda_m = p526::wavelength_itur_m(in.f_ghz);
    const itur::SmoothEarth se = itur::smooth_earth(in.d_km, in.h_m, r.hts_m, r.hrs_m);
    const itur::Horizons hz = itur::horizons(in.d_km, in.h_m, r.hts_m, r.hrs_m, r.ae_km, lambda_m);
    const itur::DuctingHeights dh = itur::ducting_heights(in.d_km, in.h_m, in.h_tg_m, in.h_rg_m, se, hz);
    r.transhorizon = hz.transhorizon;
    r.dlt_km = hz.dlt_km;
    r.dlr_km = hz.dlr_km;
    r.theta_t_mrad = hz.theta_t_mrad;
    r.theta_r_mrad = hz.theta_r_mrad;
    r.theta_mrad = hz.theta_mrad;
    r.hst_raw_m = se.hst_raw_m;
    r.hsr_raw_m = se.hsr_raw_m;
    r.hstd_m = se.hstd_m;
    r.hsrd_m = se.hsrd_m;
    r.hst_m = dh.hst_m;
    r.hsr_m = dh.hsr_m;
    r.hte_m = dh.hte_m;
    r.hre_m = dh.hre_m;
    r.hm_m = dh.hm_m;

    // Interpolation factors for path angular distance and length: eqs (57), (58).
    r.fj = 1.0 - 0.5 * (1.0 + std::tanh(3.0 * 0.8 * (r.theta_mrad - 0.3) / 0.3));
    r.fk = 1.0 - 0.5 * (1.0 + std::tanh(3.0 * 0.5 * (r.d_km - 20.0) / 20.0));

    // Line of sight with short-term enhancements (§4.2): eqs (8)-(11).
    const double dfs_km = std::hypot(r.d_km, (r.hts_m - r.hrs_m) / 1000.0);          // eq. (8a)
    r.lbfs_db = 92.4 + 20.0 * std::log10(in.f_ghz) + 20.0 * std::log10(dfs_km);     // eq. (8)
    const double es_fac = 2.6 * (1.0 - std::exp(-0.1 * (r.dlt_km + r.dlr_km)));
    r.lb0p_db = r.lbfs_db + es_fac * std::log10(in.p_pct / 50.0);      // eqs (9a), (10)
    r.lb0b_db = r.lbfs_db + es_fac * std::log10(r.beta0_pct / 50.0);  // eqs (9b), (11)

    // Diffraction (§4.3): delta-Bullington over terrain + clutter (clutter not added at the terminals, §3.2).
    std::vector<double> g_m(n);
    for (std::size_t i = 0; i < n; ++i) g_m[i] = in.h_m[i] + (i == 0 || i + 1 == n ? 0.0 : clutter(i));
    p526::DeltaBullingtonInput db{in.d_km, g_m, r.htc_m, r.hrc_m, r.hstd_m, r.hsrd_m,
                                  r.ae_km, in.f_ghz, r.omega, in.pol, lambda_m};
    const p526::DeltaBullingtonResult d50 = p526::delta_bullington(db);  // eq. (39) with ap = ae
    db.ap_km = ab_km;
    const p526::DeltaBullingtonResult dbeta = p526::delta_bullington(db);  // eq. (39) with ap = a_beta
    r.lbulla_db = d50.lbulla_db;
    r.lbulls_db = d50.lbulls_db;
    r.ldsph_db = d50.ldsph_db;
    r.ld50_db = d50.ld_db;
    r.ldb_db = dbeta.ld_db;
    const double inv_b0 = itur::inv_cum_norm(r.beta0_pct / 100.0);
    const double fi_d = in.p_pct > r.beta0_pct ? itur::inv_cum_norm(in.p_pct / 100.0) / inv_b0 : 1.0;  // eq. (40a)
    r.ldp_db = in.p_pct == 50.0 ? r.ld50_db : r.ld50_db + fi_d * (r.ldb_db - r.ld50_db);            // eq. (41)
    r.lbd50_db = r.lbfs_db + r.ld50_db;  // eq. (42)
    r.lbd_db = r.lb0p_db + r.ldp_db;     // eq. (43)

    // Minimum loss for LoS and sea sub-path diffraction: eq. (59).
    r.fi = 1.0;
    r.lminb0p_db = r.lb0p_db + (1.0 - r.omega) * r.ldp_db;
    if (in.p_pct >= r.beta0_pct) {
        r.fi = itur::inv_cum_norm(in.p_pct / 100.0) / inv_b0;  // eq. (40)
        r.lminb0p_db = r.lbd50_db + (r.lb0b_db + (1.0 - r.omega) * r.ldp_db - r.lbd50_db) * r.fi;
    }

    // Anomalous propagation (§4.5) and the combinations of eqs (60)-(62).
    r.lba_db = itur::anomalous_db({r.d_km, r.dlt_km, r.dlr_km, dct_km, dcr_km, r.dlm_km, r.hts_m, r.hrs_m, r.hte_m, r.hre_m,
                                   r.hm_m, r.theta_t_mrad, r.theta_r_mrad, in.f_ghz, in.p_pct, r.omega, r.ae_km, r.beta0_pct});
    constexpr double eta = 2.5;
    r.lminbap_db = eta * std::log(std::exp(r.lba_db / eta) + std::exp(r.lb0p_db / eta));  // eq. (60)
    r.lbda_db = r.lminbap_db <= r.lbd_db ? r.lminbap_db + (r.lbd_db - r.lminbap_db) * r.fk : r.lbd_db;  // eq. (61)
    r.lbam_db = r.lbda_db + (r.lminb0p_db - r.lbda_db) * r.fj;  // eq. (62)

    // Troposcatter (§4.4): eqs (44)-(45).
    const double lf_db = 25.0 * std::log10(in.f_ghz) - 2.5 * std::pow(std::log10(in.f_ghz / 2.0), 2.0);  // eq. (45)
    r.lbs_db = 190.1 + lf_db + 20.0 * std::log10(r.d_km) + 0.573 * r.theta_mrad - 0.15 * in.n0 -
               10.125 * std::pow(std::log10(50.0 / in.p_pct), 0.7);  // eq. (44)

    // Combination (eq. (63)), location variability (§4.8) and the final loss (eq. (69)).
    r.lbc_db = -5.0 * std::log10(std::pow(10.0, -0.2 * r.lbs_db) + std::pow(10.0, -0.2 * r.lbam_db));  // eq. (63)
    r.sigma_l_db = in.sigma_l_db ? *in.sigma_l_db : location_sigma_db(in.f_ghz, in.h_rg_m, clutter(n - 1), in.wa_m);
    r.lloc_db = zones.back() == itur::Zone::sea ? 0.0 : -itur::inv_cum_norm(in.pl_pct / 100.0) * r.sigma_l_db;  // eq. (68)
    r.lb_db = std::max(r.lb0p_db, r.lbc_db + r.lloc_db);                      // eq. (69)
    r.ep_dbuv_m = 199.36 + 20.0 * std::log10(in.f_ghz) - r.lb_db;             // eq. (70)
    r.ep_ptx_dbuv_m = r.ep_dbuv_m + 10.0 * std::log10(in.ptx_kw);
    return r;
}

}  // namespace dxplan::prop::p1812

// ---- Registry adapter ----

namespace dxplan::prop {

// LossQuery -> P.1812-7: uniform profile, clutter heights from q.clutter_m (0 when absent), every point inland,
// p = time_pct, pL = location_pct, path-centre latitude q.lat_deg, dN and N0 at their documented defaults
// (kDefaultDeltaN, kDefaultN0: the Rec's maps are not bundled), sigma_L from eqs (66)-(67) with wa = 100 m.
// q.n0 is ITM's surface refractivity, not P.1812's sea-level N0, and is not used.
LossResult adapt_p1812(const LossQuery& q) {
    const ProfileView& pv = q.profile;
    const std::vector<double> d_km = itur::distances_km(pv);
    p1812::Input in;
    in.d_km = d_km;
    in.h_m = pv.z_m;
    in.clutter_m = q.clutter_m;
    in.f_ghz = q.f_mhz / 1000.0;
    in.p_pct = q.time_pct;
    in.pl_pct = q.location_pct;
    in.h_tg_m = q.h_tx_m;
    in.h_rg_m = q.h_rx_m;
    in.pol = q.polarization;
    in.phi_path_deg = q.lat_deg;
    in.enforce_ranges = q.enforce_ranges;
    const p1812::Result r = p1812::predict(in);
    LossResult out;
    out.loss_db = r.lb_db;
    out.mode = r.transhorizon ? "transhorizon" : "line_of_sight";
    out.warnings = r.warnings;
    out.intermediate = {
        {"d_km", r.d_km},           {"dlt_km", r.dlt_km},         {"dlr_km", r.dlr_km},
        {"theta_t_mrad", r.theta_t_mrad}, {"theta_r_mrad", r.theta_r_mrad}, {"theta_mrad", r.theta_mrad},
        {"hte_m", r.hte_m},         {"hre_m", r.hre_m},           {"hstd_m", r.hstd_m},
        {"hsrd_m", r.hsrd_m},       {"beta0_pct", r.beta0_pct},   {"ae_km", r.ae_km},
        {"lbfs_db", r.lbfs_db},     {"lb0p_db", r.lb0p_db},       {"lb0b_db", r.lb0b_db},
        {"lbulla_db", r.lbulla_db}, {"lbulls_db", r.lbulls_db},   {"ldsph_db", r.ldsph_db},
        {"ld50_db", r.ld50_db},     {"ldp_db", r.ldp_db},         {"lbs_db", r.lbs_db},
        {"lba_db", r.lba_db},       {"lbc_db", r.lbc_db},         {"lloc_db", r.lloc_db},
        {"sigma_l_db", r.sigma_l_db}, {"ep_dbuv_m", r.ep_dbuv_m},
    };
    return out;
}

}  // namespace dxplan::prop
