#include "models/propagation/p526.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "models/propagation/adapters.hpp"
#include "models/propagation/free_space.hpp"
#include "models/propagation/itur_path.hpp"

namespace dxplan::prop::p526 {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Complex Fresnel integral F(x) = C(x) + i S(x) = int_0^x exp(i pi t^2 / 2) dt, x >= 0.
std::complex<double> fresnel_complex(double x) {
    using cd = std::complex<double>;
    if (x < 2.5) {
        // Power series: F(x) = sum_k (i pi/2)^k x^(2k+1) / (k! (2k+1)).
        const cd w{0.0, kPi / 2.0 * x * x};
        cd term{x, 0.0};  // (i pi x^2/2)^k / k! * x
        cd sum{x, 0.0};
        for (int k = 1; k < 200; ++k) {
            term *= w / static_cast<double>(k);
            const cd add = term / static_cast<double>(2 * k + 1);
            sum += add;
            if (std::abs(add) < 1e-17 * std::abs(sum)) break;
        }
        return sum;
    }
    // F(x) = (1+i)/2 * erf(z), z = sqrt(pi)/2 (1-i) x; erfc(z) from its continued fraction
    // erfc(z) = exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated by Lentz's method.
    const cd z = std::sqrt(kPi) / 2.0 * cd{1.0, -1.0} * x;
    constexpr double tiny = 1e-300;
    cd f = z;
    cd c = f;
    cd d{0.0, 0.0};
    for (int k = 1; k < 1000; ++k) {
        const double a = 0.5 * k;
        d = z + a * d;
        if (std::abs(d) < tiny) d = tiny;
        c = z + a / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1.0 / d;
        const cd delta = c * d;
        f *= delta;
        if (std::abs(delta - 1.0) < 1e-16) break;
    }
    const cd erfc = std::exp(-z * z) / (std::sqrt(kPi) * f);
    return cd{0.5, 0.5} * (1.0 - erfc);
}

// Height of profile point i above the straight line between the antenna tips, with the earth bulge
// 500 d_i (d - d_i) / ap (m, d in km): the bracket of P.1812-7 eq. (15) / P.526-16 §4.5.
double clearance_m(double d_i_km, double h_i_m, double d_km, double h_ts_m, double h_rs_m, double ap_km) {
    return h_i_m + 500.0 * d_i_km * (d_km - d_i_km) / ap_km - (h_ts_m * (d_km - d_i_km) + h_rs_m * d_i_km) / d_km;
}

// v of an edge from its clearance (P.1812-7 eq. (15) factor): sqrt(0.002 d / (lambda d1 d2)), d in km.
double v_factor(double d1_km, double d2_km, double lambda_m) {
    return std::sqrt(0.002 * (d1_km + d2_km) / (lambda_m * d1_km * d2_km));
}

struct Edge {
    double v = kNegInf;
    std::size_t index = 0;
};

// The point with the largest v between indices lo and hi (exclusive) of a uniform profile, between
// "antenna tips" of heights za_m at lo and zb_m at hi (amsl).
Edge max_v_edge(ProfileView p, std::size_t lo, std::size_t hi, double za_m, double zb_m, double ae_km,
                double lambda_m) {
    Edge e;
    const double dx_km = p.spacing_m / 1000.0;
    const double d_km = dx_km * static_cast<double>(hi - lo);
    for (std::size_t i = lo + 1; i < hi; ++i) {
        const double di_km = dx_km * static_cast<double>(i - lo);
        const double v = clearance_m(di_km, p.z_m[i], d_km, za_m, zb_m, ae_km) * v_factor(di_km, d_km - di_km, lambda_m);
        if (v > e.v) e = {v, i};
    }
    return e;
}

void check_profile(std::span<const double> d_km, std::span<const double> h_m) {
    if (d_km.size() < 2 || h_m.size() != d_km.size())
        throw InputError("P.526 Bullington: d_km and h_m must have the same size, at least 2 points (got " +
                         std::to_string(d_km.size()) + " and " + std::to_string(h_m.size()) + ")");
}

}  // namespace

Fresnel fresnel_integrals(double x) {
    const std::complex<double> f = fresnel_complex(std::abs(x));
    const double sign = x < 0.0 ? -1.0 : 1.0;  // C and S are odd functions
    return {sign * f.real(), sign * f.imag()};
}

