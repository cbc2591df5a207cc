#include "models/propagation/itur_path.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "libsim/core/units.hpp"

namespace dxplan::prop::itur {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Calls run(first, last) for each maximal run of consecutive points with in(i) true.
template <class In, class Run>
void for_each_run(std::size_t n, In in, Run run) {
    std::size_t i = 0;
    while (i < n) {
        if (!in(i)) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j + 1 < n && in(j + 1)) ++j;
        run(i, j);
        i = j + 1;
    }
}

// Length of the run [first, last], extended half-way to the neighbouring points outside it.
double run_length_km(std::span<const double> d_km, std::size_t first, std::size_t last) {
    double len = d_km[last] - d_km[first];
    if (last + 1 < d_km.size()) len += (d_km[last + 1] - d_km[last]) / 2.0;
    if (first > 0) len += (d_km[first] - d_km[first - 1]) / 2.0;
    return len;
}

}  // namespace

std::vector<double> distances_km(ProfileView profile) {
    std::vector<double> d_km(profile.size());
    for (std::size_t i = 0; i < d_km.size(); ++i) d_km[i] = profile.spacing_m / 1000.0 * static_cast<double>(i);
    return d_km;
}

double median_earth_radius_km(double delta_n) {
    const double k50 = 157.0 / (157.0 - delta_n);  // P.1812-7 eq. (6)
    return 6371.0 * k50;                           // eq. (7a)
}

double zone_fraction(std::span<const double> d_km, std::span<const Zone> zones, Zone z) {
    double sum_km = 0.0;
    for_each_run(d_km.size(), [&](std::size_t i) { return zones[i] == z; },
                 [&](std::size_t a, std::size_t b) { sum_km += run_length_km(d_km, a, b); });
    return sum_km / (d_km.back() - d_km.front());  // P.1812-7 Table 5 (omega)
}

double longest_continuous_km(std::span<const double> d_km, std::span<const Zone> zones, bool inland_only) {
    double best_km = 0.0;
    auto in = [&](std::size_t i) {
        return zones[i] == Zone::inland || (!inland_only && zones[i] == Zone::coastal_land);
    };
    for_each_run(d_km.size(), in,
                 [&](std::size_t a, std::size_t b) { best_km = std::max(best_km, run_length_km(d_km, a, b)); });
    return best_km;  // P.1812-7 §3.6 (dtm, dlm)
}

double beta0_pct(double phi_deg, double dtm_km, double dlm_km) {
    const double tau = 1.0 - std::exp(-4.12e-4 * std::pow(dlm_km, 2.41));  // P.1812-7 eq. (3)
    const double mu1 = std::min(
        1.0, std::pow(std::pow(10.0, -dtm_km / (16.0 - 6.6 * tau)) + std::pow(10.0, -5.0 * (0.496 + 0.354 * tau)),
                      0.2));  // eq. (2)
    const double abs_phi = std::abs(phi_deg);
    if (abs_phi <= 70.0) {
        const double mu4 = std::pow(mu1, -0.935 + 0.0176 * abs_phi);  // eq. (4)
        return std::pow(10.0, -0.015 * abs_phi + 1.67) * mu1 * mu4;  // eq. (5)
    }
    const double mu4 = std::pow(mu1, 0.3);  // eq. (4)
    return 4.17 * mu1 * mu4;                // eq. (5)
}

double great_circle_point_lat_deg(double lat_t_deg, double lon_t_deg, double lat_r_deg, double lon_r_deg,
                                  double dpnt_km) {
    constexpr double re_km = 6371.0;
    const double phit = deg_to_rad(lat_t_deg);
    const double phir = deg_to_rad(lat_r_deg);
    const double dlon = deg_to_rad(lon_r_deg - lon_t_deg);                                // P.2001-4 H.2.1
    const double r = std::sin(phit) * std::sin(phir) + std::cos(phit) * std::cos(phir) * std::cos(dlon);  // H.2.2
    const double x1 = std::sin(phir) - r * std::sin(phit);                               // H.2.5a
    const double y1 = std::cos(phit) * std::cos(phir) * std::sin(dlon);                  // H.2.5b
    const double bearing = (std::abs(x1) < 1e-9 && std::abs(y1) < 1e-9) ? deg_to_rad(lon_r_deg)
                                                                         : std::atan2(y1, x1);  // H.2.6
    const double phipnt = dpnt_km / re_km;                                                // H.3.1
    const double s = std::sin(phit) * std::cos(phipnt) + std::cos(phit) * std::sin(phipnt) * std::cos(bearing);  // H.3.2
    return rad_to_deg(std::asin(s));                                                      // H.3.3
}

