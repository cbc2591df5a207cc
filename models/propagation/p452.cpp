// ITU-R P.452-18 / P.452-17 clear-air basic transmission loss. See p452.hpp for references and validity.
// Equation numbers are those of P.452-18 Annex 1 unless marked otherwise (P.452-17 shares them up to
// section 4.4; its clutter model is section 4.5, eq. (57), and its overall prediction section 4.6).
#include "models/propagation/p452.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "models/propagation/adapters.hpp"
#include "models/propagation/p526.hpp"

namespace dxplan::prop::p452 {

namespace {

inline constexpr double kEarthRadius_km = 6371.0;  // section 3.2.1, eq. (6)
inline constexpr double kClutterClearance_km = 0.050;  // -18: no clutter within 50 m of either terminal

// Attachment 3: approximation to the inverse complementary cumulative normal distribution, 0 < x <= 0.5.
double inv_cum_norm(double x) {
    x = std::clamp(x, 1e-6, 0.999999);
    const bool upper = x > 0.5;
    const double xx = upper ? 1.0 - x : x;
    const double t = std::sqrt(-2.0 * std::log(xx));  // T(x)
    const double xi = ((0.010328 * t + 0.802853) * t + 2.515516698) /
                      (((0.001308 * t + 0.189269) * t + 1.432788) * t + 1.0);  // xi(x), C0..C2, D1..D3
    return upper ? xi - t : t - xi;  // I(x) = T(x) - xi(x)
}

// Length of the path section represented by each profile point: half the distance to each neighbour.
double section_km(std::span<const double> d, std::size_t i) {
    const std::size_t n = d.size();
    if (i == 0) return (d[1] - d[0]) / 2.0;
    if (i == n - 1) return (d[n - 1] - d[n - 2]) / 2.0;
    return (d[i + 1] - d[i - 1]) / 2.0;
}

// Section 3.2.1 step 3: dtm (longest continuous land, zones A1 + A2) and dlm (longest continuous inland, A2).
void longest_land_sections(std::span<const double> d, std::span<const Zone> zone, double& dtm_km, double& dlm_km) {
    double run_t = 0.0, run_l = 0.0;
    dtm_km = dlm_km = 0.0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const double len = section_km(d, i);
        const Zone z = zone[i];
        run_t = (z == Zone::sea) ? 0.0 : run_t + len;
        run_l = (z == Zone::inland) ? run_l + len : 0.0;
        dtm_km = std::max(dtm_km, run_t);
        dlm_km = std::max(dlm_km, run_l);
    }
}

// Section 3.2.1 eq. (2)-(4): beta0, time percentage for which refractivity lapse rates exceeding
// 100 N-units/km can be expected in the first 100 m of the lower atmosphere.
double beta0_pct(double lat_deg, double dtm_km, double dlm_km) {
    const double tau = 1.0 - std::exp(-4.12e-4 * std::pow(dlm_km, 2.41));  // eq. (3a)
    double mu1 = std::pow(std::pow(10.0, -dtm_km / (16.0 - 6.6 * tau)) + std::pow(10.0, -5.0 * (0.496 + 0.354 * tau)),
                          0.2);  // eq. (3)
    mu1 = std::min(mu1, 1.0);
    const double alat = std::abs(lat_deg);
    if (alat <= 70.0) {
        const double mu4 = std::pow(10.0, (-0.935 + 0.0176 * alat) * std::log10(mu1));  // eq. (4)
        return std::pow(10.0, -0.015 * alat + 1.67) * mu1 * mu4;                        // eq. (2)
    }
    const double mu4 = std::pow(10.0, 0.3 * std::log10(mu1));  // eq. (4)
    return 4.17 * mu1 * mu4;                                   // eq. (2)
}

// Attachment 2 section 5.1.6.2: least-squares smooth-earth heights at the two ends (m amsl).
void smooth_earth(std::span<const double> d, std::span<const double> h, double& hst_m, double& hsr_m) {
    const double dt = d.back();
    double v1 = 0.0, v2 = 0.0;
    for (std::size_t i = 1; i < d.size(); ++i) {
        const double dd = d[i] - d[i - 1];
        v1 += dd * (h[i] + h[i - 1]);                                                      // v1
        v2 += dd * (h[i] * (2.0 * d[i] + d[i - 1]) + h[i - 1] * (d[i] + 2.0 * d[i - 1]));  // v2
    }
    hst_m = (2.0 * v1 * dt - v2) / (dt * dt);
    hsr_m = (v2 - v1 * dt) / (dt * dt);
}

// Attachment 2 sections 4-5.1: path classification, horizon angles and distances, effective heights.
struct PathGeometry {
    bool los = false;
    double theta_t = 0.0, theta_r = 0.0, theta = 0.0;  // mrad
    double dlt = 0.0, dlr = 0.0;                        // km
    double hstd = 0.0, hsrd = 0.0, hte = 0.0, hre = 0.0, hm = 0.0;  // m
};

PathGeometry analyse_path(std::span<const double> d, std::span<const double> h, double hts, double hrs,
                          double htg, double hrg, double ae, double lambda_m) {
    PathGeometry g;
    const std::size_t n = d.size();
    const double dt = d.back();
    // Attachment 2 section 4 / 5.1.1: highest elevation angle from the transmitter to the terrain, and the
    // elevation angle of the receiver antenna (path classification: trans-horizon if theta_max > theta_td).
    double theta_max = -std::numeric_limits<double>::infinity();
    std::size_t ilt = 1;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double th = (h[i] - hts) / d[i] - 1e3 * d[i] / (2.0 * ae);
        if (th > theta_max) { theta_max = th; ilt = i; }
    }
    const double theta_td = (hrs - hts) / dt - 1e3 * dt / (2.0 * ae);
    g.los = !(theta_max > theta_td);
    std::size_t ilr = ilt;
    if (g.los) {
        // Section 5.1.2/5.1.3 for a LoS path: horizon point = point of highest diffraction parameter nu.
        double nu_max = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const double nu = (h[i] + 500.0 * d[i] * (dt - d[i]) / ae - (hts * (dt - d[i]) + hrs * d[i]) / dt) *
                              std::sqrt(0.002 * dt / (lambda_m * d[i] * (dt - d[i])));
            if (nu > nu_max) { nu_max = nu; ilt = i; }
        }
        ilr = ilt;
        g.theta_t = theta_td;
        g.theta_r = (hts - hrs) / dt - 1e3 * dt / (2.0 * ae);
        g.dlt = d[ilt];
        g.dlr = dt - d[ilt];
    } else {
        g.theta_t = theta_max;
        g.dlt = d[ilt];
        double theta_rmax = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const double th = (h[i] - hrs) / (dt - d[i]) - 1e3 * (dt - d[i]) / (2.0 * ae);
            if (th > theta_rmax) { theta_rmax = th; ilr = i; }
        }
        g.theta_r = theta_rmax;
        g.dlr = dt - d[ilr];
    }
    g.theta = 1e3 * dt / ae + g.theta_t + g.theta_r;  // section 5.1.5 angular distance

    double hst = 0.0, hsr = 0.0;
    smooth_earth(d, h, hst, hsr);
    // Section 5.1.6.3: smooth-earth heights for the diffraction model.
    double hobs = -std::numeric_limits<double>::infinity();
    double aobt = -std::numeric_limits<double>::infinity(), aobr = aobt;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double hi = h[i] - (hts * (dt - d[i]) + hrs * d[i]) / dt;
        hobs = std::max(hobs, hi);
        aobt = std::max(aobt, hi / d[i]);
        aobr = std::max(aobr, hi / (dt - d[i]));
    }
    double hstp = hst, hsrp = hsr;
    if (hobs > 0.0) {
        const double gt = aobt / (aobt + aobr), gr = aobr / (aobt + aobr);
        hstp = hst - hobs * gt;
        hsrp = hsr - hobs * gr;
    }
    g.hstd = std::min(hstp, h.front());
    g.hsrd = std::min(hsrp, h.back());
    // Section 5.1.6.4: effective heights and terrain roughness for the ducting/layer-reflection model.
    hst = std::min(hst, h.front());
    hsr = std::min(hsr, h.back());
    const double m = (hsr - hst) / dt;
    g.hte = htg + h.front() - hst;
    g.hre = hrg + h.back() - hsr;
    g.hm = -std::numeric_limits<double>::infinity();
    for (std::size_t i = ilt; i <= ilr; ++i) g.hm = std::max(g.hm, h[i] - (hst + m * d[i]));
    return g;
}

