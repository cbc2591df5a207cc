// `dxplan terrain info|profile`: summary of DEM rasters, and a terrain profile between two points as CSV.
// Thin (ARCHITECTURE.md 10): parse flags, call load_terrain / extract_profile, print.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/core/error.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/terrain/terrain.hpp"
#include "tools/cli_util.hpp"
#include "tools/commands.hpp"

namespace dxplan::cli {

namespace {

struct TerrainConfig {
    std::vector<std::string> dems;
    bool json = false;
    std::string from;
    std::string to;
    double spacing_m = 0.0;
};

Terrain load(const TerrainConfig& cfg) {
    std::vector<std::filesystem::path> files(cfg.dems.begin(), cfg.dems.end());
    return load_terrain(files);
}

void run_info(const TerrainConfig& cfg) {
    const Terrain t = load(cfg);
    const GeoGrid& g = t.grid();
    double min_m = std::numeric_limits<double>::infinity(), max_m = -min_m, sum_m = 0;
    for (float z : g.values) min_m = std::min<double>(min_m, z), max_m = std::max<double>(max_m, z), sum_m += z;
    const double mean_m = sum_m / static_cast<double>(g.values.size());
    const GeoBox c = g.centres();
    const double mid_lat_deg = (c.south_deg + c.north_deg) / 2;
    const double ew_m = geodesic_inverse({mid_lat_deg, c.west_deg}, {mid_lat_deg, c.west_deg + g.dlon_deg}).d_m;
    const VoidReport& v = t.voids();
    if (cfg.json) {
        nlohmann::ordered_json j;
        j["sources"] = t.sources();
        j["rows"] = g.rows;
        j["cols"] = g.cols;
        j["extent_centres_deg"] = {{"south", c.south_deg}, {"west", c.west_deg}, {"north", c.north_deg}, {"east", c.east_deg}};
        j["spacing_deg"] = {{"lat", g.dlat_deg}, {"lon", g.dlon_deg}};
        j["spacing_m"] = {{"north_south", t.native_spacing_m()}, {"east_west", ew_m}};
        j["height_m"] = {{"min", min_m}, {"max", max_m}, {"mean", mean_m}};
        nlohmann::ordered_json jv = {{"void_cells", v.void_cells}, {"regions", v.regions},
                                     {"large_regions", v.large_regions}, {"large_cells", v.large_cells}};
        if (v.large_extent) {
            const GeoBox& e = *v.large_extent;
            jv["large_extent_deg"] = {{"south", e.south_deg}, {"west", e.west_deg}, {"north", e.north_deg}, {"east", e.east_deg}};
        }
        j["voids"] = jv;
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::printf("sources: ");
    for (std::size_t i = 0; i < t.sources().size(); ++i) std::printf("%s%s", i ? ", " : "", t.sources()[i].c_str());
    std::printf("\nsize: %d rows x %d cols\n", g.rows, g.cols);
    std::printf("extent (cell centres): lat %.6f .. %.6f, lon %.6f .. %.6f\n", c.south_deg, c.north_deg, c.west_deg,
                c.east_deg);
    std::printf("spacing: %.7f deg lat x %.7f deg lon (%.2f x %.2f arc-seconds), %.1f m N-S x %.1f m E-W at %.3f N\n",
                g.dlat_deg, g.dlon_deg, g.dlat_deg * 3600, g.dlon_deg * 3600, t.native_spacing_m(), ew_m, mid_lat_deg);
    std::printf("height: min %.1f m, max %.1f m, mean %.1f m\n", min_m, max_m, mean_m);
    if (v.void_cells == 0) {
        std::printf("voids: none\n");
    } else {
        std::printf("voids: %zu cells in %zu regions, all filled by interpolation\n", v.void_cells, v.regions);
        if (v.large_extent) {
            const GeoBox& e = *v.large_extent;
            std::printf("large voids: %zu regions, %zu cells, extent lat %.5f .. %.5f, lon %.5f .. %.5f\n",
                        v.large_regions, v.large_cells, e.south_deg, e.north_deg, e.west_deg, e.east_deg);
        }
    }
}

void run_profile(const TerrainConfig& cfg) {
    const LatLon from = parse_latlon(cfg.from, "--from");
    const LatLon to = parse_latlon(cfg.to, "--to");
    if (!(cfg.spacing_m >= 0)) throw InputError("--spacing-m " + std::to_string(cfg.spacing_m) + ": must be >= 0 m");
    const Terrain t = load(cfg);
    require_inside(t, from, "--from");
    require_inside(t, to, "--to");
    const Profile prof = extract_profile(t, from, to, cfg.spacing_m);
    std::printf("distance_m,elevation_m\n");
    for (std::size_t i = 0; i < prof.z_m.size(); ++i) {
        std::printf("%.3f,%.3f\n", prof.spacing_m * static_cast<double>(i), prof.z_m[i]);  // 1 mm: loss-exact
    }
}

}  // namespace

void add_terrain_command(CLI::App& app) {
    auto cfg = std::make_shared<TerrainConfig>();
    CLI::App* cmd = app.add_subcommand("terrain", "Inspect DEM rasters: summary and terrain profiles");
    cmd->require_subcommand(1);

    CLI::App* info = cmd->add_subcommand(
        "info", "Summary of one DEM or a mosaic of several: size, extent, spacing, heights, voids");
    info->add_option("--dem", cfg->dems, "DEM raster (SRTM .hgt, GeoTIFF, JDEM, ASCII grid); repeat for a mosaic")
        ->required();
    info->add_flag("--json", cfg->json, "Print the summary as JSON");
    info->footer(
        "Example:\n  dxplan terrain info --dem N35E138.hgt\n  dxplan terrain info --dem N35E138.hgt --dem N35E139.hgt --json\n"
        "Voids (SRTM -32768 / nodata) are filled by interpolation and reported.");
    info->callback([cfg] { run_info(*cfg); });

    CLI::App* profile = cmd->add_subcommand(
        "profile", "Terrain profile along the WGS84 geodesic between two points, as CSV distance_m,elevation_m");
    profile->add_option("--dem", cfg->dems, "DEM raster; repeat for a mosaic")->required();
    profile->add_option("--from", cfg->from, "Start point LAT,LON in decimal degrees")->required();
    profile->add_option("--to", cfg->to, "End point LAT,LON in decimal degrees")->required();
    profile->add_option("--spacing-m", cfg->spacing_m,
                        "Sample spacing in metres (default 0: the DEM's native north-south spacing); the path is cut "
                        "into equal steps no longer than this");
    profile->footer(
        "Example (Kofu to the summit of Mt Fuji):\n"
        "  dxplan terrain profile --dem N35E138.hgt --from 35.6668,138.5688 --to 35.3608,138.7275 --spacing-m 100\n"
        "Heights are bilinear in the DEM, metres above the geoid (EGM96 for SRTM).");
    profile->callback([cfg] { run_profile(*cfg); });
}

}  // namespace dxplan::cli
