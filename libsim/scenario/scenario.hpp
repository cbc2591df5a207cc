// dxplan scenario layer: the scenario file as a plain, validated value (no yaml-cpp types here).
//
// load_scenario() reads a YAML scenario (schema: scenarios/README.md), checks every field and throws
// InputError with one line "FILE:LINE: field.path = value: must be ..." on the first problem. Unknown keys
// are errors and a number written as text is an error. Paths in the file are resolved relative to the
// scenario file and must exist. Checks that need the terrain (a site outside it) are done by the pipeline,
// which uses the `where` strings ("FILE:LINE") kept here to name the line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "libsim/route/route.hpp"
#include "libsim/terrain/terrain.hpp"

namespace dxplan {

struct TerrainSpec {
    std::optional<std::uint64_t> synthetic_seed;  // set: project's synthetic valley (libsim/terrain/synthetic.hpp)
    std::vector<std::filesystem::path> files;     // otherwise: DEM rasters mosaicked (absolute paths)
    double margin_m = 0.0;                        // crop margin around the area of interest
    std::size_t void_fill_max_cells = 64;         // larger void regions are reported as large
    std::string where;
};

struct LandCoverSpec {
    bool synthetic = false;            // the synthetic valley's land cover (needs synthetic terrain)
    std::filesystem::path file;        // or a land-cover raster (absolute path), empty when none
    std::filesystem::path mapping;     // class -> clutter mapping table (absolute path); empty: the default
    std::string where;

    [[nodiscard]] bool present() const { return synthetic || !file.empty(); }
};

// A sector antenna of a site: a cell of its own (libsim/coverage/multi_site.hpp, SiteAntenna).
struct SectorSpec {
    double azimuth_deg = 0.0;       // [0, 360) boresight, clockwise from true north
    double downtilt_deg = 0.0;      // [-90, 90] below the horizontal (negative: uptilt)
    std::filesystem::path pattern;  // pattern CSV (link::load_pattern_csv; absolute path); empty: the 3GPP TR 38.901
                                    // Table 7.3-1 sector pattern (65 deg beamwidths)
    std::string where;              // "FILE:LINE"
};

struct SiteSpec {
    std::string id;
    LatLon pos;
    double mast_height_m = 0.0;
    std::vector<SectorSpec> sectors;        // empty: one omni antenna
    std::optional<std::string> technology;  // a fixed technology (one of Scenario::technologies)
    std::string where;                      // "FILE:LINE" of the site's entry
    std::string origin = "given";           // "given", or an automatic candidate: "hilltop", "built-up"
};

// Automatic candidate sites added to the given ones (libsim/scenario/auto_candidates.hpp).
struct AutoCandidatesSpec {
    int hilltops = 0;              // [0, 100] hilltops found in the terrain
    int built_up = 0;              // [0, 100] centroids of built-up land-cover clusters (public-building rooftops)
    double mast_height_m = 15.0;   // [0, 300] antenna height above ground of every automatic candidate
    double min_separation_m = 1000.0;  // [0, 50000] between hilltop candidates
    std::string where;

    [[nodiscard]] bool any() const { return hilltops > 0 || built_up > 0; }
};

enum class DemandKind { household, facility, iot };
[[nodiscard]] const char* to_string(DemandKind kind);

struct DemandPointSpec {
    std::string id;
    LatLon pos;
};

// One entry of `demand:`: exactly one of file, points, or generated from land-cover cells.
struct DemandSpec {
    DemandKind kind = DemandKind::household;
    std::filesystem::path file;              // CSV (id,lat_deg,lon_deg) or GeoJSON points (absolute path)
    std::vector<DemandPointSpec> points;     // inline points
    double density_per_km2 = 0.0;            // > 0: generate over cells of land_cover_classes
    std::uint64_t seed = 0;
    std::vector<std::string> land_cover_classes;  // clutter category names; default {"urban", "suburban"}
    std::string where;