// Section 4.1 eq. (9): gaseous absorption over a path length d_km with water-vapour density rho.
double gas_db(double f_ghz, double d_km, double rho, double pressure_hpa, double temp_k) {
    const GasAttenuation g = specific_attenuation(f_ghz, pressure_hpa, temp_k, rho);
    return (g.oxygen_db_per_km + g.water_db_per_km) * d_km;
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

double great_circle_midpoint_lat_deg(double lat_t_deg, double lon_t_deg, double lat_r_deg, double lon_r_deg) {
    // Midpoint of the great circle: normalised sum of the two unit vectors.
    const double p1 = deg_to_rad(lat_t_deg), l1 = deg_to_rad(lon_t_deg);
    const double p2 = deg_to_rad(lat_r_deg), l2 = deg_to_rad(lon_r_deg);
    const double x = std::cos(p1) * std::cos(l1) + std::cos(p2) * std::cos(l2);
    const double y = std::cos(p1) * std::sin(l1) + std::cos(p2) * std::sin(l2);
    const double z = std::sin(p1) + std::sin(p2);
    return rad_to_deg(std::atan2(z, std::hypot(x, y)));
}

Result basic_transmission_loss(const Input& in) {
    check_input(in);
    Result r;
    const bool rev17 = in.edition == Edition::rev17;
    const double f = in.f_ghz, p = in.p_pct;

    // Validity ranges (P.452-18 section 1, Annex 1 section 2).
    auto warn = [&](const char* name, const std::string& what) {
        if (in.enforce_ranges) throw InputError(std::string("p452: ") + what);
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

    // Section 3.2.1 on the whole path: omega, dtm, dlm, beta0; eq. (5)-(6a) effective earth radii.
    const double dtot_full = in.d_km.back();
    double sea_km = 0.0;
    bool all_sea = true;
    for (std::size_t i = 0; i < in.d_km.size(); ++i) {
        if (zone[i] == Zone::sea) sea_km += section_km(in.d_km, i);
        else all_sea = false;
    }
    r.omega = all_sea ? 1.0 : sea_km / dtot_full;  // fraction of the path over sea (Table 3 zone B)
    longest_land_sections(in.d_km, zone, r.dtm_km, r.dlm_km);
    r.b0_pct = beta0_pct(in.lat_centre_deg, r.dtm_km, r.dlm_km);
    const double k50 = 157.0 / (157.0 - in.dn_n_per_km);  // eq. (5)
    r.ae_km = kEarthRadius_km * k50;                      // eq. (6)
    const double ab_km = kEarthRadius_km * 3.0;           // eq. (6a), k_beta = 3
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
    // -18 eq. (6e)-style diffraction profile: terrain plus representative clutter height, except at the
    // terminals and within 50 m of them; -17 diffracts over bare terrain.
    for (std::size_t i = 0; i < n; ++i) {
        g[i] = h[i];
        if (!rev17 && !in.clutter_m.empty() && i > 0 && i + 1 < n && d[i] >= kClutterClearance_km &&
            d[i] <= dt - kClutterClearance_km)
            g[i] += in.clutter_m[i0 + i];
    }

    const double hts = h.front() + htg, hrs = h.back() + hrg;  // antenna heights amsl
    const double lambda_m = p526::wavelength_itur_m(f);
    const PathGeometry geo = analyse_path(d, h, hts, hrs, htg, hrg, ae, lambda_m);
    r.dtot_km = dt;
    r.hts_m = hts;
    r.hrs_m = hrs;
    r.line_of_sight = geo.los;
    r.theta_t_mrad = geo.theta_t;
    r.theta_r_mrad = geo.theta_r;
    r.theta_mrad = geo.theta;
    r.dlt_km = geo.dlt;
    r.dlr_km = geo.dlr;
    r.hstd_m = geo.hstd;
    r.hsrd_m = geo.hsrd;
    r.hte_m = geo.hte;
    r.hre_m = geo.hre;
    r.hm_m = geo.hm;

    // Section 4.1: line-of-sight propagation including short-term effects.
    const double rho = 7.5 + 2.5 * omega;  // water-vapour density, g/m3
    double lbfs = 0.0, ag_los = 0.0;
    if (rev17) {
        lbfs = 92.5 + 20.0 * std::log10(f) + 20.0 * std::log10(dt);  // -17 eq. (8)
        ag_los = gas_db(f, dt, rho, in.pressure_hpa, temp_k);      // -17 eq. (9)
    } else {
        const double dfs = std::sqrt(dt * dt + std::pow((hts - hrs) / 1000.0, 2));  // eq. (8a)
        lbfs = 92.4 + 20.0 * std::log10(f) + 20.0 * std::log10(dfs);               // eq. (8)
        ag_los = gas_db(f, dfs, rho, in.pressure_hpa, temp_k);                      // eq. (9)
    }
    r.lbfsg_db = lbfs + ag_los;
    const double es = 2.6 * (1.0 - std::exp(-0.1 * (geo.dlt + geo.dlr)));
    r.lb0p_db = r.lbfsg_db + es * std::log10(p / 50.0);   // eq. (10a), (11)
    r.lb0b_db = r.lbfsg_db + es * std::log10(b0 / 50.0);  // eq. (10b), (12)

    // Section 4.2: delta-Bullington diffraction (P.526-16 section 4.5.3) for ae and a_beta.
    p526::DeltaBullingtonInput db;
    db.d_km = d;
    db.h_m = g;
    db.h_ts_m = hts;
    db.h_rs_m = hrs;
    db.h_std_m = geo.hstd;
    db.h_srd_m = geo.hsrd;
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
    const double fi = p > b0 ? inv_cum_norm(p / 100.0) / inv_cum_norm(b0 / 100.0) : 1.0;  // eq. (41a), (41b)
    r.ldp_db = r.ld50_db + fi * (dbeta.ld_db - r.ld50_db);                                 // eq. (42)
    const double lbd50 = r.lbfsg_db + r.ld50_db;                                           // eq. (43)
    const double lbd = r.lb0p_db + r.ldp_db;                                               // eq. (44)

    // Section 4.3: troposcatter, eq. (45) with Ag for rho = 3 g/m3 over the path length.
    const double lf = 25.0 * std::log10(f) - 2.5 * std::pow(std::log10(f / 2.0), 2);  // eq. (45a)
    const double lc = 0.051 * std::exp(0.055 * (in.gt_dbi + in.gr_dbi));              // eq. (45b)
    r.lbs_db = 190.0 + lf + 20.0 * std::log10(dt) + 0.573 * geo.theta - 0.15 * in.n0_n + lc +
               gas_db(f, dt, 3.0, in.pressure_hpa, temp_k) - 10.1 * std::pow(-std::log10(p / 50.0), 0.7);  // eq. (45)

    // Section 4.4: ducting / layer reflection.
    auto site_shielding = [&](double theta_mrad, double dl_km) {  // eq. (48), (48a)
        const double th2 = theta_mrad - 0.1 * dl_km;
        if (th2 <= 0.0) return 0.0;
        return 20.0 * std::log10(1.0 + 0.361 * th2 * std::sqrt(f * dl_km)) + 0.264 * th2 * std::cbrt(f);
    };
    auto coupling = [&](double dc_km, double dl_km, double hs_m) {  // eq. (49), (49a)
        if (omega >= 0.75 && dc_km <= dl_km && dc_km <= 5.0)
            return -3.0 * std::exp(-0.25 * dc_km * dc_km) * (1.0 + std::tanh(0.07 * (50.0 - hs_m)));
        return 0.0;
    };
    const double alf = f < 0.5 ? 45.375 - 137.0 * f + 92.5 * f * f : 0.0;  // eq. (47a)
    const double af = 102.45 + 20.0 * std::log10(f) + 20.0 * std::log10(geo.dlt + geo.dlr) + alf +
                      site_shielding(geo.theta_t, geo.dlt) + site_shielding(geo.theta_r, geo.dlr) +
                      coupling(in.dct_km, geo.dlt, hts) + coupling(in.dcr_km, geo.dlr, hrs);  // eq. (47)
    const double gamma_d = 5e-5 * ae * std::cbrt(f);                                       // eq. (51)
    const double tht = std::min(geo.theta_t, 0.1 * geo.dlt);                                // eq. (52a)
    const double thr = std::min(geo.theta_r, 0.1 * geo.dlr);                                // eq. (52a)
    const double theta_p = 1e3 * dt / ae + tht + thr;                                       // eq. (52)
    const double tau = 1.0 - std::exp(-4.12e-4 * std::pow(r.dlm_km, 2.41));                // eq. (3a)
    const double alpha = std::max(-0.6 - 3.5e-9 * std::pow(dt, 3.1) * tau, -3.4);          // eq. (55a)
    const double mu2 = std::min(
        std::pow(500.0 / ae * dt * dt / std::pow(std::sqrt(geo.hte) + std::sqrt(geo.hre), 2), alpha), 1.0);  // eq. (55)
    double mu3 = 1.0;
    if (geo.hm > 10.0) {
        const double di = std::min(dt - geo.dlt - geo.dlr, 40.0);  // eq. (56a)
        mu3 = std::exp(-4.6e-5 * (geo.hm - 10.0) * (43.0 + 6.0 * di));  // eq. (56)
    }
    const double beta = b0 * mu2 * mu3;  // eq. (54)
    const double log_beta = std::log10(beta);
    const double gamma = 1.076 / std::pow(2.0058 - log_beta, 1.012) *
                         std::exp(-(9.51 - 4.8 * log_beta + 0.198 * log_beta * log_beta) * 1e-6 * std::pow(dt, 1.13));  // eq. (53a)
    const double ap = -12.0 + (1.2 + 3.7e-3 * dt) * std::log10(p / beta) + 12.0 * std::pow(p / beta, gamma);  // eq. (53)
    const double adp = gamma_d * theta_p + ap;  // eq. (50)
    r.lba_db = af + adp + gas_db(f, dt, rho, in.pressure_hpa, temp_k);  // eq. (46)

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
    const std::size_t n = q.profile.size();
    std::vector<double> d_km(n);
    for (std::size_t i = 0; i < n; ++i) d_km[i] = q.profile.spacing_m * static_cast<double>(i) / 1000.0;
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
