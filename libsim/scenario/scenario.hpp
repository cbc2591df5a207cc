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

#include "libsim/core/demand_kind.hpp"
#include "libsim/measure/calibration.hpp"
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


// Where a demand point's terminal stands: indoors (building entry loss, P.2109), outdoors, or an outdoor CPE
// (no building entry loss, its antenna gain `cpe_gain_db` added to the link).
enum class Terminal { indoor, outdoor, outdoor_cpe };
[[nodiscard]] const char* to_string(Terminal t);

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
    std::optional<Terminal> terminal;        // unset: indoor for households and facilities, outdoor for iot
    double cpe_gain_db = 0.0;                // [0, 30] outdoor CPE's gain over the technology's terminal antenna
    std::string where;

    [[nodiscard]] Terminal terminal_or_default() const {
        return terminal.value_or(kind == DemandKind::iot ? Terminal::outdoor : Terminal::indoor);
    }

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
    std::vector<DemandKind> serves;   // demand kinds it is evaluated on; empty: all
    std::string model;                // propagation model set on the entry (registry name); empty: not set
    std::optional<double> radius_m;   // computation radius set on the entry (`radius_km`)
    std::string model_where;          // "FILE:LINE" of `model` (empty when not set)
    std::string path;                 // "technologies[2]", "mixes[0].members[1]"
    std::string where;
    // Resolved at load time (entry, else the profile's `coverage:`, else the scenario's `propagation`), the
    // model checked against the technology's centre frequency (technology_coverage() in scenario.hpp).
    std::string resolved_model;
    double resolved_radius_m = 0.0;
    std::string resolved_from;        // "scenario entry", "technology profile", "propagation"
};

// A mix: several technologies planned together as one option, each on its own demand kinds (e.g. LoRaWAN for
// the sensors, HaLow for the households). Members are evaluated separately from the standalone entries.
struct MixSpec {
    std::string name;                     // [A-Za-z0-9_-]+, unique among the mixes and the technology profiles
    std::vector<TechnologySpec> members;  // each with a non-empty `serves`; the kinds do not overlap
    std::string where;
};

enum class Season { in_leaf, bare };
enum class BuildingType { traditional, thermally_efficient };
[[nodiscard]] const char* to_string(Season s);
[[nodiscard]] const char* to_string(BuildingType b);

// Losses on top of the path loss model (libsim/scenario/excess_loss.hpp), each a switch under `propagation:`.
struct ExcessLossSpec {
    bool clutter = true;       // terminal clutter loss, ITU-R P.2108-1 sec. 3.1, from the receiver's land-cover class
                               // (classes other than woodland; on by default when the scenario has land cover)
    bool vegetation = true;    // ITU-R P.833-10 sec. 2 woodland loss: receiver in woodland, run of the path in it
    Season season = Season::in_leaf;
    bool building_entry = true;  // ITU-R P.2109-2 for indoor demand points (not on the maps)
    BuildingType building = BuildingType::traditional;
    double building_entry_probability_pct = 50.0;  // (0, 100) P.2109 probability the loss is not exceeded
    bool rain = true;          // ITU-R P.838-3 / P.530-18 sec. 2.4.1, paths above 6 GHz
    double rain_rate_mm_h = 50.0;   // [0, 300] R0.01, 1-minute rain rate exceeded 0.01 % of an average year
    double rain_time_pct = 0.1;     // [0.001, 1] percentage of the year the planned rain attenuation is exceeded
    bool gas = true;           // ITU-R P.676-13 Annex 1 terrestrial path, paths above 6 GHz
    std::string where;
};

struct PropagationSpec {
    std::string model = "free-space-knife-edge";  // a name in the propagation registry
    double f_mhz = 0.0;         // frequency of the per-site loss rasters
    double h_rx_m = 1.5;        // receiver height above ground
    double resolution_m = 0.0;  // receiver grid spacing; 0: the terrain's native spacing
    double radius_m = 5000.0;   // per-site computation radius
    bool rx_height_from_clutter = false;  // receiver at max(h_rx_m, land-cover clutter height); needs land_cover
    ExcessLossSpec losses;
    std::string where;
    // propagation.calibration: a `dxplan calibrate` correction for this model, added to every loss it computes
    // (libsim/measure/calibration.hpp; applied by apply_calibration in libsim/scenario/measure_stage.hpp).
    std::optional<measure::Calibration> calibration;
    std::filesystem::path calibration_file;
};

