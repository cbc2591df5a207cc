#include "libsim/coverage/single_site.hpp"

#include <chrono>
#include <utility>

#include <omp.h>

#include "libsim/core/error.hpp"
#include "libsim/terrain/raster_io.hpp"

namespace dxplan::coverage {

SingleSiteSummary run_single_site(const SingleSiteJob& job) {
    if (job.dem_files.empty()) throw InputError("coverage: no DEM file given");
    if (job.threads < 0) throw InputError("coverage threads = " + std::to_string(job.threads) + ": must be >= 1");
    if (job.out_tif.empty()) throw InputError("coverage: no output file given");
    const GeoGrid grid = make_receiver_grid(job.spec.site, job.spec.radius_m, job.resolution);
    TerrainOptions topt;
    topt.aoi = grid.bounds();
    Terrain terrain = load_terrain(job.dem_files, topt);
    if (job.threads > 0) omp_set_num_threads(job.threads);

    const auto t0 = std::chrono::steady_clock::now();
    SiteLoss loss = compute_site_loss(terrain, job.spec, grid);
    const auto t1 = std::chrono::steady_clock::now();
    write_geotiff_f32(job.out_tif, loss.loss_db, kGeoTiffNodata);

    SingleSiteSummary s;
    s.rows = grid.rows;
    s.cols = grid.cols;
    s.pixels = loss.pixels;
    s.model_calls = loss.model_calls;
    s.radials = loss.radials;
    s.compute_s = std::chrono::duration<double>(t1 - t0).count();
    s.loss_db = std::move(loss.loss_db);
    s.terrain = std::move(terrain);
    return s;
}

}  // namespace dxplan::coverage
