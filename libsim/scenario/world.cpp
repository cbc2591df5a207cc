// The scenario's world: terrain, land cover, demand points (see world.hpp).
#include "libsim/scenario/world.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "libsim/core/error.hpp"
#include "libsim/core/units.hpp"
#include "libsim/coverage/stats.hpp"
#include "libsim/terrain/synthetic.hpp"

namespace dxplan {

namespace {

namespace fs = std::filesystem;

std::string describe(LatLon p) {
    std::ostringstream os;
    os.precision(8);
    os << "(" << p.lat_deg << ", " << p.lon_deg << ")";
    return os.str();
}

std::string describe(const GeoBox& b) {
    std::ostringstream os;
    os.precision(7);
    os << b.south_deg << ".." << b.north_deg << " N, " << b.west_deg << ".." << b.east_deg << " E";
    return os.str();
}

void check_inside(const Terrain& t, LatLon p, const std::string& where, const std::string& field) {
    if (!t.contains(p))
        throw InputError(where + ": " + field + " = " + describe(p) + ": outside the terrain (" +
                         describe(t.grid().centres()) + ")");
}

bool box_inside(const GeoBox& inner, const GeoBox& outer) {
    return inner.south_deg >= outer.south_deg && inner.north_deg <= outer.north_deg &&
           inner.west_deg >= outer.west_deg && inner.east_deg <= outer.east_deg;
}

ClutterTable clutter_table(const LandCoverSpec& spec) {
    return load_clutter_table(spec.mapping.empty() ? default_clutter_table_path() : spec.mapping);
}

// ---- demand from files ----

double parse_coord(const std::string& text, const std::string& where, const std::string& field, double limit) {
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || !(std::abs(v) <= limit))
        throw InputError(where + ": " + field + " = " + text + ": must be a number in [-" +
                         std::to_string(static_cast<int>(limit)) + ", " + std::to_string(static_cast<int>(limit)) + "] deg");
    return v;
}

std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    std::istringstream is(line);
    while (std::getline(is, cell, ',')) {
        const auto b = cell.find_first_not_of(" \t\r");
        const auto e = cell.find_last_not_of(" \t\r");
        out.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
    }
    return out;
}

void read_csv(const fs::path& file, const std::string& kind, std::vector<output::DemandPoint>& out) {
    std::ifstream in(file);
    if (!in) throw InputError(file.string() + ": cannot open");
    std::string line;
    int line_no = 0;
    int col_id = -1, col_lat = -1, col_lon = -1;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
        const auto cells = split_csv(line);
        const std::string where = file.string() + ":" + std::to_string(line_no);
        if (col_id < 0) {  // the header
            for (int i = 0; i < static_cast<int>(cells.size()); ++i) {
                if (cells[i] == "id") col_id = i;
                if (cells[i] == "lat_deg") col_lat = i;
                if (cells[i] == "lon_deg") col_lon = i;
            }
            if (col_id < 0 || col_lat < 0 || col_lon < 0)
                throw InputError(where + ": header must name the columns id, lat_deg and lon_deg");
            continue;
        }
        const int need = std::max({col_id, col_lat, col_lon});
        if (static_cast<int>(cells.size()) <= need)
            throw InputError(where + ": has " + std::to_string(cells.size()) + " columns, the header names " +
                             std::to_string(need + 1) + " or more");
        out.push_back({cells[col_id], kind,
                       {parse_coord(cells[col_lat], where, "lat_deg", 90.0), parse_coord(cells[col_lon], where, "lon_deg", 180.0)}});
    }
    if (col_id < 0) throw InputError(file.string() + ": empty demand file (needs a header id,lat_deg,lon_deg)");
}

void read_geojson(const fs::path& file, const std::string& kind, std::vector<output::DemandPoint>& out) {
    std::ifstream in(file);
    if (!in) throw InputError(file.string() + ": cannot open");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file.string() + ": not valid JSON: " + e.what());
    }
    if (!j.is_object() || j.value("type", "") != "FeatureCollection" || !j.contains("features") || !j["features"].is_array())
        throw InputError(file.string() + ": must be a GeoJSON FeatureCollection");
    std::size_t i = 0;
    for (const auto& f : j["features"]) {
        const std::string field = "features[" + std::to_string(i) + "]";
        const auto* g = f.is_object() && f.contains("geometry") ? &f["geometry"] : nullptr;
        if (!g || !g->is_object() || g->value("type", "") != "Point" || !g->contains("coordinates") ||
            !(*g)["coordinates"].is_array() || (*g)["coordinates"].size() < 2 || !(*g)["coordinates"][0].is_number() ||
            !(*g)["coordinates"][1].is_number())
            throw InputError(file.string() + ": " + field + ": must be a Point feature with [lon, lat] coordinates");
        const double lon = (*g)["coordinates"][0].get<double>();
        const double lat = (*g)["coordinates"][1].get<double>();
        if (std::abs(lat) > 90.0 || std::abs(lon) > 180.0)
            throw InputError(file.string() + ": " + field + ": coordinates outside [-180, 180] x [-90, 90] deg");
        std::string id = kind + "-" + std::to_string(i + 1);
        if (f.contains("properties") && f["properties"].is_object() && f["properties"].contains("id")) {
            const auto& v = f["properties"]["id"];
            id = v.is_string() ? v.get<std::string>() : v.dump();
        }
        out.push_back({id, kind, {lat, lon}});
        ++i;
    }
}

