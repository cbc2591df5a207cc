// dxplan coverage: the receiver grid around a site and the site-centred geometry used to address it.
//
// A receiver grid is a north-up lat/lon raster (GeoGrid conventions of libsim/terrain/terrain.hpp: sample
// centres, row 0 at the north). With a resolution in arc-seconds the pixel centres sit on integer multiples of
// the resolution (so grids of several sites and the SRTM sample lattice line up); with a resolution in metres
// the spacing is converted to degrees at the site latitude and the grid is centred on the site.
//
// SiteFrame maps a point to (ground distance, azimuth) from the site and back with the ellipsoidal mid-latitude
// ("plane sailing") formulas: y = M(phi_m) dphi, x = N(phi_m) cos(phi_m) dlambda, with the WGS84 meridian and
// prime-vertical radii M and N at the mean latitude (Bowring's mid-latitude formula; Torge & Mueller,
// "Geodesy", 4th ed., sec. 6.2.4). Over coverage radii (<= 100 km) it departs from the geodesic distance by
// less than 1e-5 relative (0.2 m at 20 km), far below a DEM cell; it costs a few flops per pixel instead of
// an iterative geodesic inverse per pixel.
#pragma once

#include "libsim/terrain/terrain.hpp"

namespace dxplan::coverage {

// Exactly one of the two is > 0.
struct Resolution {
    double arcsec = 0.0;
    double m = 0.0;
};

class SiteFrame {
public:
    explicit SiteFrame(LatLon site);

    [[nodiscard]] LatLon site() const { return site_; }
    // Ground distance (m) and azimuth (rad, clockwise from north, in [0, 2 pi)) from the site.
    void to_polar(LatLon p, double& d_m, double& az_rad) const;
    // The point at azimuth az_rad and ground distance d_m from the site (inverse of to_polar to < 1 mm).
    [[nodiscard]] LatLon at(double az_rad, double d_m) const;
    // The point halfway along the geodesic from the site to p (p within a few hundred km): the midpoint of the
    // great circle on the auxiliary sphere of reduced latitudes (tan beta = (1 - f) tan phi; Bessel's auxiliary
    // sphere, Karney 2013 sec. 2), longitudes taken as they are; within a few cm of the ellipsoidal geodesic's
    // midpoint at 20 km (the longitude difference between the sphere and the ellipsoid grows linearly along the
    // path to first order, so it cancels at the midpoint).
    [[nodiscard]] LatLon midpoint(LatLon p) const;
    // The same with p's reduced latitude given (sin and cos of beta): for many points on one parallel.
    struct Reduced {
        double sin_beta = 0.0, cos_beta = 1.0;
    };
    [[nodiscard]] static Reduced reduced_latitude(double lat_deg);
    [[nodiscard]] LatLon midpoint(LatLon p, Reduced p_reduced) const;
    // Metres per radian of latitude (M) and of longitude (N cos phi) at the mean latitude with lat_deg.
    void metres_per_rad(double lat_deg, double& m_per_rad_lat, double& m_per_rad_lon) const;

private:
    LatLon site_;
    double phi0_rad_ = 0.0;
    Reduced site_reduced_;
};

// The receiver grid covering the disc of radius_m around the site (values empty). Throws InputError for a
// non-positive or non-finite radius or resolution, or a grid of more than 400 M pixels.
GeoGrid make_receiver_grid(LatLon site, double radius_m, const Resolution& resolution);

// Pixel size in metres at the grid's central row: {north-south, east-west}.
void pixel_size_m(const GeoGrid& grid, double& dy_m, double& dx_m);

}  // namespace dxplan::coverage