    [[nodiscard]] bool generated() const { return density_per_km2 > 0.0; }
};

struct FibrePopSpec {
    std::string id;
    LatLon pos;
    std::string where;
};

// A field override of a technology profile, kept as written; the link layer checks it against the profile.
struct OverrideValue {
    std::string text;     // the scalar as written, without quotes
    bool quoted = false;  // written in quotes: text, never a number
    std::string where;    // "FILE:LINE"
};

// A technology profile of models/technology/ by name, with field overrides validated by the link layer.
struct TechnologySpec {
    std::string profile;
    std::map<std::string, OverrideValue> overrides;
    std::vector<std::string> serves;  // demand kinds it is evaluated on ("household", "facility", "iot"); empty: all
    std::string where;
};

// A mix: several technologies planned together as one option, each on its own demand kinds (e.g. LoRaWAN for
// the sensors, HaLow for the households). Members are evaluated separately from the standalone entries.
struct MixSpec {
    std::string name;                     // [A-Za-z0-9_-]+, unique among the mixes and the technology profiles
    std::vector<TechnologySpec> members;  // each with a non-empty `serves`; the kinds do not overlap
    std::string where;
};

struct PropagationSpec {
    std::string model = "free-space-knife-edge";  // a name in the propagation registry
    double f_mhz = 0.0;         // frequency of the per-site loss rasters
    double h_rx_m = 1.5;        // receiver height above ground
    double resolution_m = 0.0;  // receiver grid spacing; 0: the terrain's native spacing
    double radius_m = 5000.0;   // per-site computation radius
    bool rx_height_from_clutter = false;  // receiver at max(h_rx_m, land-cover clutter height); needs land_cover
    std::string where;
};

// A quotation replacing a catalogue price (models/economics/catalogue.yaml) for this scenario.
struct PriceOverride {
    std::string id;                            // catalogue item id
    std::optional<double> capex_jpy;           // [0, 1e12] JPY per unit
    std::optional<double> opex_jpy_per_year;   // [0, 1e12] JPY per unit and year
    std::string where;                         // file:line
};

struct EconomicsSpec {
    int horizon_years = 10;              // [1, 50]
    double discount_rate = 0.03;         // [0, 0.5] per year
    double subsidy_rate = 0.5;           // [0, 1] share of eligible cost
    double subsidy_cap_jpy = 0.0;        // >= 0; 0 means no cap
    double opex_escalation_rate = 0.0;   // [-0.2, 0.5] per year
    double budget_jpy = 0.0;             // >= 0; > 0: report the coverage each technology reaches for this NPV
    bool demonstration = false;          // a demonstration project: purchases not eligible (econ::ProgrammeRules)
    bool rentals_booked_up_front = true; // rentals and cloud fees booked at once in year 0 ...
    int rental_eligible_years = 5;       // ... [0, 50] years of them, eligible
    std::vector<PriceOverride> prices;   // economics.prices: quotations replacing catalogue prices
};

// What every technology must achieve (econ::Requirements); an unset optional is not required.
struct RequirementsSpec {
    double coverage_target = 0.95;         // [0, 1] share of demand points covered
    double location_reliability = 0.9;     // [0.5, 0.999] at which a point counts as covered
    double min_mbps_per_household = 2.0;   // [0, 10000] busy-hour demand per active household, Mbit/s
    double busy_hour_activity = 0.2;       // [0.001, 1] share of households active at once
    std::optional<double> min_edge_mbps;   // [0, 10000] 5th-percentile downlink throughput, Mbit/s
    std::optional<double> max_latency_ms;  // [0, 100000] round trip, ms
    std::optional<double> device_battery_years;  // [0, 50]; unset: 5 when the demand has IoT devices, else none
    bool outdoor = true;                   // the access network is deployed outdoors
    std::string where;
};

struct OutputsSpec {
    bool loss_geotiff = true;  // one GeoTIFF of path loss per site
    bool results_h5 = true;    // results.h5
    bool report_html = true;   // report.html (summary.json is always written)
};

// The backhaul planner's inputs (`backhaul:`, optional; libsim/network).
struct BackhaulSpec {
    std::filesystem::path roads;            // GeoJSON road network (absolute path): fibre along the roads; empty:
                                            // straight line x the fibre's detour factor
    double max_drop_m = 500.0;              // a node farther from every road keeps straight fibre (net::GraphOptions)
    std::vector<std::string> technologies;  // backhaul technologies by name (models/technology/backhaul/); empty:
                                            // the default set (load_backhaul_technologies)
    std::string where;
};

// One `routes:` entry (docs/routes.md): the route and where its intersections come from.
struct RouteEntrySpec {
    route::RouteSpec route;              // geometry read from the file; intersections given or from the file
    bool intersections_from_roads = false;  // `intersections: roads`: where the roads meet the route's vertices
    std::filesystem::path roads;         // roads file for that (GeoJSON); empty: backhaul.roads or the world's roads
    std::string where;
};

struct Scenario {
    std::filesystem::path file;  // the scenario file as given
    std::string name;
    std::optional<GeoBox> area_of_interest;
    std::string area_where;
    TerrainSpec terrain;
    LandCoverSpec land_cover;
    std::vector<SiteSpec> sites;
    std::vector<DemandSpec> demand;
    std::vector<FibrePopSpec> fibre_pops;
    std::vector<TechnologySpec> technologies;
    std::vector<MixSpec> mixes;
    PropagationSpec propagation;
    EconomicsSpec economics;
    RequirementsSpec requirements;
    AutoCandidatesSpec auto_candidates;
    OutputsSpec outputs;
    BackhaulSpec backhaul;
    std::vector<RouteEntrySpec> routes;
};

// Reads and validates a scenario file. Throws InputError (one line, naming file, line, field and valid range).
Scenario load_scenario(const std::filesystem::path& file);

}  // namespace dxplan