SmoothEarth smooth_earth(std::span<const double> d_km, std::span<const double> h_m, double h_ts_m, double h_rs_m) {
    const std::size_t n = d_km.size();
    const double d = d_km[n - 1];
    double v1 = 0.0;
    double v2 = 0.0;
    for (std::size_t i = 1; i < n; ++i) {
        const double dd = d_km[i] - d_km[i - 1];
        v1 += dd * (h_m[i] + h_m[i - 1]);                                                          // eq. (83)
        v2 += dd * (h_m[i] * (2.0 * d_km[i] + d_km[i - 1]) + h_m[i - 1] * (d_km[i] + 2.0 * d_km[i - 1]));  // eq. (84)
    }
    SmoothEarth se;
    se.hst_raw_m = (2.0 * v1 * d - v2) / (d * d);  // eq. (85)
    se.hsr_raw_m = (v2 - v1 * d) / (d * d);        // eq. (86)

    // Smooth-surface heights for the diffraction model (§5.6.2).
    double hobs = kNegInf;
    double alpha_obt = kNegInf;
    double alpha_obr = kNegInf;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double hh = h_m[i] - (h_ts_m * (d - d_km[i]) + h_rs_m * d_km[i]) / d;  // eq. (87d)
        hobs = std::max(hobs, hh);                                                 // eq. (87a)
        alpha_obt = std::max(alpha_obt, hh / d_km[i]);                              // eq. (87b)
        alpha_obr = std::max(alpha_obr, hh / (d - d_km[i]));                        // eq. (87c)
    }
    double hstp = se.hst_raw_m;  // eq. (88a)
    double hsrp = se.hsr_raw_m;  // eq. (88b)
    if (hobs > 0.0) {
        const double gt = alpha_obt / (alpha_obt + alpha_obr);  // eq. (88e)
        const double gr = alpha_obr / (alpha_obt + alpha_obr);  // eq. (88f)
        hstp = se.hst_raw_m - hobs * gt;                        // eq. (88c)
        hsrp = se.hsr_raw_m - hobs * gr;                        // eq. (88d)
    }
    se.hstd_m = std::min(hstp, h_m[0]);      // eq. (89a-b)
    se.hsrd_m = std::min(hsrp, h_m[n - 1]);  // eq. (89c-d)
    return se;
}

Horizons horizons(std::span<const double> d_km, std::span<const double> h_m, double h_ts_m, double h_rs_m,
                  double ae_km, double lambda_m) {
    const std::size_t n = d_km.size();
    const double d = d_km[n - 1];
    Horizons hz;
    double theta_max = kNegInf;
    std::size_t i_max = 0;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double th = 1000.0 * std::atan((h_m[i] - h_ts_m) / (1000.0 * d_km[i]) - d_km[i] / (2.0 * ae_km));  // eq. (75)
        if (th > theta_max) {  // first maximum
            theta_max = th;
            i_max = i;
        }
    }
    const double theta_td = 1000.0 * std::atan((h_rs_m - h_ts_m) / (1000.0 * d) - d / (2.0 * ae_km));  // eq. (76)
    const double theta_rd = 1000.0 * std::atan((h_ts_m - h_rs_m) / (1000.0 * d) - d / (2.0 * ae_km));  // eq. (79)
    hz.transhorizon = theta_max > theta_td;                                                              // eq. (77)
    hz.theta_t_mrad = std::max(theta_max, theta_td);                                                     // eq. (77)
    if (hz.transhorizon) {
        hz.lt = i_max;
        hz.dlt_km = d_km[i_max];  // eq. (78)
        double theta_r = kNegInf;
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const double dr = d - d_km[i];
            const double th = 1000.0 * std::atan((h_m[i] - h_rs_m) / (1000.0 * dr) - dr / (2.0 * ae_km));  // eq. (80)
            if (th >= theta_r) {  // last maximum
                theta_r = th;
                hz.lr = i;
            }
        }
        hz.theta_r_mrad = theta_r;
        hz.dlr_km = d - d_km[hz.lr];  // eq. (81)
    } else {
        hz.theta_r_mrad = theta_rd;  // eq. (79)
        // Line of sight: both horizon distances from the point with the largest nu (eq. (81) note / §4.3.1).
        double nu_max = kNegInf;
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const double di = d_km[i];
            const double nu = (h_m[i] + 500.0 * di * (d - di) / ae_km - (h_ts_m * (d - di) + h_rs_m * di) / d) *
                              std::sqrt(0.002 * d / (lambda_m * di * (d - di)));
            if (nu >= nu_max) {  // last maximum
                nu_max = nu;
                hz.lt = i;
            }
        }
        hz.lr = hz.lt;
        hz.dlt_km = d_km[hz.lt];     // eq. (78)
        hz.dlr_km = d - hz.dlt_km;   // eq. (81a)
    }
    hz.theta_mrad = 1000.0 * d / ae_km + hz.theta_t_mrad + hz.theta_r_mrad;  // eq. (82)
    return hz;
}

