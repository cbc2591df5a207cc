// dxplan coverage (internal): terrain heights along a line from the site, for the per-pixel and radial loops.
//
// The line from p0 to p1 is the quadratic through p0, pm and p1 in grid coordinates (pm = the point halfway in
// ground distance, from SiteFrame::at), so the n + 1 samples are equally spaced along the ground to within a
// cubic remainder (< 0.1 m at 20 km) without a geodesic computation per sample. Heights are bilinear between
// the four surrounding DEM samples, as Terrain::height_m() computes them, without its per-call checks.
#pragma once

#include <string>

#include "libsim/core/error.hpp"
#include "libsim/terrain/terrain.hpp"

namespace dxplan::coverage {

// out[j] = the bilinear height at row(t), col(t) of the row-major `dem` (rows x cols, >= 2 x 2), t = j / n,
// j = 0..j_last, where row(t) = q[0] + t (q[1] + t q[2]) and col(t) = q[3] + t (q[4] + t q[5]) stay within the grid
// but for a rounding slack (clamped). Computed in single precision (q rounded to float; see dem_line.cpp) and
// vectorised.
void sample_quadratic(const float* dem, int rows, int cols, const double* q, int n, int j_last, double* out);

class DemSampler {
public:
    explicit DemSampler(const GeoGrid& grid) : g_(grid) {
        if (static_cast<double>(grid.rows) * grid.cols >= 2147483647.0)  // sample_quadratic indexes with int
            throw InputError("coverage: terrain grid of " + std::to_string(grid.rows) + " x " +
                             std::to_string(grid.cols) + " samples is too large (at most 2^31 - 1)");
    }

    [[nodiscard]] bool contains(LatLon p) const { return inside(row(p.lat_deg), col(p.lon_deg)); }
    // The bilinear height at p (inside the DEM, see contains()).
    [[nodiscard]] double height_m(LatLon p) const {
        const double k[6] = {row(p.lat_deg), 0.0, 0.0, col(p.lon_deg), 0.0, 0.0};
        double z_m = 0.0;
        sample_quadratic(g_.values.data(), g_.rows, g_.cols, k, 1, 0, &z_m);
        return z_m;
    }

    // Fills out[0..n] along the line; false (out unspecified) if any sample is outside the DEM.
    bool line(LatLon p0, LatLon pm, LatLon p1, int n, double* out) const {
        Quad q(*this, p0, pm, p1);
        if (!inside(q.r0, q.c0) || !inside(q.rm, q.cm) || !inside(q.r1, q.c1)) return false;
        sample_quadratic(g_.values.data(), g_.rows, g_.cols, q.k, n, n, out);
        return true;
    }

    // Fills out[0..k] along the line of n intervals until the first sample outside the DEM; returns k, the last
    // sample inside (-1 if p0 is outside).
    int line_until_outside(LatLon p0, LatLon pm, LatLon p1, int n, double* out) const {
        Quad q(*this, p0, pm, p1);
        int k = n;
        if (!inside(q.r0, q.c0) || !inside(q.rm, q.cm) || !inside(q.r1, q.c1)) {  // find the first sample outside
            for (int j = 0; j <= n; ++j) {
                double r = 0.0, c = 0.0;
                q.coords(static_cast<double>(j) / n, r, c);
                if (!inside(r, c)) {
                    k = j - 1;
                    break;
                }
            }
        }
        if (k >= 0) sample_quadratic(g_.values.data(), g_.rows, g_.cols, q.k, n, k, out);
        return k;
    }

private:
    static constexpr double kSlack = 1e-6;  // grid units

    struct Quad {  // Lagrange quadratic through t = 0, 1/2, 1 in (row, col)
        double r0, c0, rm, cm, r1, c1;
        double k[6];  // row(t) = k[0] + t (k[1] + t k[2]), col(t) = k[3] + t (k[4] + t k[5])
        Quad(const DemSampler& s, LatLon p0, LatLon pm, LatLon p1)
            : r0(s.row(p0.lat_deg)), c0(s.col(p0.lon_deg)), rm(s.row(pm.lat_deg)), cm(s.col(pm.lon_deg)),
              r1(s.row(p1.lat_deg)), c1(s.col(p1.lon_deg)),
              k{r0, 4 * rm - 3 * r0 - r1, 2 * r0 + 2 * r1 - 4 * rm, c0, 4 * cm - 3 * c0 - c1, 2 * c0 + 2 * c1 - 4 * cm} {}
        void coords(double t, double& r, double& c) const {
            r = k[0] + t * (k[1] + t * k[2]);
            c = k[3] + t * (k[4] + t * k[5]);
        }
    };

    [[nodiscard]] double row(double lat_deg) const { return (g_.north_deg - lat_deg) / g_.dlat_deg; }
    [[nodiscard]] double col(double lon_deg) const { return (lon_deg - g_.west_deg) / g_.dlon_deg; }
    [[nodiscard]] bool inside(double r, double c) const {
        return r >= -kSlack && c >= -kSlack && r <= g_.rows - 1 + kSlack && c <= g_.cols - 1 + kSlack;
    }

    const GeoGrid& g_;
};

}  // namespace dxplan::coverage