// ---- generated demand ----

// Poisson(lambda) by inversion of the CDF; lambda is small (a few per cell at most).
int poisson(double lambda, double u) {
    int k = 0;
    double p = std::exp(-lambda);
    double cdf = p;
    while (u > cdf && k < 10000) {
        ++k;
        p *= lambda / k;
        cdf += p;
    }
    return k;
}

double uniform(std::mt19937_64& gen) { return static_cast<double>(gen() >> 11) * 0x1.0p-53; }

void generate(const DemandSpec& d, std::size_t entry, const Scenario& s, const World& w,
              std::vector<output::DemandPoint>& out) {
    const LandCover& lc = *w.land_cover;
    const GeoGrid& g = lc.layout();
    const GeoBox area = s.area_of_interest.value_or(w.terrain.grid().centres());
    std::vector<bool> wanted(256, false);
    for (const auto& c : lc.table().classes())
        for (const auto& name : d.land_cover_classes)
            if (to_string(c.category) == name) wanted[static_cast<std::size_t>(c.class_id)] = true;
    std::mt19937_64 gen(d.seed);  // one generator per entry, cells visited in a fixed order: deterministic
    const std::string prefix = std::string(to_string(d.kind)) + "-" + std::to_string(entry) + "-";
    std::size_t n = 0;
    for (int r = 0; r < g.rows; ++r) {
        const double lat = g.north_deg - r * g.dlat_deg;
        const double area_km2 = coverage::pixel_area_km2(g, r);  // the one cell-area formula (WGS84)
        for (int c = 0; c < g.cols; ++c) {
            const double lon = g.west_deg + c * g.dlon_deg;
            if (!wanted[lc.classes()[static_cast<std::size_t>(r) * g.cols + c]]) continue;
            if (lat < area.south_deg || lat > area.north_deg || lon < area.west_deg || lon > area.east_deg) continue;
            const int count = poisson(d.density_per_km2 * area_km2, uniform(gen));
            for (int k = 0; k < count; ++k) {
                const LatLon p{lat + (uniform(gen) - 0.5) * g.dlat_deg, lon + (uniform(gen) - 0.5) * g.dlon_deg};
                if (w.terrain.contains(p)) out.push_back({prefix + std::to_string(++n), to_string(d.kind), p});
            }
        }
    }
}

}  // namespace

World load_world(const Scenario& s) {
    World w;
    if (s.terrain.synthetic_seed) {
        SyntheticValley v = make_synthetic_valley(*s.terrain.synthetic_seed, clutter_table(s.land_cover));
        w.terrain = std::move(v.terrain);
        if (s.land_cover.synthetic) w.land_cover = std::move(v.land_cover);
        w.roads = std::move(v.roads);
        if (s.area_of_interest && !box_inside(*s.area_of_interest, w.terrain.grid().centres()))
            throw InputError(s.area_where + ": area_of_interest: must lie inside the synthetic terrain (" +
                             describe(w.terrain.grid().centres()) + ")");
    } else {
        TerrainOptions opt;
        opt.aoi = s.area_of_interest;
        opt.margin_m = s.terrain.margin_m;
        opt.max_fill_cells = s.terrain.void_fill_max_cells;
        try {
            w.terrain = load_terrain(s.terrain.files, opt);
        } catch (const InputError& e) {
            throw InputError(s.terrain.where + ": terrain: " + e.what());
        }
    }
    if (!s.land_cover.file.empty()) {
        try {
            w.land_cover = load_land_cover(s.land_cover.file, w.terrain.grid().bounds(), clutter_table(s.land_cover));
        } catch (const InputError& e) {
            throw InputError(s.land_cover.where + ": land_cover: " + e.what());
        }
    }

    for (std::size_t i = 0; i < s.sites.size(); ++i)
        check_inside(w.terrain, s.sites[i].pos, s.sites[i].where, "sites[" + std::to_string(i) + "]");
    for (std::size_t i = 0; i < s.fibre_pops.size(); ++i)
        check_inside(w.terrain, s.fibre_pops[i].pos, s.fibre_pops[i].where, "fibre_pops[" + std::to_string(i) + "]");
    return w;
}

std::vector<output::DemandPoint> resolve_demand(const Scenario& s, const World& w) {
    std::vector<output::DemandPoint> out;
    for (std::size_t e = 0; e < s.demand.size(); ++e) {
        const DemandSpec& d = s.demand[e];
        const std::size_t first = out.size();
        const std::string kind = to_string(d.kind);
        if (d.generated()) {
            generate(d, e, s, w, out);
            continue;
        }
        if (!d.file.empty()) {
            if (d.file.extension() == ".csv") read_csv(d.file, kind, out);
            else read_geojson(d.file, kind, out);
        } else {
            for (const auto& p : d.points) out.push_back({p.id, kind, p.pos});
        }
        for (std::size_t i = first; i < out.size(); ++i)
            if (!w.terrain.contains(out[i].pos))
                throw InputError(d.where + ": demand[" + std::to_string(e) + "] point '" + out[i].id +
                                 "' = " + describe(out[i].pos) + ": outside the terrain (" +
                                 describe(w.terrain.grid().centres()) + ")");
    }
    return out;
}

}  // namespace dxplan
