// Path-profile analysis shared by ITU-R P.1812-7 (Attachment 1 to Annex 1, §§4-5) and ITU-R P.452-18
// (Attachment 2 to Annex 1, §§4-5): radio-climatic zone fractions, beta0, effective earth radii, smooth-earth
// heights, horizon angles and distances, effective heights for the ducting model, and the path-centre latitude
// (P.2001-4 Attachment H). The inverse cumulative normal I(x) is in normal.hpp.
//
// Equation numbers are those of P.1812-7 (as logged by the ITU-R WP 3K reference implementation); the same
// quantities in P.452-18 carry the numbers in brackets where they differ.
//
// Conventions: profile point i has distance d_km[i] from the transmitter (d_km[0] = 0, non-uniform spacing
// allowed) and terrain height h_m[i] amsl; terminal antenna heights h_ts_m / h_rs_m are amsl.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "libsim/core/profile.hpp"

namespace dxplan::prop::itur {

// Radio-climatic zones (P.1812-7 Table 1, P.452-18 Table 3), with the codes of the ITU-R reference data.
enum class Zone : std::uint8_t { sea = 1, coastal_land = 3, inland = 4 };

// Distances (km) of the points of a uniform profile from its first point: the d_km array the methods take.
std::vector<double> distances_km(ProfileView profile);

// Median effective earth radius ae (km) from the refractivity lapse rate dN (N-units/km): eqs (6), (7a).
double median_earth_radius_km(double delta_n);
// Effective earth radius exceeded for beta0 % of time, k_beta = 3: eq. (7b).
inline constexpr double kEarthRadiusBeta_km = 6371.0 * 3.0;

// Fraction of the path length in zone `z` (omega for z = sea, eq. (1) / Table 5): each run of consecutive
// points in the zone counts from half-way to the previous point to half-way to the next point.
double zone_fraction(std::span<const double> d_km, std::span<const Zone> zones, Zone z);

// Longest continuous section (km) of land (coastal + inland; dtm, §3.6) or, with inland_only, of inland
// zone (dlm), with the same half-interval rule.
double longest_continuous_km(std::span<const double> d_km, std::span<const Zone> zones, bool inland_only);

// Time percentage beta0 (%) for which refractivity lapse rates exceed 100 N-units/km in the first 100 m:
// eqs (2)-(5), path-centre latitude phi_deg, dtm_km and dlm_km from longest_continuous_km().
double beta0_pct(double phi_deg, double dtm_km, double dlm_km);

// Latitude (deg) of the point at distance dpnt_km from the transmitter along the great circle
// (P.2001-4 Attachment H.2-H.3, mean earth radius 6371 km).
double great_circle_point_lat_deg(double lat_t_deg, double lon_t_deg, double lat_r_deg, double lon_r_deg,
                                  double dpnt_km);

// Smooth-earth surface and the heights derived from it (§5.6 of P.1812-7 Attachment 1; §5.1.6 of P.452-18).
struct SmoothEarth {
    double hst_raw_m = 0.0;  // eq. (85) [P.452: (90)] least-squares smooth surface at Tx, amsl
    double hsr_raw_m = 0.0;  // eq. (86) at Rx
    double hstd_m = 0.0;     // eq. (89): Tx smooth-earth height for the diffraction model
    double hsrd_m = 0.0;     // eq. (89): Rx
};
SmoothEarth smooth_earth(std::span<const double> d_km, std::span<const double> h_m, double h_ts_m, double h_rs_m);

// Horizon analysis (§5.3 of Attachment 1 / P.452-18 §5.1.1-5.1.3), with the median effective radius ae_km.
// For a line-of-sight path the horizon distances are those of the point with the largest diffraction
// parameter nu (eq. (81) / P.452: (162)), computed with wavelength lambda_m.
struct Horizons {
    bool transhorizon = false;
    double theta_t_mrad = 0.0;  // eqs (76)-(78)
    double theta_r_mrad = 0.0;  // eqs (79)-(81)
    double theta_mrad = 0.0;    // eq. (82): path angular distance
    double dlt_km = 0.0;        // eq. (78)
    double dlr_km = 0.0;        // eq. (81a)
    std::size_t lt = 0;         // profile index of the Tx horizon
    std::size_t lr = 0;         // profile index of the Rx horizon
};
Horizons horizons(std::span<const double> d_km, std::span<const double> h_m, double h_ts_m, double h_rs_m,
                  double ae_km, double lambda_m);

// Effective heights for the ducting/layer-reflection model and the terrain roughness (§5.6.3).
struct DuctingHeights {
    double hst_m = 0.0;  // eq. (90a): min(hst_raw, h[0])
    double hsr_m = 0.0;  // eq. (90b)
    double hte_m = 0.0;  // eq. (92a)
    double hre_m = 0.0;  // eq. (92b)
    double hm_m = 0.0;   // eq. (93): terrain roughness between the horizons
};
DuctingHeights ducting_heights(std::span<const double> d_km, std::span<const double> h_m, double h_tg_m,
                               double h_rg_m, const SmoothEarth& se, const Horizons& hz);

// Basic transmission loss during anomalous propagation (ducting / layer reflection) without gaseous absorption,
// Lba = Af + Adp(p): P.1812-7 §4.5 eqs (46)-(56), the same equations as P.452-18 §4.4 eqs (46)-(56) (P.452 adds
// Ag over the path). Distances km, heights m amsl (hte/hre effective, hm terrain roughness), angles mrad,
// dct/dcr the distances from the terminals to the coast, omega the fraction of the path over water, ae_km the
// median effective earth radius, beta0_pct and p_pct in %.
struct AnomalousInput {
    double d_km, dlt_km, dlr_km, dct_km, dcr_km, dlm_km, hts_m, hrs_m, hte_m, hre_m, hm_m;
    double theta_t_mrad, theta_r_mrad, f_ghz, p_pct, omega, ae_km, beta0_pct;
};
double anomalous_db(const AnomalousInput& a);

}  // namespace dxplan::prop::itur
