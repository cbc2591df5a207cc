// dxplan geo layer: WGS84 geodesics, terrain profiles, earth curvature, Fresnel clearance.
// Geodesics come from GeographicLib (C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87, 43-55,
// 2013): round-off accurate, about 15 nm on WGS84, at any distance (GeographicLib's Geodesic.hpp).
// Everything here is a pure function, safe to call from any thread.
#pragma once

#include <vector>

#include "libsim/core/profile.hpp"
#include "libsim/terrain/terrain.hpp"

namespace dxplan {

inline constexpr double kEffectiveEarthFactorStandard = 4.0 / 3.0;  // median k, ITU-R P.453 / P.530

struct GeodesicInverse {
    double d_m = 0.0;      // ellipsoidal distance
    double az1_deg = 0.0;  // forward azimuth at the first point, clockwise from north, (-180, 180]
    double az2_deg = 0.0;  // forward azimuth at the second point
};

// Shortest geodesic between a and b on the WGS84 ellipsoid.
[[nodiscard]] GeodesicInverse geodesic_inverse(LatLon a, LatLon b);

// The point at distance d_m from `from` along azimuth az_deg (WGS84).
[[nodiscard]] LatLon geodesic_direct(LatLon from, double az_deg, double d_m);

// Ground heights at uniform spacing along the geodesic from `from` (index 0) to `to` (last index), bilinear
// in the terrain grid. spacing_m = 0 means the terrain's native spacing. The path is cut into
// n = ceil(d / spacing_m) equal steps, so the returned spacing (d / n) is at most the one asked; points
// coincide -> one sample, spacing 0. Sample positions lie on the geodesic to within 2 cm (they are
// interpolated linearly between exact geodesic nodes 1 km apart). Throws InputError when a sample is
// outside the terrain or spacing_m < 0.
[[nodiscard]] Profile extract_profile(const Terrain& terrain, LatLon from, LatLon to, double spacing_m = 0.0);

// Same, writing the heights into z_m (resized; no allocation when its capacity suffices, so a caller can
// reuse one buffer per thread across radials). Returns the spacing in metres.
double extract_profile_into(const Terrain& terrain, LatLon from, LatLon to, double spacing_m,
                            std::vector<double>& z_m);

// Height of the earth's bulge at a point d1_m from one end and d2_m from the other, for an effective
// earth radius k * a (a = 6371 km): d1 d2 / (2 k a).
[[nodiscard]] double earth_bulge_m(double d1_m, double d2_m, double k_factor = kEffectiveEarthFactorStandard);

// Radius of the first Fresnel zone at d1_m / d2_m from the ends: sqrt(lambda d1 d2 / (d1 + d2)).
[[nodiscard]] double fresnel_radius_m(double d1_m, double d2_m, double f_mhz);

// Line-of-sight clearance of a straight ray between two antennas over a profile with earth curvature.
struct Clearance {
    bool line_of_sight = true;       // min_clearance_m > 0 (no profile point touches the ray)
    double min_clearance_m = 0.0;    // smallest (ray height - bulged ground), interior points only
    double min_clearance_d_m = 0.0;  // where, from the first end
    double min_f1_fraction = 0.0;    // smallest clearance / F1 radius (0.6 is the usual design criterion)
    double min_f1_fraction_d_m = 0.0;  // where, from the first end
};

// h_a_m / h_b_m: antenna heights above ground at the profile's first / last point. A profile of fewer than
// 3 points has no interior point: clearance is then +infinity. Throws InputError for f_mhz <= 0, k <= 0.
[[nodiscard]] Clearance los_clearance(ProfileView profile, double h_a_m, double h_b_m, double f_mhz,
                                      double k_factor = kEffectiveEarthFactorStandard);

}  // namespace dxplan
