// dxplan coverage: one site's path-loss map without a scenario file (the open tools' use case).
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "libsim/core/error.hpp"
#include "libsim/coverage/single_site.hpp"
#include "libsim/output/kmz.hpp"
#include "libsim/output/png.hpp"
#include "libsim/terrain/land_cover.hpp"
#include "tools/cli_util.hpp"
#include "tools/commands.hpp"
#include "tools/signals.hpp"
#include "libsim/core/input_file.hpp"
#include "libsim/core/output_set.hpp"

namespace dxplan::cli {

namespace {

struct CoverageFlags {
    std::string dem;
    std::string site;
    double h_tx_m = NAN;
    double h_rx_m = NAN;
    double f_mhz = NAN;
    double radius_km = NAN;
    double resolution_arcsec = 0.0;
    double resolution_m = 0.0;
    std::string model = "itm";
    std::string mode = "fast";
    int threads = 0;  // 0: not given (all cores); given, it must be in [1, 1024]
    std::string out;
    std::string kmz;
    std::string png;
    std::string rx_clutter;     // land-cover raster: receivers at max(--rx-height-m, clutter height)
    std::string clutter_table;  // class -> clutter height CSV (default: the JAXA table)
};

void run(const CoverageFlags& f) {
    auto positive = [](const char* flag, double v, double max) {
        if (!std::isfinite(v) || v <= 0.0 || v > max)
            throw InputError(std::string(flag) + " = " + std::to_string(v) + ": must be in (0, " + std::to_string(max) + "]");
    };
    positive("--freq-mhz", f.f_mhz, 100000.0);
    positive("--radius-km", f.radius_km, 300.0);
    if (!std::isfinite(f.h_tx_m) || f.h_tx_m < 0.0 || f.h_tx_m > 3000.0)
        throw InputError("--tx-height-m = " + std::to_string(f.h_tx_m) + ": must be in [0, 3000] m");
    if (!std::isfinite(f.h_rx_m) || f.h_rx_m < 0.0 || f.h_rx_m > 3000.0)
        throw InputError("--rx-height-m = " + std::to_string(f.h_rx_m) + ": must be in [0, 3000] m");
    if ((f.resolution_arcsec > 0.0) == (f.resolution_m > 0.0))
        throw InputError("give exactly one of --resolution-arcsec (> 0) and --resolution-m (> 0)");

    // Every output checked before any work, written beside its target and published together at the end
    // (libsim/core/output_set.hpp): a failure or a signal leaves the previous files as they were.
    if (!f.clutter_table.empty() && f.rx_clutter.empty()) throw InputError("--clutter-table needs --rx-clutter");
    check_input_file(f.dem, "--dem");
    if (!f.rx_clutter.empty()) check_input_file(f.rx_clutter, "--rx-clutter");
    if (!f.clutter_table.empty()) check_input_file(f.clutter_table, "--clutter-table");
    OutputSet outputs({f.dem, f.rx_clutter, f.clutter_table});
    const std::filesystem::path staged_tif = outputs.add_file(f.out, "--out");
    const std::filesystem::path staged_kmz = f.kmz.empty() ? std::filesystem::path() : outputs.add_file(f.kmz, "--kmz");
    const std::filesystem::path staged_png = f.png.empty() ? std::filesystem::path() : outputs.add_file(f.png, "--png");

    coverage::SingleSiteJob job;
    job.dem_files = {f.dem};
    job.spec.site = parse_latlon(f.site, "--site");
    job.spec.h_tx_m = f.h_tx_m;
    job.spec.h_rx_m = f.h_rx_m;
    job.spec.radius_m = f.radius_km * 1000.0;
    job.spec.model = f.model;
    job.spec.mode = coverage::parse_mode(f.mode);
    job.spec.params.f_mhz = f.f_mhz;  // ITM defaults of LossQuery: climate 5, N0 301, eps 15, sigma 0.005, V, mdvar 12
    job.resolution = {f.resolution_arcsec, f.resolution_m};
    job.threads = f.threads;
    job.out_tif = staged_tif;
    std::optional<LandCover> clutter;
    if (!f.rx_clutter.empty()) {
        const ClutterTable table = load_clutter_table(f.clutter_table.empty() ? default_clutter_table_path()
                                                                              : std::filesystem::path(f.clutter_table));
        const GeoGrid grid = coverage::make_receiver_grid(job.spec.site, job.spec.radius_m, job.resolution);
        clutter = load_land_cover(f.rx_clutter, grid.bounds(), table);
        job.spec.rx_clutter = &*clutter;
    } else if (!f.clutter_table.empty()) {
        throw InputError("--clutter-table needs --rx-clutter");
    }
    const coverage::SingleSiteSummary s = coverage::run_single_site(job);
    throw_if_cancelled(&cancel_token());
    if (!f.kmz.empty()) output::write_kmz(staged_kmz, s.loss_db, output::loss_ramp(), "dxplan path loss " + f.site);
    if (!f.png.empty()) output::write_png_over_hillshade(staged_png, s.loss_db, output::loss_ramp(), s.terrain);
    throw_if_cancelled(&cancel_token());
    outputs.publish("coverage");
    std::printf("wrote %s: %d x %d pixels, %zu inside %.3g km, model %s, mode %s, %zu model calls, %.3f s\n",
                f.out.c_str(), s.rows, s.cols, s.pixels, f.radius_km, f.model.c_str(), f.mode.c_str(), s.model_calls,
                s.compute_s);
}

}  // namespace

void add_coverage_command(CLI::App& app) {
    auto flags = std::make_shared<CoverageFlags>();
    CLI::App* cmd = app.add_subcommand(
        "coverage", "Path-loss map of one site over a DEM, without a scenario file (GeoTIFF float32, dB)");
    cmd->footer(
        "Example (Mt Fuji area, SRTM 3\" tile, 20 km at 1\"):\n"
        "  dxplan coverage --dem N35E138.hgt --site 35.5,138.6 --tx-height-m 30 --rx-height-m 1.5 \\\n"
        "      --freq-mhz 920 --radius-km 20 --resolution-arcsec 1 --model itm --out loss.tif\n"
        "Pixels outside the radius are nodata (-9999). ITM uses the SPLAT!/Signal-Server defaults: climate 5,\n"
        "N0 301, epsilon 15, sigma 0.005 S/m, vertical polarization, mdvar 12, time/location/situation 50 %.\n"
        "--mode exact computes every pixel over its own profile (the reference); fast (default) sweeps radials\n"
        "and evaluates each pixel on its nearest radial (see libsim/coverage/site_loss.hpp and the README's\n"
        "Performance section).");
    cmd->add_option("--dem", flags->dem, "DEM raster readable by GDAL (SRTM .hgt, GeoTIFF, ...)")->required();
    cmd->add_option("--site", flags->site, "transmitter position LAT,LON in degrees, e.g. 35.5,138.6")->required();
    cmd->add_option("--tx-height-m", flags->h_tx_m, "transmitter antenna height above ground, m")->required();
    cmd->add_option("--rx-height-m", flags->h_rx_m, "receiver antenna height above ground, m")->required();
    cmd->add_option("--freq-mhz", flags->f_mhz, "frequency, MHz")->required();
    cmd->add_option("--radius-km", flags->radius_km, "radius of the map, km (<= 300)")->required();
    cmd->add_option("--resolution-arcsec", flags->resolution_arcsec, "pixel size in arc-seconds, e.g. 1 or 3");
    cmd->add_option("--resolution-m", flags->resolution_m, "pixel size in metres (instead of arc-seconds)");
    cmd->add_option("--model", flags->model, "propagation model name (see `dxplan loss --list`), default itm");
    cmd->add_option("--mode", flags->mode, "fast (radial sweep, default) or exact (per-pixel profile)");
    cmd->add_option("--threads", flags->threads, "OpenMP threads, 1-1024 (default: all cores)")->check(CLI::Range(1, 1024));
    cmd->add_option("--out", flags->out, "output GeoTIFF, written atomically")->required();
    cmd->add_option("--kmz", flags->kmz, "also write a Google Earth overlay with a legend (KMZ)");
    cmd->add_option("--png", flags->png, "also write a quick-look PNG over a hillshade");
    cmd->add_option("--rx-clutter", flags->rx_clutter,
                    "land-cover raster (e.g. JAXA HRLULC GeoTIFF): each receiver at max(--rx-height-m, the clutter "
                    "height of its class), e.g. antennas above the trees");
    cmd->add_option("--clutter-table", flags->clutter_table,
                    "CSV class_id,jaxa_name,category,clutter_height_m,height_source for --rx-clutter (default: "
                    "models/landcover/jaxa_hrlulc.csv)");
    cmd->callback([flags] { run(*flags); });
}

}  // namespace dxplan::cli