// `measurements:` drive-test data compared with the model (report section "Measurements"; docs/measurements.md).
struct MeasurementsSpec {
    std::filesystem::path file;              // CSV or GeoJSON (absolute path)
    std::filesystem::path mapping;           // optional column mapping YAML
    std::vector<std::string> sites;          // transmitting sites (ids); each point is served by the least-loss one
    std::string technology;                  // EIRP and receive gain from this technology profile, or ...
    std::optional<double> eirp_dbm;          // ... given (then receive gain rx_gain_db)
    double rx_gain_db = 0.0;
    double ridge_lambda = 1.0;
    int k_folds = 5;
    std::string where;
    [[nodiscard]] bool present() const { return !file.empty(); }
};

// `evaluation:` before/after indicator files (report section "Outcome evaluation").
struct EvaluationSpec {
    std::filesystem::path before, after;     // CSV (absolute paths)
    bool paired = false;
    std::string alternative = "two-sided";   // two-sided | less | greater
    double alpha = 0.05;
    std::string where;
    [[nodiscard]] bool present() const { return !before.empty(); }
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

// What one demand kind needs (`requirements.by_kind.<kind>`, econ::KindRequirements); unset: the scenario-wide
// field it defaults from (scenarios/README.md), else not required.
struct KindRequirementsSpec {
    std::optional<double> dl_mbps;            // [0, 10000] busy-hour downlink per active user
    std::optional<double> ul_mbps;            // [0, 10000] busy-hour uplink per active user (cameras: the stream)
    std::optional<double> busy_hour_activity; // [0.001, 1]
    std::optional<double> edge_mbps;          // [0, 10000] 5th-percentile downlink
    std::optional<double> latency_ms;         // [0, 100000] round trip
    std::optional<double> reports_per_day;    // [0, 86400] sensors
    std::optional<double> payload_bytes;      // [0, 100000] sensors
    std::optional<double> battery_years;      // [0, 50]
    std::string traffic;                      // a traffic profile (models/traffic) for the kind's per-user load
    std::string processing;                   // "raw" | "edge" (edge: the profile's `edge:` flows; an edge
                                              // computer per served device is bought, issue 14 item 4)
    std::string where;
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
    std::array<std::optional<KindRequirementsSpec>, kDemandKinds.size()> by_kind;  // index_of(DemandKind)
    std::string where;
};

struct OutputsSpec {
    bool loss_geotiff = true;  // one GeoTIFF of path loss per site
    bool results_h5 = true;    // results.h5
    bool report_html = true;
    bool report_pdf = false;   // report.pdf printed by headless Chromium (also `dxplan run --pdf`)   // report.html (summary.json is always written)
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
    std::string resolved_yaml;   // the scenario as read, overrides applied (YAML), e.g. for scenario.resolved.yaml
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
    MeasurementsSpec measurements;
    EvaluationSpec evaluation;
    std::vector<RouteEntrySpec> routes;
};

// The largest computation radius of the run: the scenario's and every technology's resolved one (m).
[[nodiscard]] double max_radius_m(const Scenario& s);

// Reads and validates a scenario file. Throws InputError (one line, naming file, line, field and valid range).
// `overrides` ("path.to.field=VALUE", as `dxplan run --set`) replace or add fields before validation: the path's
// parts are map keys or sequence indices (`technologies.0.profile`), VALUE is YAML (a number, text, [list] or
// {map}); each is validated as if it stood in the file, and errors name it as "FILE (--set path=VALUE)".
Scenario load_scenario(const std::filesystem::path& file, const std::vector<std::string>& overrides = {});

// Every file the scenario reads (the scenario itself, terrain, land cover and its mapping, demand files, sector
// patterns, roads): an output may not be one of them (libsim/core/output_set.hpp).
[[nodiscard]] std::vector<std::filesystem::path> scenario_input_files(const Scenario& s);

}  // namespace dxplan