double knife_edge_j_db(double v) {
    const Fresnel fs = fresnel_integrals(v);
    const double a = 1.0 - fs.c - fs.s;
    const double b = fs.c - fs.s;
    return -20.0 * std::log10(std::sqrt(a * a + b * b) / 2.0);  // P.526-16 eq. (26)
}

double knife_edge_j_approx_db(double v) {
    if (v <= -0.78) return 0.0;
    return 6.9 + 20.0 * std::log10(std::sqrt((v - 0.1) * (v - 0.1) + 1.0) + v - 0.1);  // P.526-16 eq. (31)
}

double fresnel_v(double h_edge_m, double d1_m, double d2_m, double lambda_m) {
    return h_edge_m * std::sqrt(2.0 / lambda_m * (1.0 / d1_m + 1.0 / d2_m));  // P.526-16 eq. (22)
}

namespace {
// Bullington loss with the height of point i given by height_m(i) (P.1812-7 §4.3.1).
template <class Height>
double bullington_impl(std::span<const double> d_km, Height height_m, double h_ts_m, double h_rs_m, double ap_km,
                       double lambda_m) {
    const std::size_t n = d_km.size();
    const double d = d_km[n - 1] - d_km[0];
    const double ce = 1.0 / ap_km;  // effective earth curvature, 1/km
    double luc_db = 0.0;
    if (n >= 3) {
        double stim = kNegInf;
        for (std::size_t i = 1; i + 1 < n; ++i) {
            const double di = d_km[i] - d_km[0];
            stim = std::max(stim, (height_m(i) + 500.0 * ce * di * (d - di) - h_ts_m) / di);  // P.1812-7 eq. (13)
        }
        const double str = (h_rs_m - h_ts_m) / d;  // P.1812-7 eq. (14)
        double v = kNegInf;
        if (stim < str) {  // line of sight
            for (std::size_t i = 1; i + 1 < n; ++i) {
                const double di = d_km[i] - d_km[0];
                v = std::max(v, clearance_m(di, height_m(i), d, h_ts_m, h_rs_m, ap_km) *
                                    v_factor(di, d - di, lambda_m));  // eq. (15)
            }
        } else {  // trans-horizon
            double srim = kNegInf;
            for (std::size_t i = 1; i + 1 < n; ++i) {
                const double di = d_km[i] - d_km[0];
                srim = std::max(srim, (height_m(i) + 500.0 * ce * di * (d - di) - h_rs_m) / (d - di));  // eq. (17)
            }
            const double dbp = (h_rs_m - h_ts_m + srim * d) / (stim + srim);  // eq. (18)
            v = (h_ts_m + stim * dbp - (h_ts_m * (d - dbp) + h_rs_m * dbp) / d) *
                v_factor(dbp, d - dbp, lambda_m);  // eq. (19)
        }
        luc_db = knife_edge_j_approx_db(v);  // eqs. (16), (20) with eq. (12) = P.526-16 eq. (31)
    }
    return luc_db + (1.0 - std::exp(-luc_db / 6.0)) * (10.0 + 0.02 * d);  // P.1812-7 eq. (21)
}
}  // namespace

double bullington_db(std::span<const double> d_km, std::span<const double> h_m, double h_ts_m, double h_rs_m,
                     double ap_km, double lambda_m) {
    check_profile(d_km, h_m);
    return bullington_impl(d_km, [h_m](std::size_t i) { return h_m[i]; }, h_ts_m, h_rs_m, ap_km, lambda_m);
}

