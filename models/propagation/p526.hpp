// ITU-R P.526-16 "Propagation by diffraction": knife-edge loss J(v), the Bullington and
// delta-Bullington methods for a general terrain path, and the Deygout construction for up to three edges.
//
// The delta-Bullington method here is the one used, with the same equations, by ITU-R P.1812-7 §4.3
// (eqs (13)-(39)) and ITU-R P.452-18 §4.2; both call delta_bullington() below.
// Equation numbers for J(v) are those of P.526-15/-16 §4.1: exact eq. (26) with the Fresnel integrals of
// eq. (27), approximation eq. (31).
//
// Validity (P.526-16 §4.5 and the parent recommendations): terrestrial paths; the spherical-earth first-term
// formulas are fitted for 0.03-50 GHz (P.452-18 uses them up to 50 GHz, P.1812-7 up to 6 GHz); the J(v)
// approximation is used for v > -0.78 and is 0 dB below.
//
// Units follow the ITU-R texts: distances along the path in km, heights in m above mean sea level,
// frequency in GHz, effective earth radius in km.
#pragma once

#include <span>

#include "libsim/core/profile.hpp"
#include "models/propagation/model.hpp"

namespace dxplan::prop::p526 {

// Single knife edge, exact: P.526-16 eq. (26) with the Fresnel integrals C(v), S(v) of eq. (27).
double knife_edge_j_db(double v);

// Single knife edge, approximation P.526-16 eq. (31): 6.9 + 20 log(sqrt((v-0.1)^2+1) + v - 0.1) for
// v > -0.78, 0 dB otherwise.
double knife_edge_j_approx_db(double v);

// Fresnel integrals C(x) = int_0^x cos(pi t^2 / 2) dt, S(x) = int_0^x sin(pi t^2 / 2) dt (P.526-16 eq. (27)).
struct Fresnel {
    double c = 0.0;
    double s = 0.0;
};
Fresnel fresnel_integrals(double x);

// Wavelength used by P.1812-7 / P.452-18 reference implementations: c = 2.998e8 m/s (as in P.2001).
inline double wavelength_itur_m(double f_ghz) { return 0.2998 / f_ghz; }

// Bullington loss over a general path (P.526-16 §4.5.1; P.1812-7 §4.3.1 eqs (13)-(21); P.452-18 §4.2.1).
// d_km[i], h_m[i]: distance from the transmitter and height amsl of point i (points 0 and n-1 are the
// terminals' ground points; only the intermediate points 1..n-2 are used as obstacles). Spacing may be
// non-uniform. h_ts_m, h_rs_m: antenna heights amsl. lambda_m: wavelength. InputError unless d_km and h_m
// have the same size and at least 2 points (delta_bullington() likewise).
double bullington_db(std::span<const double> d_km, std::span<const double> h_m, double h_ts_m, double h_rs_m,
                     double ap_km, double lambda_m);

// Spherical-earth diffraction loss Ldsph (P.526-16 §3 as used by P.1812-7 §4.3.2-4.3.3 eqs (22)-(36),
// P.452-18 §4.2.2): effective antenna heights h_te_m, h_re_m above the smooth earth, path length d_km,
// effective earth radius ap_km, sea fraction omega (0..1), mixed-path first-term formula with land
// (epsilon 22, sigma 0.003 S/m) and sea (80, 5 S/m). lambda_m is used for the required clearance (eq. (25)).
struct SphericalEarthResult {
    double horizontal_db = 0.0;
    double vertical_db = 0.0;
    [[nodiscard]] double for_polarization(Polarization pol) const {
        return pol == Polarization::horizontal ? horizontal_db : vertical_db;
    }
};
SphericalEarthResult spherical_earth_db(double d_km, double h_te_m, double h_re_m, double ap_km, double f_ghz,
                                        double omega, double lambda_m);

// First-term spherical-earth diffraction loss for one ground type (P.1812-7 eqs (29)-(36)), both polarizations.
SphericalEarthResult spherical_earth_first_term_db(double epsilon_r, double sigma_s_per_m, double d_km,
                                                   double h_te_m, double h_re_m, double adft_km, double f_ghz);

// Delta-Bullington (P.526-16 §4.5.3; P.1812-7 §4.3.4 eqs (37)-(39); P.452-18 §4.2.3).
struct DeltaBullingtonInput {
    std::span<const double> d_km;  // distance of each profile point from the transmitter, km (0 first)
    std::span<const double> h_m;   // height of each point amsl, m (P.1812: terrain + representative clutter)
    double h_ts_m = 0.0;           // transmitter antenna height amsl
    double h_rs_m = 0.0;           // receiver antenna height amsl
    double h_std_m = 0.0;          // smooth-earth height amsl at the transmitter (diffraction model)
    double h_srd_m = 0.0;          // smooth-earth height amsl at the receiver
    double ap_km = 0.0;            // effective earth radius for the time percentage considered
    double f_ghz = 0.0;
    double omega = 0.0;            // fraction of the path over sea, 0..1
    Polarization pol = Polarization::vertical;
    double lambda_m = 0.0;         // wavelength; 0 means wavelength_itur_m(f_ghz)
};
struct DeltaBullingtonResult {
    double ld_db = 0.0;      // eq. (39): Lbulla + max(Ldsph - Lbulls, 0)
    double lbulla_db = 0.0;  // Bullington over the actual profile
    double lbulls_db = 0.0;  // Bullington over the smooth profile (heights 0, antennas h_ts - h_std, h_rs - h_srd)
    double ldsph_db = 0.0;   // spherical-earth loss for the chosen polarization
};
DeltaBullingtonResult delta_bullington(const DeltaBullingtonInput& in);

// One knife edge: geometry of an edge at distance d1 from the transmitter and d2 from the receiver, at
// height h_edge_m above the straight line between the antenna tips (negative below). P.526-16 eq. (22).
double fresnel_v(double h_edge_m, double d1_m, double d2_m, double lambda_m);

// Single dominant knife edge over a uniform profile: the point with the largest v (earth curvature with
// effective radius ae_m), loss J(v) with the exact formula for v > -0.78 (the validity of eq. (31)), never below 0 dB,
// and 0 dB below, so a clear path never comes out below free space. h_tx_m / h_rx_m above local ground.
struct KnifeEdgeResult {
    double loss_db = 0.0;
    double v = 0.0;
    std::size_t edge_index = 0;  // 0 when the profile has no intermediate point
};
KnifeEdgeResult single_knife_edge(ProfileView profile, double h_tx_m, double h_rx_m, double f_mhz, double ae_m);

// Deygout construction over a uniform profile (P.526-16 §4.5.2): principal edge, then the secondary edges on
// each side, at most three edges in all: L = J(vp) + T [J(vt) + J(vr) + C], T = 1 - exp(-J(vp)/6),
// C = 8 + 0.04 d_km, with J(v) from eq. (31); L = 0 when vp <= -0.78. h_tx_m / h_rx_m above local ground.
struct DeygoutResult {
    double loss_db = 0.0;
    double v_principal = 0.0;
    double v_tx_side = 0.0;  // secondary edge between Tx and the principal edge (or -inf when none)
    double v_rx_side = 0.0;
    int n_edges = 0;  // edges with v > -0.78
};
DeygoutResult deygout(ProfileView profile, double h_tx_m, double h_rx_m, double f_mhz, double ae_m);

// Bullington loss over a uniform ProfileView (effective earth radius ae_m), antenna heights above local ground.
double bullington_profile_db(ProfileView profile, double h_tx_m, double h_rx_m, double f_mhz, double ae_m);

}  // namespace dxplan::prop::p526
