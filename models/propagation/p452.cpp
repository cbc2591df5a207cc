// ITU-R P.452-18 / P.452-17 clear-air basic transmission loss. See p452.hpp for references and validity.
// Equation numbers are those of P.452-18 Annex 1 unless marked otherwise (P.452-17 shares them up to
// section 4.4; its clutter model is section 4.5, eq. (57), and its overall prediction section 4.6).
#include "models/propagation/p452.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "libsim/core/error.hpp"
#include "models/propagation/adapters.hpp"
#include "models/propagation/normal.hpp"
#include "models/propagation/p526.hpp"
#include "models/propagation/p676.hpp"

namespace dxplan::prop::p452 {

namespace {

inline constexpr double kClutterClearance_km = 0.050;  // -18: no clutter within 50 m of either terminal

// Section 4.1 eq. (9): gamma_o + gamma_w(rho) in dB/km, P.676 Annex 1 line by line.
double gas_db_per_km(double f_ghz, double rho, double pressure_hpa, double temp_k) {
    return p676_specific_attenuation(f_ghz, P676Atmosphere{pressure_hpa, temp_k, rho}).gamma_db_per_km;
}

void check_input(const Input& in) {
    const std::size_t n = in.d_km.size();
    if (n < 4) throw InputError("p452: profile needs at least 4 points, got " + std::to_string(n));
    if (in.h_m.size() != n) throw InputError("p452: h_m must have as many points as d_km");
    if (!in.clutter_m.empty() && in.clutter_m.size() != n)
        throw InputError("p452: clutter_m must be empty or have as many points as d_km");
    if (!in.zone.empty() && in.zone.size() != n)
        throw InputError("p452: zone must be empty or have as many points as d_km");
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(in.d_km[i]) || !std::isfinite(in.h_m[i]))
            throw InputError("p452: profile point " + std::to_string(i) + " is not finite");
        if (i > 0 && !(in.d_km[i] > in.d_km[i - 1]))
            throw InputError("p452: profile distances must increase strictly (point " + std::to_string(i) + ")");
        if (!in.clutter_m.empty() && !(std::isfinite(in.clutter_m[i]) && in.clutter_m[i] >= 0.0))
            throw InputError("p452: clutter height at point " + std::to_string(i) + " must be finite and >= 0 m");
    }
    if (in.d_km[0] != 0.0) throw InputError("p452: the first profile distance must be 0 km");
    auto positive = [](double x) { return std::isfinite(x) && x > 0.0; };
    if (!positive(in.f_ghz)) throw InputError("p452: frequency must be a positive number of GHz");
    if (!positive(in.p_pct) || in.p_pct > 100.0) throw InputError("p452: time percentage must be in (0, 100] %");
    if (!std::isfinite(in.htg_m) || !std::isfinite(in.hrg_m)) throw InputError("p452: antenna heights must be finite");
    if (!(std::isfinite(in.dn_n_per_km) && in.dn_n_per_km < 157.0))
        throw InputError("p452: DeltaN must be below 157 N-units/km (k50 = 157 / (157 - DeltaN))");
    if (!std::isfinite(in.lat_centre_deg) || std::abs(in.lat_centre_deg) > 90.0)
        throw InputError("p452: path-centre latitude must be in [-90, 90] deg");
    if (!positive(in.pressure_hpa) || !std::isfinite(in.temp_c) || in.temp_c <= -273.15)
        throw InputError("p452: pressure must be > 0 hPa and temperature above absolute zero");
    if (!std::isfinite(in.n0_n) || !std::isfinite(in.gt_dbi) || !std::isfinite(in.gr_dbi) ||
        !std::isfinite(in.dct_km) || !std::isfinite(in.dcr_km) || in.dct_km < 0.0 || in.dcr_km < 0.0)
        throw InputError("p452: N0, gains must be finite and dct, dcr finite and >= 0 km");
    if (in.edition == Edition::rev17 &&
        (!std::isfinite(in.ha_t_m) || !std::isfinite(in.ha_r_m) || !(in.dk_t_km >= 0.0) || !(in.dk_r_km >= 0.0)))
        throw InputError("p452-17: clutter heights ha must be finite and distances dk >= 0 km");
}

}  // namespace