SphericalEarthResult spherical_earth_first_term_db(double epsilon_r, double sigma_s_per_m, double d_km,
                                                   double h_te_m, double h_re_m, double adft_km, double f_ghz) {
    const double s18 = 18.0 * sigma_s_per_m / f_ghz;
    const double kh = 0.036 * std::pow(adft_km * f_ghz, -1.0 / 3.0) *
                      std::pow((epsilon_r - 1.0) * (epsilon_r - 1.0) + s18 * s18, -0.25);  // P.1812-7 eq. (29a)
    const double kv = kh * std::sqrt(epsilon_r * epsilon_r + s18 * s18);                      // eq. (29b)
    auto one = [&](double k) {
        const double k2 = k * k;
        const double k4 = k2 * k2;
        const double beta = (1.0 + 1.6 * k2 + 0.67 * k4) / (1.0 + 4.5 * k2 + 1.53 * k4);  // eq. (30)
        const double x = 21.88 * beta * std::cbrt(f_ghz / (adft_km * adft_km)) * d_km;      // eq. (31)
        const double yfac = 0.9575 * beta * std::cbrt(f_ghz * f_ghz / adft_km);
        const double yt = yfac * h_te_m;  // eq. (32a)
        const double yr = yfac * h_re_m;  // eq. (32b)
        const double fx = x >= 1.6 ? 11.0 + 10.0 * std::log10(x) - 17.6 * x
                                   : -20.0 * std::log10(x) - 5.6488 * std::pow(x, 1.425);  // eq. (33)
        const double g_min = 2.0 + 20.0 * std::log10(k);
        auto g = [&](double y) {
            const double b = beta * y;  // eq. (35)
            const double gy = b > 2.0 ? 17.6 * std::sqrt(b - 1.1) - 5.0 * std::log10(b - 1.1) - 8.0
                                      : 20.0 * std::log10(b + 0.1 * b * b * b);  // eq. (34)
            return std::max(gy, g_min);
        };
        return -fx - g(yt) - g(yr);  // eq. (36)
    };
    return {one(kh), one(kv)};
}

namespace {
SphericalEarthResult first_term_mixed(double d_km, double h_te_m, double h_re_m, double adft_km, double f_ghz,
                                      double omega) {
    const SphericalEarthResult land = spherical_earth_first_term_db(22.0, 0.003, d_km, h_te_m, h_re_m, adft_km, f_ghz);
    const SphericalEarthResult sea = spherical_earth_first_term_db(80.0, 5.0, d_km, h_te_m, h_re_m, adft_km, f_ghz);
    return {omega * sea.horizontal_db + (1.0 - omega) * land.horizontal_db,  // P.1812-7 eq. (28)
            omega * sea.vertical_db + (1.0 - omega) * land.vertical_db};
}
}  // namespace

SphericalEarthResult spherical_earth_db(double d_km, double h_te_m, double h_re_m, double ap_km, double f_ghz,
                                        double omega, double lambda_m) {
    const double dlos_km = std::sqrt(2.0 * ap_km) * (std::sqrt(0.001 * h_te_m) + std::sqrt(0.001 * h_re_m));  // eq. (22)
    if (d_km >= dlos_km) return first_term_mixed(d_km, h_te_m, h_re_m, ap_km, f_ghz, omega);
    const double c = (h_te_m - h_re_m) / (h_te_m + h_re_m);    // eq. (24d)
    const double m = 250.0 * d_km * d_km / (ap_km * (h_te_m + h_re_m));  // eq. (24e)
    const double b = 2.0 * std::sqrt((m + 1.0) / (3.0 * m)) *
                     std::cos(kPi / 3.0 + std::acos(1.5 * c * std::sqrt(3.0 * m / std::pow(m + 1.0, 3.0))) / 3.0);  // eq. (24c)
    const double dse1 = d_km / 2.0 * (1.0 + b);  // eq. (24a)
    const double dse2 = d_km - dse1;             // eq. (24b)
    const double hse = ((h_te_m - 500.0 * dse1 * dse1 / ap_km) * dse2 + (h_re_m - 500.0 * dse2 * dse2 / ap_km) * dse1) / d_km;  // eq. (23)
    const double hreq = 17.456 * std::sqrt(dse1 * dse2 * lambda_m / d_km);  // eq. (25)
    if (hse > hreq) return {};
    const double s = d_km / (std::sqrt(h_te_m) + std::sqrt(h_re_m));
    const double aem_km = 500.0 * s * s;  // eq. (26)
    const SphericalEarthResult ft = first_term_mixed(d_km, h_te_m, h_re_m, aem_km, f_ghz, omega);
    const double scale = 1.0 - hse / hreq;  // eq. (27)
    return {ft.horizontal_db < 0.0 ? 0.0 : scale * ft.horizontal_db, ft.vertical_db < 0.0 ? 0.0 : scale * ft.vertical_db};
}

