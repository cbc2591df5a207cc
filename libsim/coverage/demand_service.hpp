// dxplan coverage: service at demand points and the served area of a set of sites, for planners that choose
// among candidate sites (the `dxplan run` comparison stage). The per-pixel maps of multi_site.hpp answer the
// same questions on a raster; these work on the path loss already sampled at the demand points, so a site
// selection can try many subsets without re-running the maps.
//
// Per site and demand point (PointLink): received downlink power P = received_power_dbm(downlink budget, loss,
// best sector's pattern attenuation), its other sectors' power (they interfere), and the noise-limited planning
// margins over the most robust mode, downlink and uplink:
//   margin = P - N - fade margin - interference margin - min SNR of the most robust mode   (link.hpp budgets).
// Under a set of sites on one channel (serving): best server = the largest P (first on ties);
//   SINR = P_best - 10 log10(N + sum of every other cell's power) (mW sum), as multi_site.hpp;
//   planning SINR = SINR - fade margin - interference margin; served when planning SINR reaches the most robust
//   downlink mode and the best server's uplink margin is >= 0.
// Served area: the union of the sites' loss grids on one grid of their spacing, a pixel counted where some site
// closes both directions noise-limited, its area from pixel_area_km2 (stats.hpp: WGS84, mid-latitude radii).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "libsim/link/link.hpp"
#include "libsim/terrain/terrain.hpp"

namespace dxplan::coverage {

struct PointLink {
    double rx_dl_dbm = std::nan("");
    double rx_dl_mw = 0.0;            // the same in mW (0 when no path), for the interference sums
    double other_cells_mw = 0.0;      // the site's other sectors at the point (mW)
    double dl_margin_db = -INFINITY;  // noise only
    double ul_margin_db = -INFINITY;
};

// atten_db: each sector's pattern attenuation toward the point (empty: omni). A non-finite loss: no path.
PointLink point_link(const link::Budget& dl, const link::Budget& ul, double loss_db,
                     std::span<const double> atten_db = {});

[[nodiscard]] inline bool closes_noise_limited(const PointLink& p) {
    return p.dl_margin_db >= 0.0 && p.ul_margin_db >= 0.0;
}

struct Serving {
    std::size_t best = 0;            // index into `chosen`
    double sinr_db = -INFINITY;      // downlink SINR at the best server
    double planning_db = -INFINITY;  // SINR less the fade and interference margins
    double margin_db = -INFINITY;    // min(downlink over the most robust mode, uplink)
    bool served = false;
};

// links[site][point]; the chosen sites (indices into links) share one channel.
Serving serving(const std::vector<std::vector<PointLink>>& links, std::span<const std::size_t> chosen,
                std::size_t point, const link::Budget& dl);

struct ServedArea {
    double area_km2 = 0.0;
    GeoGrid rx_dbm;  // best-server downlink power where served (NaN elsewhere), on the sites' common grid
};

// Noise-limited served area of sites whose loss grids share one spacing (NaN: outside a site's radius).
ServedArea served_area(std::span<const GeoGrid* const> loss_db, const link::Budget& dl, const link::Budget& ul);

}  // namespace dxplan::coverage