Result basic_transmission_loss(const Input& in) {
    check_input(in);
    Result r;
    const bool rev17 = in.edition == Edition::rev17;
    const double f = in.f_ghz, p = in.p_pct;

    // Validity ranges (P.452-18 section 1, Annex 1 section 2).
    auto warn = [&](const char* name, const std::string& what) {
        if (in.enforce_ranges) throw InputError(std::string(rev17 ? "p452-17: " : "p452: ") + what);
        r.warnings.emplace_back(name);
    };
    if (f < 0.1 || f > 50.0) warn("frequency_out_of_range", "frequency must be in [0.1, 50] GHz");
    if (p < 0.001 || p > 50.0) warn("time_percentage_out_of_range", "time percentage must be in [0.001, 50] %");
    if (in.d_km.back() > 10000.0) warn("distance_out_of_range", "path length must be at most 10000 km");
    if (in.htg_m <= 0.0 || in.hrg_m <= 0.0) warn("antenna_height_out_of_range", "antenna heights must be > 0 m");

    // Zones: all inland when not given.
    std::vector<Zone> zone_store;
    std::span<const Zone> zone = in.zone;
    if (zone.empty()) {
        zone_store.assign(in.d_km.size(), Zone::inland);
        zone = zone_store;
    }

    // Section 3.2.1 on the whole path: omega (fraction over sea, Table 3 zone B), dtm, dlm (step 3), beta0
    // (eq. (2)-(4)); effective earth radii ae (eq. (5)-(6)) and a_beta (eq. (6a), k_beta = 3).
    const double dtot_full = in.d_km.back();
    r.omega = itur::zone_fraction(in.d_km, zone, Zone::sea);
    r.dtm_km = itur::longest_continuous_km(in.d_km, zone, false);
    r.dlm_km = itur::longest_continuous_km(in.d_km, zone, true);
    r.b0_pct = itur::beta0_pct(in.lat_centre_deg, r.dtm_km, r.dlm_km);
    r.ae_km = itur::median_earth_radius_km(in.dn_n_per_km);
    const double ab_km = itur::kEarthRadiusBeta_km;
    const double b0 = r.b0_pct, omega = r.omega, ae = r.ae_km;
    const double temp_k = in.temp_c + 273.15;

    // -17 section 4.5 clutter height-gain model: truncate the profile at dk from each shielded terminal,
    // which then sits at the nominal clutter height ha (section 4.5.4 step 1), and add Aht, Ahr (eq. (57)).
    std::size_t i0 = 0, i1 = in.d_km.size() - 1;
    double htg = in.htg_m, hrg = in.hrg_m;
    if (rev17) {
        const double ffc = 0.25 + 0.375 * (1.0 + std::tanh(7.5 * (f - 0.5)));  // eq. (57a)
        if (in.ha_t_m > in.htg_m) {
            r.aht_db = 10.25 * ffc * std::exp(-in.dk_t_km) * (1.0 - std::tanh(6.0 * (in.htg_m / in.ha_t_m - 0.625))) -
                       0.33;  // eq. (57)
            while (i0 < i1 && in.d_km[i0] < in.dk_t_km) ++i0;
            htg = in.ha_t_m;
        }
        if (in.ha_r_m > in.hrg_m) {
            r.ahr_db = 10.25 * ffc * std::exp(-in.dk_r_km) * (1.0 - std::tanh(6.0 * (in.hrg_m / in.ha_r_m - 0.625))) -
                       0.33;  // eq. (57)
            while (i1 > i0 && in.d_km[i1] > dtot_full - in.dk_r_km) --i1;
            hrg = in.ha_r_m;
        }
        if (i1 < i0 + 3)
            throw InputError("p452-17: clutter nominal distances dk_t + dk_r leave fewer than 4 profile points");
    }
    const std::size_t n = i1 - i0 + 1;
    std::vector<double> d(n), h(n), g(n);
    for (std::size_t i = 0; i < n; ++i) {
        d[i] = in.d_km[i0 + i] - in.d_km[i0];
        h[i] = in.h_m[i0 + i];
    }
    const double dt = d.back();
    // -18 section 4.2: the diffraction profile is terrain plus representative clutter height, except at the
    // terminals and within 50 m of them (as the WP 3M reference implementation does; the -18 vectors with
    // clutter from 20 m only match with it); -17 diffracts over bare terrain.
    for (std::size_t i = 0; i < n; ++i) {
        g[i] = h[i];
        if (!rev17 && !in.clutter_m.empty() && i > 0 && i + 1 < n && d[i] >= kClutterClearance_km &&
            d[i] <= dt - kClutterClearance_km)
            g[i] += in.clutter_m[i0 + i];
    }

    const double hts = h.front() + htg, hrs = h.back() + hrg;  // antenna heights amsl
    const double lambda_m = p526::wavelength_itur_m(f);
    // Attachment 2 sections 4-5.1 over the terrain (without clutter): horizons, smooth earth, effective heights.
    const itur::Horizons hz = itur::horizons(d, h, hts, hrs, ae, lambda_m);
    const itur::SmoothEarth se = itur::smooth_earth(d, h, hts, hrs);
    const itur::DuctingHeights dh = itur::ducting_heights(d, h, htg, hrg, se, hz);
    r.dtot_km = dt;
    r.hts_m = hts;
    r.hrs_m = hrs;
    r.line_of_sight = !hz.transhorizon;
    r.theta_t_mrad = hz.theta_t_mrad;
    r.theta_r_mrad = hz.theta_r_mrad;
    r.theta_mrad = hz.theta_mrad;
    r.dlt_km = hz.dlt_km;
    r.dlr_km = hz.dlr_km;
    r.hstd_m = se.hstd_m;
    r.hsrd_m = se.hsrd_m;
    r.hte_m = dh.hte_m;
    r.hre_m = dh.hre_m;
    r.hm_m = dh.hm_m;

    // Section 4.1: line-of-sight propagation including short-term effects.
    const double rho = 7.5 + 2.5 * omega;  // water-vapour density, g/m3 (section 4.1)
    const double gamma_db_per_km = gas_db_per_km(f, rho, in.pressure_hpa, temp_k);
    // -18 eq. (8a): distance between the antennas; -17 uses the great-circle distance.
    const double dfs = rev17 ? dt : std::sqrt(dt * dt + std::pow((hts - hrs) / 1000.0, 2));
    r.lbfsg_db = 92.4 + 20.0 * std::log10(f) + 20.0 * std::log10(dfs) + gamma_db_per_km * dfs;  // eq. (8), (9)
    const double es = 2.6 * (1.0 - std::exp(-0.1 * (r.dlt_km + r.dlr_km)));
    r.lb0p_db = r.lbfsg_db + es * std::log10(p / 50.0);   // eq. (10a), (11)
    r.lb0b_db = r.lbfsg_db + es * std::log10(b0 / 50.0);  // eq. (10b), (12)

    // Section 4.2: delta-Bullington diffraction (P.526-16 section 4.5.3) for ae and a_beta.
    p526::DeltaBullingtonInput db;
    db.d_km = d;
    db.h_m = g;
    db.h_ts_m = hts;
    db.h_rs_m = hrs;
    db.h_std_m = r.hstd_m;
    db.h_srd_m = r.hsrd_m;
    db.f_ghz = f;
    db.omega = omega;
    db.pol = in.pol;
    db.lambda_m = lambda_m;
    db.ap_km = ae;
    const p526::DeltaBullingtonResult d50 = p526::delta_bullington(db);
    db.ap_km = ab_km;
    const p526::DeltaBullingtonResult dbeta = p526::delta_bullington(db);
    r.ldsph_db = d50.ldsph_db;
    r.ld50_db = d50.ld_db;
    const double fi = p > b0 ? itur::inv_cum_norm(p / 100.0) / itur::inv_cum_norm(b0 / 100.0) : 1.0;  // eq. (41a), (41b)
    r.ldp_db = r.ld50_db + fi * (dbeta.ld_db - r.ld50_db);                                 // eq. (42)
    const double lbd50 = r.lbfsg_db + r.ld50_db;                                           // eq. (43)
    const double lbd = r.lb0p_db + r.ldp_db;                                               // eq. (44)

    // Section 4.3: troposcatter, eq. (45) with Ag for rho = 3 g/m3 over the path length.
    const double lf = 25.0 * std::log10(f) - 2.5 * std::pow(std::log10(f / 2.0), 2);  // eq. (45a)
    const double lc = 0.051 * std::exp(0.055 * (in.gt_dbi + in.gr_dbi));              // eq. (45b)
    r.lbs_db = 190.0 + lf + 20.0 * std::log10(dt) + 0.573 * r.theta_mrad - 0.15 * in.n0_n + lc +
               gas_db_per_km(f, 3.0, in.pressure_hpa, temp_k) * dt - 10.1 * std::pow(-std::log10(p / 50.0), 0.7);  // eq. (45)

    // Section 4.4: ducting / layer reflection, eqs (47)-(56) (shared with P.1812-7 §4.5), + Ag over the path, eq. (46).
    r.lba_db = itur::anomalous_db({.d_km = dt, .dlt_km = r.dlt_km, .dlr_km = r.dlr_km, .dct_km = in.dct_km,
                                   .dcr_km = in.dcr_km, .dlm_km = r.dlm_km, .hts_m = hts, .hrs_m = hrs,
                                   .hte_m = r.hte_m, .hre_m = r.hre_m, .hm_m = r.hm_m, .theta_t_mrad = r.theta_t_mrad,
                                   .theta_r_mrad = r.theta_r_mrad, .f_ghz = f, .p_pct = p, .omega = omega,
                                   .ae_km = ae, .beta0_pct = b0}) +
               gamma_db_per_km * dt;

    // Section 4.5 (-17: 4.6): overall prediction.
    double stim = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i + 1 < n; ++i)
        stim = std::max(stim, (h[i] + 500.0 / ae * d[i] * (dt - d[i]) - hts) / d[i]);  // eq. (14)
    const double str = (hrs - hts) / dt;                                                // eq. (15)
    const double fj = 1.0 - 0.5 * (1.0 + std::tanh(3.0 * 0.8 * (stim - str) / 0.3));  // eq. (58)
    const double fk = 1.0 - 0.5 * (1.0 + std::tanh(3.0 * 0.5 * (dt - 20.0) / 20.0));   // eq. (59)
    const double lminb0p = p < b0 ? r.lb0p_db + (1.0 - omega) * r.ldp_db
                                  : lbd50 + (r.lb0b_db + (1.0 - omega) * r.ldp_db - lbd50) * fi;  // eq. (60)
    const double lminbap = 2.5 * std::log(std::exp(r.lba_db / 2.5) + std::exp(r.lb0p_db / 2.5));  // eq. (61)
    const double lbda = lminbap <= lbd ? lminbap + (lbd - lminbap) * fk : lbd;                       // eq. (62)
    const double lbam = lbda + (lminb0p - lbda) * fj;                                                // eq. (63)
    r.lb_db = -5.0 * std::log10(std::pow(10.0, -0.2 * r.lbs_db) + std::pow(10.0, -0.2 * lbam)) + r.aht_db +
              r.ahr_db;  // eq. (64)
    return r;
}

}  // namespace dxplan::prop::p452

