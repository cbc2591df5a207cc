// Automatic candidate sites (see auto_candidates.hpp).
#include "libsim/scenario/auto_candidates.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "libsim/geo/geo.hpp"
#include "libsim/network/candidate_graph.hpp"

namespace dxplan {

std::vector<LatLon> built_up_cluster_sites(const LandCover& lc, const GeoBox& area, int max_count) {
    const GeoGrid& g = lc.layout();
    std::vector<bool> built(256, false);
    for (const auto& c : lc.table().classes())
        built[static_cast<std::size_t>(c.class_id)] =
            c.category == ClutterCategory::urban || c.category == ClutterCategory::suburban;
    auto lat = [&](int r) { return g.north_deg - r * g.dlat_deg; };
    auto lon = [&](int c) { return g.west_deg + c * g.dlon_deg; };
    auto wanted = [&](int r, int c) -> bool {
        if (r < 0 || c < 0 || r >= g.rows || c >= g.cols) return false;
        const LatLon p{lat(r), lon(c)};
        if (p.lat_deg < area.south_deg || p.lat_deg > area.north_deg || p.lon_deg < area.west_deg ||
            p.lon_deg > area.east_deg)
            return false;
        return built[lc.classes()[static_cast<std::size_t>(r) * g.cols + c]];
    };
    struct Cluster { std::vector<std::size_t> cells; };
    std::vector<Cluster> clusters;
    std::vector<std::uint8_t> seen(static_cast<std::size_t>(g.rows) * g.cols, 0);
    std::vector<std::size_t> stack;
    for (int r0 = 0; r0 < g.rows; ++r0)
        for (int c0 = 0; c0 < g.cols; ++c0) {
            const std::size_t i0 = static_cast<std::size_t>(r0) * g.cols + c0;
            if (seen[i0] || !wanted(r0, c0)) continue;
            Cluster cl;
            seen[i0] = 1;
            stack.assign(1, i0);
            while (!stack.empty()) {  // flood fill, 8-connected
                const std::size_t i = stack.back();
                stack.pop_back();
                cl.cells.push_back(i);
                const int r = static_cast<int>(i / g.cols), c = static_cast<int>(i % g.cols);
                for (int dr = -1; dr <= 1; ++dr)
                    for (int dc = -1; dc <= 1; ++dc) {
                        if (!wanted(r + dr, c + dc)) continue;
                        const std::size_t j = static_cast<std::size_t>(r + dr) * g.cols + (c + dc);
                        if (!seen[j]) seen[j] = 1, stack.push_back(j);
                    }
            }
            clusters.push_back(std::move(cl));
        }
    // Largest first; stable keeps the row-major order of the first cells for equal sizes.
    std::stable_sort(clusters.begin(), clusters.end(),
                     [](const Cluster& a, const Cluster& b) { return a.cells.size() > b.cells.size(); });
    std::vector<LatLon> out;
    for (const auto& cl : clusters) {
        if (static_cast<int>(out.size()) >= max_count) break;
        double sum_r = 0.0, sum_c = 0.0;
        for (std::size_t i : cl.cells) sum_r += static_cast<double>(i / g.cols), sum_c += static_cast<double>(i % g.cols);
        const double cr = sum_r / cl.cells.size(), cc = sum_c / cl.cells.size();
        std::size_t best = cl.cells.front();
        double best_d2 = 1e300;
        for (std::size_t i : cl.cells) {  // the member cell nearest the centroid (grid units; first wins ties)
            const double dr = static_cast<double>(i / g.cols) - cr, dc = static_cast<double>(i % g.cols) - cc;
            if (dr * dr + dc * dc < best_d2) best_d2 = dr * dr + dc * dc, best = i;
        }
        out.push_back({lat(static_cast<int>(best / g.cols)), lon(static_cast<int>(best % g.cols))});
    }
    return out;
}

std::vector<SiteSpec> auto_candidate_sites(const Scenario& s, const World& w) {
    const AutoCandidatesSpec& a = s.auto_candidates;
    std::vector<SiteSpec> out;
    if (!a.any()) return out;
    const GeoBox area = s.area_of_interest.value_or(w.terrain.grid().centres());
    auto near_listed = [&](const LatLon& p) {
        const auto near = [&](const SiteSpec& q) { return geodesic_inverse(p, q.pos).d_m < kDuplicateRadiusM; };
        return std::any_of(s.sites.begin(), s.sites.end(), near) || std::any_of(out.begin(), out.end(), near);
    };
    auto add = [&](const LatLon& p, const char* origin, int n) {
        SiteSpec site;
        site.id = std::string(origin) + "-" + std::to_string(n);
        // an id a listed site already has gets a suffix (ids name the GeoTIFFs and the report's sites)
        const auto taken = [&](const std::string& id) {
            const auto same = [&](const SiteSpec& q) { return q.id == id; };
            return std::any_of(s.sites.begin(), s.sites.end(), same) || std::any_of(out.begin(), out.end(), same);
        };
        for (int k = 2; taken(site.id); ++k) site.id = std::string(origin) + "-" + std::to_string(n) + "-" + std::to_string(k);
        site.pos = p;
        site.mast_height_m = a.mast_height_m;
        site.where = a.where;
        site.origin = origin;
        out.push_back(std::move(site));
    };
    if (a.hilltops > 0) {
        net::RelayOptions ro;
        ro.max_count = a.hilltops;
        ro.min_separation_m = a.min_separation_m;
        ro.mast_height_m = a.mast_height_m;
        int n = 0;
        for (const auto& node : net::find_relay_candidates(w.terrain, area, ro))
            if (!near_listed({node.lat_deg, node.lon_deg})) add({node.lat_deg, node.lon_deg}, "hilltop", ++n);
    }
    if (a.built_up > 0 && w.land_cover) {
        int n = 0;
        for (const auto& p : built_up_cluster_sites(*w.land_cover, area, a.built_up))
            if (!near_listed(p)) add(p, "built-up", ++n);  // inside the area, hence on the terrain (load_world)
    }
    return out;
}

}  // namespace dxplan
