#include "libsim/geo/geo.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"

namespace dxplan {

namespace {

// Exact geodesic nodes are this far apart; samples in between are interpolated linearly in lat/lon.
// A geodesic departs from the lat/lon chord by about L^2 / (8 R) * tan(lat) ~ 1.4 cm at L = 1 km, 35 deg N.
inline constexpr double kNodeSpacing_m = 1000.0;

const GeographicLib::Geodesic& wgs84() { return GeographicLib::Geodesic::WGS84(); }

// x moved onto [lo, hi] when it lies outside by at most `slack`; unchanged otherwise.
double snap_to_edge(double x, double lo, double hi, double slack) {
    if (x < lo && x >= lo - slack) return lo;
    if (x > hi && x <= hi + slack) return hi;
    return x;
}

}  // namespace

GeodesicInverse geodesic_inverse(LatLon a, LatLon b) {
    GeodesicInverse r;
    wgs84().Inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg, r.d_m, r.az1_deg, r.az2_deg);
    return r;
}

LatLon geodesic_direct(LatLon from, double az_deg, double d_m) {
    LatLon p;
    wgs84().Direct(from.lat_deg, from.lon_deg, az_deg, d_m, p.lat_deg, p.lon_deg);
    return p;
}

constexpr double kMaxProfileIntervals = 1e7;  // 80 MB of heights: far above any DEM's resolution over 1000 km

double extract_profile_into(const Terrain& terrain, LatLon from, LatLon to, double spacing_m,
                            std::vector<double>& z_m) {
    if (!(spacing_m >= 0)) throw InputError("profile: spacing_m = " + std::to_string(spacing_m) + ": must be >= 0");
    if (spacing_m == 0) spacing_m = terrain.native_spacing_m();
    using GeographicLib::Geodesic;
    const GeographicLib::GeodesicLine line = wgs84().InverseLine(
        from.lat_deg, from.lon_deg, to.lat_deg, to.lon_deg, Geodesic::LATITUDE | Geodesic::LONGITUDE | Geodesic::DISTANCE_IN);
    const double d_m = line.Distance();
    const double intervals = std::max(0.0, std::ceil(d_m / spacing_m - 1e-9));
    if (intervals > kMaxProfileIntervals) {  // estimated before the allocation (issue 15: --spacing-m 1e-6)
        char msg[200];
        std::snprintf(msg, sizeof msg, "profile: spacing_m = %g over %.0f m makes %.3g samples (%.3g GB); at most %.0f "
                      "samples: give a larger spacing (>= %.3g m)", spacing_m, d_m, intervals + 1, (intervals + 1) * 8e-9,
                      kMaxProfileIntervals, d_m / kMaxProfileIntervals);
        throw InputError(msg);
    }
    const auto n = static_cast<std::size_t>(intervals);
    if (n == 0) {  // coincident points
        z_m.assign(1, terrain.height_m(from));
        return 0.0;
    }
    const double step_m = d_m / static_cast<double>(n);
    z_m.resize(n + 1);
    const GeoGrid& g = terrain.grid();
    const GeoBox c = g.centres();
    // Exact nodes (longitude unrolled so interpolation never crosses +-180 the short way round).
    const auto nodes = static_cast<std::size_t>(std::ceil(d_m / kNodeSpacing_m));
    const double node_step_m = d_m / static_cast<double>(nodes);
    double lat0 = from.lat_deg, lon0 = from.lon_deg;
    double lat1 = lat0, lon1 = lon0;
    std::size_t node = 0;
    const auto position = [&](std::size_t k, double& lat, double& lon) {
        double t = 0;
        line.GenPosition(false, static_cast<double>(k) * node_step_m,
                         Geodesic::LATITUDE | Geodesic::LONGITUDE | Geodesic::LONG_UNROLL, lat, lon, t, t, t, t, t, t);
    };
    position(1, lat1, lon1);
    for (std::size_t i = 0; i <= n; ++i) {
        const double s_m = static_cast<double>(i) * step_m;
        while (s_m > static_cast<double>(node + 1) * node_step_m && node + 1 < nodes) {
            ++node;
            lat0 = lat1, lon0 = lon1;
            position(node + 1, lat1, lon1);
        }
        const double f = std::clamp(s_m / node_step_m - static_cast<double>(node), 0.0, 1.0);
        LatLon p{lat0 + f * (lat1 - lat0), lon0 + f * (lon1 - lon0)};
        if (p.lon_deg > 180) p.lon_deg -= 360;
        if (p.lon_deg < -180) p.lon_deg += 360;
        // A geodesic between two points near the grid's poleward edge bulges beyond it (about 12 m on a 30 km
        // east-west path at 35 N): samples within half a cell of the edge are taken at the edge.
        // Endpoints are taken as given (a point outside the terrain throws).
        if (i > 0 && i < n) {
            p.lat_deg = snap_to_edge(p.lat_deg, c.south_deg, c.north_deg, g.dlat_deg / 2);
            p.lon_deg = snap_to_edge(p.lon_deg, c.west_deg, c.east_deg, g.dlon_deg / 2);
        }
        z_m[i] = terrain.height_m(i == n ? to : p);
    }
    return step_m;
}

Profile extract_profile(const Terrain& terrain, LatLon from, LatLon to, double spacing_m) {
    Profile p;
    p.spacing_m = extract_profile_into(terrain, from, to, spacing_m, p.z_m);
    return p;
}

double earth_bulge_m(double d1_m, double d2_m, double k_factor) {
    return d1_m * d2_m / (2.0 * k_factor * kEarthRadiusMean_m);  // P.452-17 §4.2.1: a_e = 6371 k km; bulge d1 d2 / (2 a_e)
}

double fresnel_radius_m(double d1_m, double d2_m, double f_mhz) {
    return std::sqrt(wavelength_m(f_mhz) * d1_m * d2_m / (d1_m + d2_m));  // P.526-15 §3.1 eq. (2), n = 1
}

Clearance los_clearance(ProfileView profile, double h_a_m, double h_b_m, double f_mhz, double k_factor) {
    if (!(f_mhz > 0)) throw InputError("clearance: f_mhz = " + std::to_string(f_mhz) + ": must be > 0");
    if (!(k_factor > 0)) throw InputError("clearance: k_factor = " + std::to_string(k_factor) + ": must be > 0");
    Clearance c;
    c.min_clearance_m = std::numeric_limits<double>::infinity();
    c.min_f1_fraction = std::numeric_limits<double>::infinity();
    const std::size_t n = profile.size();
    if (n < 3) return c;
    const double d_m = profile.length_m();
    const double za_m = profile.z_m.front() + h_a_m;
    const double zb_m = profile.z_m.back() + h_b_m;
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double d1_m = static_cast<double>(i) * profile.spacing_m;
        const double d2_m = d_m - d1_m;
        const double ray_m = za_m + (zb_m - za_m) * d1_m / d_m;
        const double ground_m = profile.z_m[i] + earth_bulge_m(d1_m, d2_m, k_factor);
        const double clear_m = ray_m - ground_m;
        const double frac = clear_m / fresnel_radius_m(d1_m, d2_m, f_mhz);
        if (clear_m < c.min_clearance_m) c.min_clearance_m = clear_m, c.min_clearance_d_m = d1_m;
        if (frac < c.min_f1_fraction) c.min_f1_fraction = frac, c.min_f1_fraction_d_m = d1_m;
    }
    c.line_of_sight = c.min_clearance_m > 0;
    return c;
}

}  // namespace dxplan
