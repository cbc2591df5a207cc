// dxplan scenario layer: the `dxplan run` pipeline.
//
// scenario -> terrain + land cover -> sites (given and automatic candidates) and demand points -> per-site
// path loss on a grid around each site (libsim/coverage over terrain profiles) -> the technology comparison
// (comparison_stage.hpp: per technology its own coverage run, site selection, backhaul, costs) -> outputs:
// loss-<site>.tif (float32 path loss in dB, nodata outside the radius, EPSG:4326), per technology
// coverage-<technology>.png/.tif/.kmz and backhaul-<technology>/, summary.json, results.h5, report.html/.md.
// Everything is written into `OUT.partial-<pid>` and renamed to OUT only when complete (libsim/core/output_set.hpp:
// an existing OUT is replaced only if dxplan wrote it, or with force; never when it holds an input or the current
// directory). On any error or cancellation the partial directory is removed and the exception propagates.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "libsim/core/cancel.hpp"
#include "libsim/core/numbers.hpp"
#include "libsim/output/results.hpp"
#include "libsim/scenario/scenario.hpp"
#include "libsim/terrain/land_cover.hpp"
#include "libsim/terrain/terrain.hpp"

namespace dxplan {


struct RunConfig {
    std::filesystem::path scenario_file;
    std::filesystem::path out_dir;
    // Optional: called with the fraction of the work done (0..1), from one thread only.
    std::function<void(double fraction_done)> progress;
    std::string lang = "en";  // language of report.html / report.md: "en" or "ja"
    bool pdf = false;  // also print report.pdf (headless Chromium, several seconds); the scenario's outputs.report_pdf too
    std::vector<std::string> overrides{};  // "path.to.field=VALUE" (load_scenario); with any, the run also writes
                                         // scenario.resolved.yaml (the scenario as run)
    bool force = false;       // replace an existing non-empty out_dir that dxplan did not write (never an input)
    const CancelToken* cancel = nullptr;  // (optional) polled between stages: throws Cancelled
    MemoryBudget memory{};                // mosaic, demand points and grids are estimated against it up front
    // Optional: called once with a one-line notice when the work is expected to take more than ~10 s.
    std::function<void(const std::string& notice)> notice = nullptr;
    std::function<void(Scenario&)> adjust = nullptr;  // (optional) changes the scenario after loading (dxplan route)
    bool routes_only = false;               // write only the routes' files and summary.json (dxplan route)
    std::vector<route::RouteResult>* routes = nullptr;  // (optional) receives the routes' results
};

struct RunSummary {
    std::filesystem::path out_dir;
    std::size_t sites = 0;
    std::size_t demand_points = 0;
    std::size_t files = 0;  // files written into out_dir
    std::string pdf_note;   // why report.pdf was not written (no chromium, or chromium failed); empty when it was
};

// Runs a scenario file end to end. Throws InputError for bad input (nothing is left in the output location).
RunSummary run_scenario(const RunConfig& config);

// The run's area grid (geometry only): pixels of resolution_m (the terrain's native spacing when 0) at the
// centre of the sites' bounding box (coverage::make_receiver_grid), covering every site's radius, cropped to the
// terrain. Every site's
// loss grid is its window of this grid (coverage::site_window), so the grids of all sites line up.
[[nodiscard]] GeoGrid run_area_grid(const std::vector<SiteSpec>& sites, const PropagationSpec& propagation,
                                    const Terrain& terrain);

// Path loss of one site on its window of the area grid (the pixels within radius_m of the site; without an
// area grid, of its own receiver grid at resolution_m centred on the site), NaN beyond radius_m and
// outside the terrain, and the loss at each demand point (NaN beyond radius_m). Model warnings are counted
// by name into `warnings`. Parallel over grid rows (OpenMP); the result does not depend on the thread count.
// `progress` (optional) is called by one thread with the fraction of the site's grid done.
struct SiteLossInput {
    LatLon site;
    double mast_height_m = 0.0;
    const Terrain* terrain = nullptr;
    const PropagationSpec* propagation = nullptr;
    const std::vector<output::DemandPoint>* demand = nullptr;
    const LandCover* land_cover = nullptr;  // receiver heights when propagation.rx_height_from_clutter
    const GeoGrid* area = nullptr;  // the run's area grid (run_area_grid); nullptr: the site's own receiver grid
    const CancelToken* cancel = nullptr;  // (optional) polled in the coverage loops: throws Cancelled
};
[[nodiscard]] output::SiteResult compute_site_loss(const SiteLossInput& in, std::map<std::string, std::size_t>& warnings,
                                                   const std::function<void(double fraction_done)>& progress = {});

}  // namespace dxplan
