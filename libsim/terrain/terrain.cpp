// dxplan terrain: grid geometry, bilinear lookup, void filling. No GDAL here (see gdal_source.cpp).
#include "libsim/terrain/terrain.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "libsim/terrain/terrain_internal.hpp"

namespace dxplan {

namespace {

// WGS84 meridional radius of curvature M(lat) and prime-vertical radius N(lat).
double meridional_radius_m(double lat_deg) {
    const double e2 = kWgs84F * (2.0 - kWgs84F);
    const double s = std::sin(deg_to_rad(lat_deg));
    return kWgs84A_m * (1.0 - e2) / std::pow(1.0 - e2 * s * s, 1.5);
}
double prime_vertical_radius_m(double lat_deg) {
    const double e2 = kWgs84F * (2.0 - kWgs84F);
    const double s = std::sin(deg_to_rad(lat_deg));
    return kWgs84A_m / std::sqrt(1.0 - e2 * s * s);
}

using detail::describe;
using detail::kEdgeSlack_deg;

}  // namespace

GeoBox GeoGrid::bounds() const {
    const GeoBox c = centres();
    return {c.south_deg - dlat_deg / 2, c.west_deg - dlon_deg / 2, c.north_deg + dlat_deg / 2,
            c.east_deg + dlon_deg / 2};
}

GeoBox GeoGrid::centres() const {
    return {north_deg - (rows - 1) * dlat_deg, west_deg, north_deg, west_deg + (cols - 1) * dlon_deg};
}

GeoGrid GeoGrid::window(int row0, int col0, int rows_in, int cols_in) const {
    GeoGrid w;
    w.rows = rows_in;
    w.cols = cols_in;
    w.north_deg = north_deg - row0 * dlat_deg;
    w.west_deg = west_deg + col0 * dlon_deg;
    w.dlat_deg = dlat_deg;
    w.dlon_deg = dlon_deg;
    return w;
}

GeoBox expand_box(const GeoBox& box, double margin_m) {
    const double lat_far_deg = std::max(std::abs(box.south_deg), std::abs(box.north_deg));
    const double dlat_deg = rad_to_deg(margin_m / meridional_radius_m(lat_far_deg));
    const double dlon_deg =
        rad_to_deg(margin_m / (prime_vertical_radius_m(lat_far_deg) * std::cos(deg_to_rad(lat_far_deg))));
    return {std::max(-90.0, box.south_deg - dlat_deg), box.west_deg - dlon_deg,
            std::min(90.0, box.north_deg + dlat_deg), box.east_deg + dlon_deg};
}

Terrain::Terrain(GeoGrid heights, VoidReport voids, std::vector<std::string> sources)
    : grid_(std::move(heights)), voids_(voids), sources_(std::move(sources)) {
    if (grid_.rows < 2 || grid_.cols < 2 || grid_.dlat_deg <= 0 || grid_.dlon_deg <= 0 ||
        grid_.values.size() != static_cast<std::size_t>(grid_.rows) * grid_.cols) {
        throw InputError((sources_.empty() ? std::string("terrain") : sources_.front()) +
                         ": terrain grid must have at least 2 x 2 samples and positive spacing");
    }
}

bool Terrain::contains(LatLon p) const {
    const GeoBox c = grid_.centres();
    return p.lat_deg >= c.south_deg - kEdgeSlack_deg && p.lat_deg <= c.north_deg + kEdgeSlack_deg &&
           p.lon_deg >= c.west_deg - kEdgeSlack_deg && p.lon_deg <= c.east_deg + kEdgeSlack_deg;
}

double Terrain::height_m(LatLon p) const {
    if (!contains(p)) {
        std::ostringstream os;
        os.precision(8);
        os << "point " << p.lat_deg << "," << p.lon_deg << " is outside the terrain ("
           << (sources_.empty() ? std::string("grid") : sources_.front()) << " covers " << describe(grid_.centres())
           << ")";
        throw InputError(os.str());
    }
    // Bilinear interpolation between the four surrounding cell centres.
    const double fr = (grid_.north_deg - p.lat_deg) / grid_.dlat_deg;
    const double fc = (p.lon_deg - grid_.west_deg) / grid_.dlon_deg;
    const int r0 = std::clamp(static_cast<int>(std::floor(fr)), 0, grid_.rows - 2);
    const int c0 = std::clamp(static_cast<int>(std::floor(fc)), 0, grid_.cols - 2);
    const double tr = std::clamp(fr - r0, 0.0, 1.0);
    const double tc = std::clamp(fc - c0, 0.0, 1.0);
    const double z00 = grid_.at(r0, c0);
    const double z01 = grid_.at(r0, c0 + 1);
    const double z10 = grid_.at(r0 + 1, c0);
    const double z11 = grid_.at(r0 + 1, c0 + 1);
    return (1 - tr) * ((1 - tc) * z00 + tc * z01) + tr * ((1 - tc) * z10 + tc * z11);
}

double Terrain::native_spacing_m() const {
    const GeoBox c = grid_.centres();
    return deg_to_rad(grid_.dlat_deg) * meridional_radius_m((c.south_deg + c.north_deg) / 2);
}

VoidReport fill_voids(GeoGrid& grid, std::size_t max_fill_cells, const std::string& what) {
    const int rows = grid.rows;
    const int cols = grid.cols;
    const auto idx = [cols](int r, int c) { return static_cast<std::size_t>(r) * cols + c; };
    VoidReport report;

    // 1. Connected void regions (4-connectivity), sizes and extents.
    std::vector<std::uint8_t> seen(grid.values.size(), 0);
    std::vector<std::size_t> stack;
    int lr_min = rows, lr_max = -1, lc_min = cols, lc_max = -1;  // extent of large regions
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            if (!std::isnan(grid.values[idx(r, c)]) || seen[idx(r, c)]) continue;
            std::size_t cells = 0;
            int r_min = r, r_max = r, c_min = c, c_max = c;
            stack.assign(1, idx(r, c));
            seen[idx(r, c)] = 1;
            while (!stack.empty()) {
                const std::size_t i = stack.back();
                stack.pop_back();
                ++cells;
                const int rr = static_cast<int>(i / cols);
                const int cc = static_cast<int>(i % cols);
                r_min = std::min(r_min, rr), r_max = std::max(r_max, rr);
                c_min = std::min(c_min, cc), c_max = std::max(c_max, cc);
                const int nb[4][2] = {{rr - 1, cc}, {rr + 1, cc}, {rr, cc - 1}, {rr, cc + 1}};
                for (const auto& n : nb) {
                    if (n[0] < 0 || n[0] >= rows || n[1] < 0 || n[1] >= cols) continue;
                    const std::size_t j = idx(n[0], n[1]);
                    if (!seen[j] && std::isnan(grid.values[j])) {
                        seen[j] = 1;
                        stack.push_back(j);
                    }
                }
            }
            report.void_cells += cells;
            ++report.regions;
            if (cells > max_fill_cells) {
                ++report.large_regions;
                report.large_cells += cells;
                lr_min = std::min(lr_min, r_min), lr_max = std::max(lr_max, r_max);
                lc_min = std::min(lc_min, c_min), lc_max = std::max(lc_max, c_max);
            }
        }
    }
    if (report.void_cells == 0) return report;
    if (report.void_cells == grid.values.size()) throw InputError(what + ": the raster holds no valid height");
    if (report.large_regions > 0) {
        report.large_extent = GeoBox{grid.north_deg - lr_max * grid.dlat_deg - grid.dlat_deg / 2,
                                     grid.west_deg + lc_min * grid.dlon_deg - grid.dlon_deg / 2,
                                     grid.north_deg - lr_min * grid.dlat_deg + grid.dlat_deg / 2,
                                     grid.west_deg + lc_max * grid.dlon_deg + grid.dlon_deg / 2};
    }

    // 2. Inverse-distance-squared fill from the nearest valid sample along each of the 8 directions.
    // One sweep per direction finds, for every cell, the first valid sample looking that way (O(cells)).
    const double dy_m = deg_to_rad(grid.dlat_deg) * meridional_radius_m(grid.north_deg);
    std::vector<double> wsum(grid.values.size(), 0.0);
    std::vector<double> zsum(grid.values.size(), 0.0);
    std::vector<float> near_z(grid.values.size());
    std::vector<int> near_k(grid.values.size());
    const int dirs[8][2] = {{-1, -1}, {-1, 0}, {-1, 1}, {0, -1}, {0, 1}, {1, -1}, {1, 0}, {1, 1}};
    for (const auto& d : dirs) {
        const int dr = d[0];
        const int dc = d[1];
        // Visit (r + dr, c + dc) before (r, c).
        for (int ir = 0; ir < rows; ++ir) {
            const int r = dr > 0 ? rows - 1 - ir : ir;
            const double lat_deg = grid.north_deg - r * grid.dlat_deg;
            const double dx_m = deg_to_rad(grid.dlon_deg) * prime_vertical_radius_m(lat_deg) *
                                std::cos(deg_to_rad(lat_deg));
            const double step_m = std::hypot(dr * dy_m, dc * dx_m);
            for (int ic = 0; ic < cols; ++ic) {
                const int c = dc > 0 ? cols - 1 - ic : ic;
                const std::size_t i = idx(r, c);
                const int rn = r + dr;
                const int cn = c + dc;
                if (rn < 0 || rn >= rows || cn < 0 || cn >= cols) {
                    near_k[i] = 0;  // nothing that way
                } else if (const float zn = grid.values[idx(rn, cn)]; !std::isnan(zn)) {
                    near_z[i] = zn;
                    near_k[i] = 1;
                } else {
                    const std::size_t j = idx(rn, cn);
                    near_z[i] = near_z[j];
                    near_k[i] = near_k[j] == 0 ? 0 : near_k[j] + 1;
                }
                if (std::isnan(grid.values[i]) && near_k[i] > 0) {
                    const double dist_m = near_k[i] * step_m;
                    const double w = 1.0 / (dist_m * dist_m);
                    wsum[i] += w;
                    zsum[i] += w * near_z[i];
                }
            }
        }
    }
    for (std::size_t i = 0; i < grid.values.size(); ++i) {
        if (!std::isnan(grid.values[i])) continue;
        // Every void cell sees a valid sample in some direction unless the grid has none (checked above)
        // or the valid samples all lie off its 8 rays; then fall back to the nearest filled neighbour below.
        if (wsum[i] > 0) grid.values[i] = static_cast<float>(zsum[i] / wsum[i]);
    }
    // Cells off every ray (rare, far inside huge voids): repeat 8-neighbour averaging until none remain.
    for (bool again = true; again;) {
        again = false;
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < cols; ++c) {
                if (!std::isnan(grid.values[idx(r, c)])) continue;
                double s = 0;
                int n = 0;
                for (const auto& d : dirs) {
                    const int rn = r + d[0];
                    const int cn = c + d[1];
                    if (rn < 0 || rn >= rows || cn < 0 || cn >= cols) continue;
                    if (const float z = grid.values[idx(rn, cn)]; !std::isnan(z)) s += z, ++n;
                }
                if (n > 0) grid.values[idx(r, c)] = static_cast<float>(s / n);
                else again = true;
            }
        }
    }
    return report;
}

}  // namespace dxplan
