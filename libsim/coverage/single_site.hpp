// dxplan coverage: one site's path-loss map from DEM files to a GeoTIFF, the library call behind
// `dxplan coverage` (the open tools' use case, without a scenario file).
#pragma once

#include <cstddef>
#include <filesystem>
#include <vector>

#include "libsim/core/numbers.hpp"
#include "libsim/coverage/grid.hpp"
#include "libsim/coverage/site_loss.hpp"

namespace dxplan::coverage {

struct SingleSiteJob {
    std::vector<std::filesystem::path> dem_files;
    SiteLossSpec spec;          // spec.radius_m, heights, model and its parameters, mode
    Resolution resolution;
    int threads = 0;            // OpenMP threads; 0: the OpenMP default
    std::filesystem::path out_tif;  // float32 path loss in dB, kGeoTiffNodata outside the radius
};


struct SingleSiteSummary {
    int rows = 0;
    int cols = 0;
    std::size_t pixels = 0;       // pixels with a value
    std::size_t model_calls = 0;
    std::size_t radials = 0;
    double compute_s = 0.0;       // wall time of compute_site_loss
    GeoGrid loss_db;              // the map written (NaN outside the radius), for further writers (KMZ, PNG)
    Terrain terrain;              // the DEM as loaded (cropped to the grid), e.g. for a hillshade
};

// Loads the DEM over the disc, computes the loss map and writes it atomically. Throws InputError for bad input
// (naming the flag/field) or a DEM that does not cover the disc.
SingleSiteSummary run_single_site(const SingleSiteJob& job);

}  // namespace dxplan::coverage