namespace dxplan::prop {

namespace {
// LossQuery -> P.452: uniform profile, every point inland (zone A2), p = time_pct, path centre at lat_deg,
// antenna gains 0 dBi, DeltaN = 45 N-units/km and N0 = 325 N-units (typical mid-latitude values of the
// P.452 maps; the maps themselves are not bundled), 1013.25 hPa, 15 deg C, dct = dcr = 500 km.
LossResult adapt(const LossQuery& q, p452::Edition edition) {
    const std::vector<double> d_km = itur::distances_km(q.profile);
    p452::Input in;
    in.edition = edition;
    in.f_ghz = q.f_mhz / 1000.0;
    in.p_pct = q.time_pct;
    in.d_km = d_km;
    in.h_m = q.profile.z_m;
    in.clutter_m = q.clutter_m;
    in.htg_m = q.h_tx_m;
    in.hrg_m = q.h_rx_m;
    in.lat_centre_deg = q.lat_deg;
    in.pol = q.polarization;
    in.dn_n_per_km = 45.0;
    in.n0_n = 325.0;
    in.enforce_ranges = q.enforce_ranges;
    const p452::Result r = p452::basic_transmission_loss(in);
    LossResult out;
    out.loss_db = r.lb_db;
    out.mode = r.line_of_sight ? "line_of_sight" : "transhorizon";
    out.warnings = r.warnings;
    out.intermediate = {
        {"lbfsg_db", r.lbfsg_db}, {"lb0p_db", r.lb0p_db}, {"lb0b_db", r.lb0b_db},   {"ldsph_db", r.ldsph_db},
        {"ld50_db", r.ld50_db},   {"ldp_db", r.ldp_db},   {"lbs_db", r.lbs_db},     {"lba_db", r.lba_db},
        {"ae_km", r.ae_km},       {"theta_t_mrad", r.theta_t_mrad}, {"theta_r_mrad", r.theta_r_mrad},
        {"theta_mrad", r.theta_mrad}, {"dlt_km", r.dlt_km}, {"dlr_km", r.dlr_km},   {"hte_m", r.hte_m},
        {"hre_m", r.hre_m},       {"hstd_m", r.hstd_m},   {"hsrd_m", r.hsrd_m},     {"hm_m", r.hm_m},
        {"b0_pct", r.b0_pct},     {"omega", r.omega},
    };
    return out;
}
}  // namespace

LossResult adapt_p452(const LossQuery& q) { return adapt(q, p452::Edition::rev18); }
LossResult adapt_p452_17(const LossQuery& q) { return adapt(q, p452::Edition::rev17); }

}  // namespace dxplan::prop
