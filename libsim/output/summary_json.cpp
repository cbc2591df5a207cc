// summary.json writer (schema: scenarios/README.md, "Outputs").
#include <algorithm>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "libsim/core/atomic_file.hpp"
#include "libsim/output/report_measure.hpp"
#include "libsim/output/results.hpp"
#include "libsim/core/version.hpp"

namespace dxplan::output {

namespace {

using nlohmann::ordered_json;

// Rounded (0.001 for metres and dB, 1e-7 deg for coordinates, about 1 cm) so that the file reads well;
// NaN becomes null.
ordered_json num(double v, double scale = 1000.0) {
    if (!std::isfinite(v)) return nullptr;
    return std::round(v * scale) / scale;
}

ordered_json deg(double v) { return num(v, 1e7); }

ordered_json point(const LatLon& p) { return {{"lat_deg", deg(p.lat_deg)}, {"lon_deg", deg(p.lon_deg)}}; }

double median_of(std::vector<double> v) {
    if (v.empty()) return std::nan("");
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

}  // namespace

LossStats loss_stats(const GeoGrid& loss_db) {
    std::vector<double> v;
    v.reserve(loss_db.values.size());
    for (float x : loss_db.values)
        if (std::isfinite(x)) v.push_back(x);
    LossStats s;
    s.cells = v.size();
    if (v.empty()) return s;
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    s.min_db = *lo;
    s.max_db = *hi;
    s.median_db = median_of(std::move(v));
    return s;
}

void write_summary_json(const std::filesystem::path& file, const RunResults& r) {
    ordered_json j;
    j["dxplan_version"] = std::string(kVersion);
    j["scenario"] = {{"name", r.scenario_name}, {"file", r.scenario_file}, {"technologies", r.technologies}};
    j["propagation"] = {{"model", r.model},           {"f_mhz", num(r.f_mhz)},
                        {"h_rx_m", num(r.h_rx_m)},    {"resolution_m", num(r.resolution_m)},
                        {"radius_m", num(r.radius_m)}};
    const auto& t = r.terrain;
    j["terrain"] = {{"source", t.source},
                    {"rows", t.rows},
                    {"cols", t.cols},
                    {"bounds", {{"south_deg", deg(t.bounds.south_deg)}, {"west_deg", deg(t.bounds.west_deg)},
                                {"north_deg", deg(t.bounds.north_deg)}, {"east_deg", deg(t.bounds.east_deg)}}},
                    {"native_spacing_m", num(t.native_spacing_m)},
                    {"void_cells", t.void_cells},
                    {"large_void_regions", t.large_void_regions}};
    ordered_json lc = ordered_json::object();
    for (const auto& s : r.land_cover) lc[s.category] = num(s.share);
    j["land_cover"] = {{"source", r.land_cover_source}, {"share", lc}};

    // Demand per kind: how many points, how many within some site's radius, and the median best loss.
    ordered_json demand = ordered_json::object();
    for (const DemandKind kind : kDemandKinds) {
        std::size_t count = 0;
        std::vector<double> best;
        for (std::size_t i = 0; i < r.demand.size(); ++i) {
            if (r.demand[i].kind != kind) continue;
            ++count;
            double b = INFINITY;
            for (const auto& s : r.sites)
                if (std::isfinite(s.demand_loss_db[i])) b = std::min(b, static_cast<double>(s.demand_loss_db[i]));
            if (std::isfinite(b)) best.push_back(b);
        }
        demand[std::string(to_string(kind))] = {{"count", count}, {"within_radius", best.size()}, {"median_best_loss_db", num(median_of(best))}};
    }
    j["demand"] = demand;

    ordered_json pops = ordered_json::array();
    for (const auto& p : r.fibre_pops) {
        ordered_json o = {{"id", p.id}};
        o.update(point(p.pos));
        pops.push_back(std::move(o));
    }
    j["fibre_pops"] = pops;

    ordered_json sites = ordered_json::array();
    for (const auto& s : r.sites) {
        std::size_t within = 0;
        for (float x : s.demand_loss_db) within += std::isfinite(x) ? 1 : 0;
        ordered_json o = {{"id", s.id}};
        o.update(point(s.pos));
        o["ground_m"] = num(s.ground_m);
        o["mast_height_m"] = num(s.mast_height_m);
        o["technology"] = s.technology ? ordered_json(*s.technology) : ordered_json(nullptr);
        o["origin"] = s.origin;
        o["cells"] = s.stats.cells;
        o["loss_db"] = {{"min", num(s.stats.min_db)}, {"median", num(s.stats.median_db)}, {"max", num(s.stats.max_db)}};
        o["demand_within_radius"] = within;
        o["geotiff"] = s.geotiff.empty() ? ordered_json(nullptr) : ordered_json(s.geotiff);
        sites.push_back(std::move(o));
    }
    j["sites"] = sites;

    // Service maps per planned technology (ServiceMaps): files, area and the cells' shares.
    if (!r.service_maps.empty()) {
        ordered_json maps = ordered_json::array();
        for (const auto& sm : r.service_maps) {
            const GeoGrid& g = sm.maps.rx_power_dbm;
            ordered_json cells = ordered_json::array();
            for (const auto& c : sm.stats.sites)
                cells.push_back({{"id", c.id},
                                 {"best_server_km2", num(c.best_server_km2)},
                                 {"covered_km2", num(c.covered_km2)},
                                 {"demand_best_server", c.demand_best_server},
                                 {"demand_covered", c.demand_covered}});
            maps.push_back({{"label", sm.label},
                            {"rx_power", sm.maps.rsrp ? "rsrp" : "rssi"},
                            {"rows", g.rows},
                            {"cols", g.cols},
                            {"bounds", {{"south_deg", deg(g.bounds().south_deg)}, {"west_deg", deg(g.bounds().west_deg)},
                                        {"north_deg", deg(g.bounds().north_deg)}, {"east_deg", deg(g.bounds().east_deg)}}},
                            {"area_km2", num(sm.stats.aoi_km2)},
                            {"covered_km2", num(sm.stats.covered_km2)},
                            {"covered_share", num(sm.stats.covered_share)},
                            {"files", sm.files},
                            {"cells", cells}});
        }
        j["service_maps"] = maps;
    }
    j["warnings"] = r.warnings;
    if (!r.comparison_json.empty()) j.update(ordered_json::parse(r.comparison_json));
    if (r.measure) j.update(ordered_json::parse(measure_sections_json(*r.measure)));  // report_measure.hpp
    if (!r.routes_json.empty()) {  // docs/summary-schema.md `routes`
        j["routes"] = ordered_json::array();
        for (const std::string& route : r.routes_json) j["routes"].push_back(ordered_json::parse(route));
    }
    write_text_atomically(file, j.dump(2) + "\n");
}

}  // namespace dxplan::output