DuctingHeights ducting_heights(std::span<const double> d_km, std::span<const double> h_m, double h_tg_m,
                               double h_rg_m, const SmoothEarth& se, const Horizons& hz) {
    const std::size_t n = d_km.size();
    DuctingHeights dh;
    dh.hst_m = std::min(se.hst_raw_m, h_m[0]);      // eq. (90a)
    dh.hsr_m = std::min(se.hsr_raw_m, h_m[n - 1]);  // eq. (90b)
    const double m = (dh.hsr_m - dh.hst_m) / d_km[n - 1];  // eq. (91)
    dh.hte_m = h_tg_m + h_m[0] - dh.hst_m;          // eq. (92a)
    dh.hre_m = h_rg_m + h_m[n - 1] - dh.hsr_m;      // eq. (92b)
    double hm = kNegInf;
    for (std::size_t i = hz.lt; i <= hz.lr; ++i) hm = std::max(hm, h_m[i] - (dh.hst_m + m * d_km[i]));  // eq. (93)
    dh.hm_m = hm;
    return dh;
}

double anomalous_db(const AnomalousInput& a) {
    const double alf = a.f_ghz < 0.5 ? 45.375 - 137.0 * a.f_ghz + 92.5 * a.f_ghz * a.f_ghz : 0.0;  // eq. (47a)
    const double theta_t2 = a.theta_t_mrad - 0.1 * a.dlt_km;  // eq. (48a)
    const double theta_r2 = a.theta_r_mrad - 0.1 * a.dlr_km;
    const double ast = theta_t2 > 0.0 ? 20.0 * std::log10(1.0 + 0.361 * theta_t2 * std::sqrt(a.f_ghz * a.dlt_km)) +
                                            0.264 * theta_t2 * std::cbrt(a.f_ghz)
                                      : 0.0;  // eq. (48)
    const double asr = theta_r2 > 0.0 ? 20.0 * std::log10(1.0 + 0.361 * theta_r2 * std::sqrt(a.f_ghz * a.dlr_km)) +
                                            0.264 * theta_r2 * std::cbrt(a.f_ghz)
                                      : 0.0;
    const double act = (a.dct_km <= 5.0 && a.dct_km <= a.dlt_km && a.omega >= 0.75)
                           ? -3.0 * std::exp(-0.25 * a.dct_km * a.dct_km) * (1.0 + std::tanh(0.07 * (50.0 - a.hts_m)))
                           : 0.0;  // eq. (49)
    const double acr = (a.dcr_km <= 5.0 && a.dcr_km <= a.dlr_km && a.omega >= 0.75)
                           ? -3.0 * std::exp(-0.25 * a.dcr_km * a.dcr_km) * (1.0 + std::tanh(0.07 * (50.0 - a.hrs_m)))
                           : 0.0;
    const double gamma_d = 5e-5 * a.ae_km * std::cbrt(a.f_ghz);  // eq. (51)
    const double theta_t1 = std::min(a.theta_t_mrad, 0.1 * a.dlt_km);  // eq. (52a)
    const double theta_r1 = std::min(a.theta_r_mrad, 0.1 * a.dlr_km);
    const double theta1 = 1e3 * a.d_km / a.ae_km + theta_t1 + theta_r1;  // eq. (52)
    const double di_km = std::min(a.d_km - a.dlt_km - a.dlr_km, 40.0);   // eq. (56a)
    const double mu3 = a.hm_m > 10.0 ? std::exp(-4.6e-5 * (a.hm_m - 10.0) * (43.0 + 6.0 * di_km)) : 1.0;  // eq. (56)
    const double tau = 1.0 - std::exp(-4.12e-4 * std::pow(a.dlm_km, 2.41));  // eq. (3) (P.452-18 eq. (3a))
    const double alpha = std::max(-0.6 - 3.5e-9 * std::pow(a.d_km, 3.1) * tau, -3.4);  // eq. (55a)
    const double sq = std::sqrt(a.hte_m) + std::sqrt(a.hre_m);
    const double mu2 = std::min(std::pow(500.0 / a.ae_km * a.d_km * a.d_km / (sq * sq), alpha), 1.0);  // eq. (55)
    const double beta = a.beta0_pct * mu2 * mu3;  // eq. (54)
    const double lb = std::log10(beta);
    const double gamma = 1.076 / std::pow(2.0058 - lb, 1.012) *
                         std::exp(-(9.51 - 4.8 * lb + 0.198 * lb * lb) * 1e-6 * std::pow(a.d_km, 1.13));  // eq. (53a)
    const double ap = -12.0 + (1.2 + 3.7e-3 * a.d_km) * std::log10(a.p_pct / beta) +
                      12.0 * std::pow(a.p_pct / beta, gamma);  // eq. (53)
    const double adp = gamma_d * theta1 + ap;                 // eq. (50)
    const double af = 102.45 + 20.0 * std::log10(a.f_ghz) + 20.0 * std::log10(a.dlt_km + a.dlr_km) + alf + ast + asr +
                      act + acr;  // eq. (47)
    return af + adp;              // eq. (46)
}

}  // namespace dxplan::prop::itur
