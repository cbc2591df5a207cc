#include "libsim/coverage/grid.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"

namespace dxplan::coverage {

namespace {

inline constexpr double kE2 = kWgs84F * (2.0 - kWgs84F);  // WGS84 first eccentricity squared
inline constexpr double kMaxPixels = 400e6;

// WGS84 meridian radius M and prime-vertical radius N at latitude phi (Torge & Mueller eqs. 6.43, 6.47).
void radii_m(double phi_rad, double& m_m, double& n_m) {
    const double s = std::sin(phi_rad);
    const double w2 = 1.0 - kE2 * s * s;
    n_m = kWgs84A_m / std::sqrt(w2);
    m_m = kWgs84A_m * (1.0 - kE2) / (w2 * std::sqrt(w2));
}

}  // namespace

SiteFrame::SiteFrame(LatLon site)
    : site_(site), phi0_rad_(deg_to_rad(site.lat_deg)), site_reduced_(reduced_latitude(site.lat_deg)) {}

void SiteFrame::metres_per_rad(double lat_deg, double& m_per_rad_lat, double& m_per_rad_lon) const {
    const double phi_m = 0.5 * (phi0_rad_ + deg_to_rad(lat_deg));  // mid-latitude
    double m_m = 0.0, n_m = 0.0;
    radii_m(phi_m, m_m, n_m);
    m_per_rad_lat = m_m;
    m_per_rad_lon = n_m * std::cos(phi_m);
}

void SiteFrame::to_polar(LatLon p, double& d_m, double& az_rad) const {
    double ky = 0.0, kx = 0.0;
    metres_per_rad(p.lat_deg, ky, kx);
    const double y_m = ky * deg_to_rad(p.lat_deg - site_.lat_deg);
    const double x_m = kx * deg_to_rad(p.lon_deg - site_.lon_deg);
    d_m = std::hypot(x_m, y_m);
    az_rad = std::atan2(x_m, y_m);
    if (az_rad < 0.0) az_rad += 2.0 * kPi;
}

LatLon SiteFrame::at(double az_rad, double d_m) const {
    const double y_m = d_m * std::cos(az_rad);
    const double x_m = d_m * std::sin(az_rad);
    double lat_deg = site_.lat_deg;
    double ky = 0.0, kx = 0.0;
    for (int it = 0; it < 3; ++it) {  // fixed point on the mid-latitude; converges to < 1e-12 rad in 3 steps
        metres_per_rad(lat_deg, ky, kx);
        lat_deg = site_.lat_deg + rad_to_deg(y_m / ky);
    }
    metres_per_rad(lat_deg, ky, kx);
    return {lat_deg, site_.lon_deg + rad_to_deg(x_m / kx)};
}

SiteFrame::Reduced SiteFrame::reduced_latitude(double lat_deg) {
    const double phi = deg_to_rad(lat_deg);
    const double b = std::atan2((1.0 - kWgs84F) * std::sin(phi), std::cos(phi));  // tan beta = (1 - f) tan phi
    return {std::sin(b), std::cos(b)};
}

LatLon SiteFrame::midpoint(LatLon p) const { return midpoint(p, reduced_latitude(p.lat_deg)); }

LatLon SiteFrame::midpoint(LatLon p, Reduced p_reduced) const {
    // Unit vectors of the two ends on the auxiliary sphere (longitude relative to the site); their sum points at
    // the great circle's midpoint.
    const double s1 = site_reduced_.sin_beta, c1 = site_reduced_.cos_beta;
    const double s2 = p_reduced.sin_beta, c2 = p_reduced.cos_beta;
    const double dl = deg_to_rad(p.lon_deg - site_.lon_deg);
    const double x = c1 + c2 * std::cos(dl), y = c2 * std::sin(dl), z = s1 + s2;
    const double h = std::sqrt(x * x + y * y);
    return {rad_to_deg(std::atan2(z, (1.0 - kWgs84F) * h)),  // back from reduced latitude: tan phi = tan beta / (1 - f)
            site_.lon_deg + rad_to_deg(std::atan2(y, x))};
}

GeoGrid make_receiver_grid(LatLon site, double radius_m, const Resolution& res) {
    if (!std::isfinite(radius_m) || radius_m <= 0.0)
        throw InputError("coverage radius = " + std::to_string(radius_m) + " m: must be > 0");
    const bool by_arcsec = res.arcsec > 0.0;
    if (by_arcsec == (res.m > 0.0) || !std::isfinite(res.arcsec) || !std::isfinite(res.m))
        throw InputError("coverage resolution: give exactly one of arc-seconds or metres, > 0");
    if (!std::isfinite(site.lat_deg) || std::abs(site.lat_deg) > 85.0)
        throw InputError("coverage site latitude = " + std::to_string(site.lat_deg) + ": must be in [-85, 85] deg");
    const SiteFrame frame(site);
    double ky = 0.0, kx = 0.0;
    frame.metres_per_rad(site.lat_deg, ky, kx);
    const double half_lat_deg = rad_to_deg(radius_m / ky);
    // The east-west half width is largest on the poleward edge of the disc.
    const double lat_far_deg = site.lat_deg + (site.lat_deg >= 0 ? half_lat_deg : -half_lat_deg);
    double ky_far = 0.0, kx_far = 0.0;
    frame.metres_per_rad(lat_far_deg, ky_far, kx_far);
    const double half_lon_deg = rad_to_deg(radius_m / std::min(kx, kx_far));

    GeoGrid g;
    if (by_arcsec) {
        // Pixel centres on integer multiples of the resolution.
        g.dlat_deg = g.dlon_deg = res.arcsec / 3600.0;
        const double i_north = std::floor((site.lat_deg + half_lat_deg) / g.dlat_deg);
        const double i_south = std::ceil((site.lat_deg - half_lat_deg) / g.dlat_deg);
        const double j_west = std::ceil((site.lon_deg - half_lon_deg) / g.dlon_deg);
        const double j_east = std::floor((site.lon_deg + half_lon_deg) / g.dlon_deg);
        const double rows = i_north - i_south + 1.0, cols = j_east - j_west + 1.0;
        if (!(rows >= 1.0 && cols >= 1.0)) {  // pixels larger than the disc: none of their centres falls inside
            char msg[200];
            std::snprintf(msg, sizeof msg, "coverage resolution %g\" is coarser than the %g m radius allows: no pixel "
                          "centre falls inside; give a finer one (%.3g\" or less always is)", res.arcsec, radius_m, 3600.0 * half_lat_deg);
            throw InputError(msg);
        }
        if (rows * cols > kMaxPixels)
            throw InputError("coverage grid of radius " + std::to_string(radius_m) + " m at " +
                             std::to_string(res.arcsec) + "\" has too many pixels (at most 400 M)");
        g.rows = static_cast<int>(rows);
        g.cols = static_cast<int>(cols);
        g.north_deg = i_north * res.arcsec / 3600.0;
        g.west_deg = j_west * res.arcsec / 3600.0;
    } else {
        g.dlat_deg = rad_to_deg(res.m / ky);
        g.dlon_deg = rad_to_deg(res.m / kx);
        const double half_rows = std::floor(half_lat_deg / g.dlat_deg);
        const double half_cols = std::floor(half_lon_deg / g.dlon_deg);
        if ((2 * half_rows + 1) * (2 * half_cols + 1) > kMaxPixels)
            throw InputError("coverage grid of radius " + std::to_string(radius_m) + " m at " +
                             std::to_string(res.m) + " m has too many pixels (at most 400 M)");
        g.rows = static_cast<int>(2 * half_rows + 1);
        g.cols = static_cast<int>(2 * half_cols + 1);
        g.north_deg = site.lat_deg + half_rows * g.dlat_deg;
        g.west_deg = site.lon_deg - half_cols * g.dlon_deg;
    }
    return g;
}

void pixel_size_m(const GeoGrid& grid, double& dy_m, double& dx_m) {
    const double lat_deg = grid.north_deg - 0.5 * (grid.rows - 1) * grid.dlat_deg;
    const SiteFrame frame({lat_deg, grid.west_deg});
    double ky = 0.0, kx = 0.0;
    frame.metres_per_rad(lat_deg, ky, kx);
    dy_m = ky * deg_to_rad(grid.dlat_deg);
    dx_m = kx * deg_to_rad(grid.dlon_deg);
}

}  // namespace dxplan::coverage