DeltaBullingtonResult delta_bullington(const DeltaBullingtonInput& in) {
    check_profile(in.d_km, in.h_m);
    const double lambda_m = in.lambda_m > 0.0 ? in.lambda_m : wavelength_itur_m(in.f_ghz);
    const std::size_t n = in.d_km.size();
    const double d = in.d_km[n - 1] - in.d_km[0];
    DeltaBullingtonResult r;
    r.lbulla_db = bullington_db(in.d_km, in.h_m, in.h_ts_m, in.h_rs_m, in.ap_km, lambda_m);
    const double h_ts1_m = in.h_ts_m - in.h_std_m;  // P.1812-7 eq. (37a)
    const double h_rs1_m = in.h_rs_m - in.h_srd_m;  // eq. (37b)
    // Bullington over the smooth path: every profile height set to zero (§4.3.4).
    r.lbulls_db = bullington_impl(in.d_km, [](std::size_t) { return 0.0; }, h_ts1_m, h_rs1_m, in.ap_km, lambda_m);
    r.ldsph_db = spherical_earth_db(d, h_ts1_m, h_rs1_m, in.ap_km, in.f_ghz, in.omega, lambda_m)  // eq. (38)
                     .for_polarization(in.pol);
    r.ld_db = r.lbulla_db + std::max(r.ldsph_db - r.lbulls_db, 0.0);  // eq. (39)
    return r;
}

KnifeEdgeResult single_knife_edge(ProfileView p, double h_tx_m, double h_rx_m, double f_mhz, double ae_m) {
    KnifeEdgeResult r;
    if (p.size() < 3) return r;
    const double lambda_m = wavelength_m(f_mhz);
    const Edge e = max_v_edge(p, 0, p.size() - 1, p.z_m.front() + h_tx_m, p.z_m.back() + h_rx_m, ae_m / 1000.0, lambda_m);
    r.v = e.v;
    r.edge_index = e.index;
    // P.526-16 eq. (26), used where eq. (31) is valid (v > -0.78, as §4.5.2 does): below, and in the last 0.01 dB
    // above it, J(v) is the ripple of an edge well clear of the path, a gain over free space (up to 1.2 dB) that a
    // terrain profile does not give, so it is clamped to 0 dB.
    r.loss_db = e.v > -0.78 ? std::max(knife_edge_j_db(e.v), 0.0) : 0.0;
    return r;
}

DeygoutResult deygout(ProfileView p, double h_tx_m, double h_rx_m, double f_mhz, double ae_m) {
    DeygoutResult r;
    r.v_principal = r.v_tx_side = r.v_rx_side = kNegInf;
    if (p.size() < 3) return r;
    const double lambda_m = wavelength_m(f_mhz);
    const double ae_km = ae_m / 1000.0;
    const std::size_t last = p.size() - 1;
    const double zt_m = p.z_m.front() + h_tx_m;
    const double zr_m = p.z_m.back() + h_rx_m;
    const double d_km = p.length_m() / 1000.0;
    const Edge pe = max_v_edge(p, 0, last, zt_m, zr_m, ae_km, lambda_m);  // principal edge
    r.v_principal = pe.v;
    const double jp_db = knife_edge_j_approx_db(pe.v);  // P.526-16 eq. (31)
    if (pe.v <= -0.78) return r;                        // §4.5.2: no diffraction loss
    // Secondary edges on the sub-paths Tx-principal and principal-Rx (principal edge as the new terminal).
    const double ze_m = p.z_m[pe.index];
    const Edge te = max_v_edge(p, 0, pe.index, zt_m, ze_m, ae_km, lambda_m);
    const Edge re = max_v_edge(p, pe.index, last, ze_m, zr_m, ae_km, lambda_m);
    r.v_tx_side = te.v;
    r.v_rx_side = re.v;
    const double jt_db = knife_edge_j_approx_db(te.v);  // 0 dB when the sub-path has no point (v = -inf)
    const double jr_db = knife_edge_j_approx_db(re.v);
    r.n_edges = 1 + (te.v > -0.78 ? 1 : 0) + (re.v > -0.78 ? 1 : 0);
    const double t = 1.0 - std::exp(-jp_db / 6.0);                // §4.5.2 weighting of the secondary edges
    const double c_db = 8.0 + 0.04 * d_km;                          // §4.5.2 empirical correction
    r.loss_db = jp_db + t * (jt_db + jr_db + c_db);                 // §4.5.2
    return r;
}

