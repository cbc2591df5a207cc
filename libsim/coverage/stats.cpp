#include "libsim/coverage/stats.hpp"

#include <algorithm>
#include <cmath>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"

namespace dxplan::coverage {

double pixel_area_km2(const GeoGrid& grid, int row) {
    const double lat_deg = grid.north_deg - row * grid.dlat_deg;
    double ky = 0.0, kx = 0.0;
    SiteFrame({lat_deg, 0.0}).metres_per_rad(lat_deg, ky, kx);
    return ky * deg_to_rad(grid.dlat_deg) * kx * deg_to_rad(grid.dlon_deg) * 1e-6;
}

std::vector<TechnologyStats> coverage_statistics(const CoverageMaps& maps, const MultiSiteSpec& spec,
                                                 std::span<const DemandPoint> demand,
                                                 std::span<const std::uint8_t> aoi_mask) {
    const GeoGrid& g = spec.grid;
    const std::size_t n_px = static_cast<std::size_t>(g.rows) * g.cols;
    if (!aoi_mask.empty() && aoi_mask.size() != n_px)
        throw InputError("coverage statistics: the AOI mask has " + std::to_string(aoi_mask.size()) +
                         " pixels, the grid " + std::to_string(n_px));
    const auto inside = [&](std::size_t i) { return aoi_mask.empty() || aoi_mask[i] != 0; };
    std::vector<TechnologyStats> out;
    for (std::size_t t = 0; t < maps.technologies.size(); ++t) {
        const TechnologyMaps& m = maps.technologies[t];
        TechnologyStats st;
        st.technology = m.technology;
        std::vector<int> slot(spec.sites.size(), -1);  // site index -> st.sites index
        for (std::size_t s = 0; s < spec.sites.size(); ++s) {
            if (spec.sites[s].technology != static_cast<int>(t)) continue;
            slot[s] = static_cast<int>(st.sites.size());
            st.sites.push_back({spec.sites[s].id, 0.0, 0.0, 0, 0});
        }
        // Row sums in a fixed order: the result does not depend on threads (this loop is serial).
        for (int r = 0; r < g.rows; ++r) {
            const double a_km2 = pixel_area_km2(g, r);
            double row_aoi = 0.0, row_cov = 0.0;
            for (int c = 0; c < g.cols; ++c) {
                const std::size_t i = static_cast<std::size_t>(r) * g.cols + c;
                if (!inside(i)) continue;
                row_aoi += a_km2;
                const bool cov = m.covered(i);
                if (cov) row_cov += a_km2;
                if (m.best_server[i] != kNone) {
                    SiteStats& ss = st.sites[static_cast<std::size_t>(slot[static_cast<std::size_t>(m.best_server[i])])];
                    ss.best_server_km2 += a_km2;
                    if (cov) ss.covered_km2 += a_km2;
                }
            }
            st.aoi_km2 += row_aoi;
            st.covered_km2 += row_cov;
        }
        st.covered_share = st.aoi_km2 > 0.0 ? st.covered_km2 / st.aoi_km2 : 0.0;
        for (const DemandPoint& p : demand) {
            const int r = static_cast<int>(std::lround((g.north_deg - p.pos.lat_deg) / g.dlat_deg));
            const int c = static_cast<int>(std::lround((p.pos.lon_deg - g.west_deg) / g.dlon_deg));
            if (r < 0 || c < 0 || r >= g.rows || c >= g.cols) continue;
            const std::size_t i = static_cast<std::size_t>(r) * g.cols + c;
            if (!inside(i)) continue;
            auto it = std::find_if(st.demand.begin(), st.demand.end(), [&](const DemandCount& d) { return d.kind == p.kind; });
            if (it == st.demand.end()) it = st.demand.insert(st.demand.end(), DemandCount{p.kind, 0, 0});
            ++it->total;
            if (m.best_server[i] != kNone)
                ++st.sites[static_cast<std::size_t>(slot[static_cast<std::size_t>(m.best_server[i])])].demand_best_server;
            if (m.covered(i)) {
                ++it->covered;
                ++st.sites[static_cast<std::size_t>(slot[static_cast<std::size_t>(m.best_server[i])])].demand_covered;
            }
        }
        out.push_back(std::move(st));
    }
    return out;
}

}  // namespace dxplan::coverage
