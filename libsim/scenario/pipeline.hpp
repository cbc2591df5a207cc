// dxplan scenario layer: the `dxplan run` pipeline (walking skeleton).
//
// scenario -> terrain + land cover -> sites and demand points -> per-site path loss on a grid around each
// site (registry model over terrain profiles) -> outputs: one GeoTIFF per site (float32 path loss in dB,
// nodata outside the radius, EPSG:4326), summary.json, results.h5, report.html.
// Everything is written into `OUT.partial-<pid>` and renamed to OUT only when complete; an existing OUT is
// replaced at that moment. On any error the partial directory is removed and the exception propagates.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

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
};

struct RunSummary {
    std::filesystem::path out_dir;
    std::size_t sites = 0;
    std::size_t demand_points = 0;
    std::size_t files = 0;  // files written into out_dir
};

// Runs a scenario file end to end. Throws InputError for bad input (nothing is left in the output location).
RunSummary run_scenario(const RunConfig& config);

// Path loss of one site on a square grid of `resolution_m` centred on the site, NaN beyond radius_m and
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
};
[[nodiscard]] output::SiteResult compute_site_loss(const SiteLossInput& in, std::map<std::string, std::size_t>& warnings,
                                                   const std::function<void(double fraction_done)>& progress = {});

}  // namespace dxplan