double bullington_profile_db(ProfileView p, double h_tx_m, double h_rx_m, double f_mhz, double ae_m) {
    const std::vector<double> d_km = itur::distances_km(p);
    return bullington_db(d_km, p.z_m, p.z_m.front() + h_tx_m, p.z_m.back() + h_rx_m, ae_m / 1000.0,
                         wavelength_m(f_mhz));
}

}  // namespace dxplan::prop::p526

// ---- Registry adapters (uniform ProfileView, k = 4/3 effective earth radius, free space added) ----

namespace dxplan::prop {

namespace {

inline constexpr double kAe43_m = 4.0 / 3.0 * 6371000.0;  // k = 4/3 effective earth radius

// Free-space loss over the slant distance between the antenna tips (P.525-4 eq. (8)).
double free_space_tips_db(const LossQuery& q) {
    const ProfileView& p = q.profile;
    const double dz_m = (p.z_m.front() + q.h_tx_m) - (p.z_m.back() + q.h_rx_m);
    return free_space_loss_db(q.f_mhz, std::hypot(p.length_m(), dz_m));
}

LossResult with_free_space(const LossQuery& q, double diffraction_db,
                           std::vector<std::pair<std::string, double>> extra) {
    LossResult r;
    const double fs_db = free_space_tips_db(q);
    r.loss_db = fs_db + diffraction_db;
    r.mode = diffraction_db > 0.0 ? "diffraction" : "line_of_sight";
    r.intermediate = {{"free_space_db", fs_db}, {"diffraction_db", diffraction_db}, {"ae_km", kAe43_m / 1000.0}};
    for (auto& [name, value] : extra)
        if (std::isfinite(value)) r.intermediate.emplace_back(std::move(name), value);  // v = -inf: no such edge
    return r;
}

}  // namespace

LossResult adapt_free_space_knife_edge(const LossQuery& q) {
    const p526::KnifeEdgeResult ke = p526::single_knife_edge(q.profile, q.h_tx_m, q.h_rx_m, q.f_mhz, kAe43_m);
    return with_free_space(q, ke.loss_db,
                           {{"v", ke.v}, {"edge_distance_m", q.profile.spacing_m * static_cast<double>(ke.edge_index)}});
}

LossResult adapt_p526_deygout(const LossQuery& q) {
    const p526::DeygoutResult dg = p526::deygout(q.profile, q.h_tx_m, q.h_rx_m, q.f_mhz, kAe43_m);
    return with_free_space(q, dg.loss_db,
                           {{"v_principal", dg.v_principal},
                            {"v_tx_side", dg.v_tx_side},
                            {"v_rx_side", dg.v_rx_side},
                            {"n_edges", static_cast<double>(dg.n_edges)}});
}

LossResult adapt_p526_bullington(const LossQuery& q) {
    return with_free_space(q, p526::bullington_profile_db(q.profile, q.h_tx_m, q.h_rx_m, q.f_mhz, kAe43_m), {});
}

LossResult adapt_p526_delta_bullington(const LossQuery& q) {
    const ProfileView& p = q.profile;
    const std::vector<double> d_km = itur::distances_km(p);
    const double h_ts_m = p.z_m.front() + q.h_tx_m;
    const double h_rs_m = p.z_m.back() + q.h_rx_m;
    const itur::SmoothEarth se = itur::smooth_earth(d_km, p.z_m, h_ts_m, h_rs_m);
    p526::DeltaBullingtonInput in;
    in.d_km = d_km;
    in.h_m = p.z_m;
    in.h_ts_m = h_ts_m;
    in.h_rs_m = h_rs_m;
    in.h_std_m = se.hstd_m;
    in.h_srd_m = se.hsrd_m;
    in.ap_km = kAe43_m / 1000.0;
    in.f_ghz = q.f_mhz / 1000.0;
    in.omega = 0.0;  // all land
    in.pol = q.polarization;
    in.lambda_m = wavelength_m(q.f_mhz);  // exact c, as the other P.526 adapters
    const p526::DeltaBullingtonResult db = p526::delta_bullington(in);
    return with_free_space(q, db.ld_db,
                           {{"lbulla_db", db.lbulla_db}, {"lbulls_db", db.lbulls_db}, {"ldsph_db", db.ldsph_db},
                            {"hstd_m", se.hstd_m}, {"hsrd_m", se.hsrd_m}});
}

}  // namespace dxplan::prop
