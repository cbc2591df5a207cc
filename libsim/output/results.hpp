// dxplan output layer: what a run produced, as plain values, and the writers of summary.json, results.h5
// and report.html. HDF5 and JSON types stay in the .cpp files (ARCHITECTURE.md 9). Per-site GeoTIFFs are
// written with libsim/terrain/raster_io.hpp. Every writer writes to a temporary name and renames when
// complete (libsim/core/atomic_file.hpp).
#pragma once

#include "libsim/core/demand_kind.hpp"
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libsim/coverage/multi_site.hpp"
#include "libsim/coverage/stats.hpp"
#include "libsim/terrain/terrain.hpp"

namespace dxplan::output {

struct MeasureSections;  // report_measure.hpp: the Measurements and Outcome evaluation sections

struct NamedPoint {
    std::string id;
    LatLon pos;
};

struct DemandPoint {
    std::string id;
    DemandKind kind = DemandKind::household;
    LatLon pos;
    bool indoor = false;            // indoor terminal: building entry loss (P.2109) on its links
    double terminal_gain_db = 0.0;  // an outdoor CPE's gain over the technology's terminal antenna
};

struct LossStats {
    std::size_t cells = 0;  // cells with a value (inside the radius)
    double min_db = 0.0;
    double median_db = 0.0;
    double max_db = 0.0;
};

struct SiteResult {
    std::string id;
    LatLon pos;
    double ground_m = 0.0;       // terrain height at the site
    double mast_height_m = 0.0;
    std::optional<std::string> technology;
    std::string origin = "given";  // candidate origin: "given" (scenario), "hilltop" or "built-up" (automatic)
    GeoGrid loss_db;             // path loss per receiver cell; NaN outside the radius (nodata)
    LossStats stats;
    std::vector<float> demand_loss_db;  // path loss at each demand point (RunResults::demand order); NaN outside;
                                        // the model's loss plus the excess losses below (excess_loss.hpp)
    // The excess losses in demand_loss_db, per demand point (dB; NaN outside the radius): terminal clutter
    // (P.2108), vegetation (P.833), building entry (P.2109, indoor points), rain (P.530/P.838), gas (P.676).
    std::vector<float> demand_clutter_db, demand_vegetation_db, demand_building_entry_db, demand_rain_db, demand_gas_db;
    std::string geotiff;         // file name of the site's GeoTIFF in the output directory; empty if not written
};

// One technology's backhaul plan as stored in results.h5 (/backhaul/<technology>/).
struct BackhaulPlanRecord {
    std::string technology;               // the access technology whose sites it connects
    std::vector<LatLon> a;                // link end points, one entry per link
    std::vector<LatLon> b;
    std::vector<std::string> link_technology;  // "fibre", "microwave-18ghz", ...
    double capex_jpy = 0.0;
    double opex_jpy_per_year = 0.0;
    double fibre_km = 0.0;
    std::string solver;
};

// One technology's service maps in a run: its chosen sites combined (libsim/coverage multi_site.hpp) on its area
// grid (the part of the run's area grid within reach of its chosen sites), their statistics per cell, and the files
// written from them.
struct ServiceMaps {
    std::string label;                // coverage-<label>.*: the technology, "<mix>.<profile>" for a mix member
    coverage::TechnologyMaps maps;
    coverage::TechnologyStats stats;  // cells: a site, or "<site>/<n>" for its n-th sector
    std::vector<std::string> files;   // file names in the output directory
    std::vector<double> ul_interference_dbm;  // I_ul per cell (coverage::CoverageMaps), for routes (libsim/route)
};

struct TerrainSummary {
    std::string source;  // "synthetic (seed 1)" or the file names
    int rows = 0;
    int cols = 0;
    GeoBox bounds;
    double native_spacing_m = 0.0;
    std::size_t void_cells = 0;
    std::size_t large_void_regions = 0;
};

struct LandCoverShare {
    std::string category;  // clutter category name
    double share = 0.0;    // fraction of the land-cover cells
};

// The demand-point losses of a technology's own coverage run when its frequency, model or radius differ from the
// run's (comparison stage): per site the loss at each demand point and its excess terms (loss grids not kept).
struct TechnologyDemandLosses {
    double f_mhz = 0.0;
    std::string model;
    double radius_m = 0.0;
    std::vector<std::string> technologies;  // the profiles planned on it
    std::vector<SiteResult> sites;          // loss_db empty; the demand_* vectors
};

struct RunResults {
    std::string scenario_name;
    std::string scenario_file;
    std::vector<std::string> technologies;  // profile names the scenario compares
    std::string model;
    double f_mhz = 0.0;
    double h_rx_m = 0.0;
    double resolution_m = 0.0;
    double radius_m = 0.0;
    TerrainSummary terrain;
    std::string land_cover_source;  // empty when the scenario has no land cover
    std::vector<LandCoverShare> land_cover;
    std::vector<DemandPoint> demand;
    std::vector<NamedPoint> fibre_pops;
    std::vector<SiteResult> sites;
    std::vector<std::string> warnings;  // model warnings (name and count), sorted
    // The technology comparison (report.hpp: comparison_summary_json), a JSON object whose keys are merged
    // into summary.json; empty: none.
    std::string comparison_json;
    std::vector<BackhaulPlanRecord> backhaul;  // per compared technology (empty without technologies)
    std::vector<ServiceMaps> service_maps;      // per planned technology and mix member (empty without technologies)
    std::shared_ptr<const MeasureSections> measure;  // measurements / outcome evaluation / calibration (or null)
    std::vector<std::string> routes_json;       // summary.json routes[]: one object per route (route_summary_json)
    std::vector<TechnologyDemandLosses> technology_losses;  // each technology's own run (results.h5 /technology_losses)
};

// Median (of the finite values) and extremes of a loss grid.
[[nodiscard]] LossStats loss_stats(const GeoGrid& loss_db);

// summary.json: deterministic (no times, no absolute output paths), numbers rounded to 0.001.
void write_summary_json(const std::filesystem::path& file, const RunResults& results);

// results.h5: root attributes (scenario, model, frequency), /sites/<id>/loss_db (float32 rows x cols, NaN
// nodata) with georeferencing attributes, /sites/<id>/demand_loss_db, /demand (id, kind, lat, lon), and
// /backhaul/<technology>/ (a_lat_deg, a_lon_deg, b_lat_deg, b_lon_deg, link_technology; cost attributes), and
// /coverage/<label>/ per service map (ServiceMaps; datasets and attributes as in coverage_h5.hpp).
void write_results_h5(const std::filesystem::path& file, const RunResults& results);

// report.html: one self-contained page (no scripts, no network) with the run's settings and tables.
void write_report_html(const std::filesystem::path& file, const RunResults& results);

}  // namespace dxplan::output
