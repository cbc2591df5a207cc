// Coverage solver: exact mode against the model on geo's extracted profile, analytic maps on flat terrain, the
// incremental ITM geometry against itm_analyze_profile, best server / SINR by hand, GeoTIFF georeferencing,
// bit-identical results across thread counts, and the CLI's contract.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <cpl_string.h>
#include <cpl_vsi.h>
#include <H5Cpp.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <omp.h>

#include "libsim/core/simd.hpp"
#include "libsim/core/units.hpp"
#include "libsim/coverage/dem_line.hpp"
#include "libsim/coverage/grid.hpp"
#include "libsim/coverage/itm_radial.hpp"
#include "libsim/coverage/multi_site.hpp"
#include "libsim/coverage/single_site.hpp"
#include "libsim/coverage/site_loss.hpp"
#include "libsim/coverage/stats.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/output/coverage_h5.hpp"
#include "models/propagation/itm_batch.hpp"
#include "libsim/output/kmz.hpp"
#include "libsim/output/png.hpp"
#include "libsim/terrain/raster_io.hpp"
#include "models/propagation/free_space.hpp"
#include "models/propagation/itm.hpp"
#include "models/propagation/two_ray.hpp"
#include "tests/test_paths.hpp"

using namespace dxplan;
using namespace dxplan::coverage;
namespace fs = std::filesystem;

namespace {

const LatLon kSite{35.5, 138.6};

// A 3" DEM of 0.3 x 0.3 degrees around kSite: flat at `base_m`, plus hills when `hills`.
Terrain synthetic(bool hills, double base_m = 100.0) {
    GeoGrid g;
    g.rows = g.cols = 361;
    g.dlat_deg = g.dlon_deg = 3.0 / 3600.0;
    g.north_deg = kSite.lat_deg + 0.15;
    g.west_deg = kSite.lon_deg - 0.15;
    g.values.resize(static_cast<std::size_t>(g.rows) * g.cols);
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c)
            g.values[static_cast<std::size_t>(r) * g.cols + c] = static_cast<float>(
                base_m + (hills ? 180.0 * std::sin(r * 0.11) * std::cos(c * 0.07) + 60.0 * std::sin(c * 0.31 + r * 0.05)
                                : 0.0));
    return Terrain(std::move(g));
}

SiteLossSpec itm_spec(double radius_m, Mode mode) {
    SiteLossSpec s;
    s.site = kSite;
    s.h_tx_m = 30.0;
    s.h_rx_m = 1.5;
    s.radius_m = radius_m;
    s.model = "itm";
    s.params.f_mhz = 920.0;
    s.mode = mode;
    return s;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

struct Run {
    int exit_code = -1;
    std::string err;
};

Run run_cli(const std::string& args) {
    const fs::path err = fs::temp_directory_path() / ("dxplan_cov_err_" + std::to_string(::getpid()));
    const std::string cmd = dxplan::test::dxplan_binary().string() + " " + args + " >/dev/null 2>" + err.string();
    const int status = std::system(cmd.c_str());
    Run r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err);
    std::stringstream ss;
    ss << in.rdbuf();
    r.err = ss.str();
    fs::remove(err);
    return r;
}

}  // namespace

TEST_CASE("site frame inverts itself and matches the geodesic distance", "[coverage]") {
    const SiteFrame f(kSite);
    for (double az_deg : {0.0, 37.0, 90.0, 181.0, 300.0}) {
        for (double d_m : {100.0, 5000.0, 20000.0}) {
            const LatLon p = f.at(deg_to_rad(az_deg), d_m);
            double d2 = 0.0, az2 = 0.0;
            f.to_polar(p, d2, az2);
            CHECK(d2 == Approx(d_m).margin(1e-3));  // 1 mm
            CHECK(rad_to_deg(az2) == Approx(az_deg).margin(1e-6));
            CHECK(geodesic_inverse(kSite, p).d_m == Approx(d_m).margin(0.2));  // mid-latitude formula: 0.2 m at 20 km
            // The geodesic midpoint, within 5 cm (1e-6 deg of latitude is 11 cm).
            const GeodesicInverse gi = geodesic_inverse(kSite, p);
            const LatLon mid_ref = geodesic_direct(kSite, gi.az1_deg, 0.5 * gi.d_m);
            const LatLon mid = f.midpoint(p);
            CHECK(geodesic_inverse(mid, mid_ref).d_m < 0.05);  // m
        }
    }
}

TEST_CASE("exact mode equals ITM on the profile geo extracts for each sampled pixel", "[coverage]") {
    auto check = [](const Terrain& terrain, double radius_m, double arcsec) {
        const GeoGrid grid = make_receiver_grid(kSite, radius_m, {arcsec, 0.0});
        const SiteLoss exact = compute_site_loss(terrain, itm_spec(radius_m, Mode::exact), grid);
        double dy = 0.0, dx = 0.0;
        pixel_size_m(grid, dy, dx);
        const double spacing_m = std::min(terrain.native_spacing_m(), dy);
        const prop::ModelInfo& itm = prop::find_model("itm");
        std::size_t compared = 0, skipped = 0, over = 0;
        double worst_db = 0.0;
        for (int r = 0; r < grid.rows; r += 5) {
            for (int c = 0; c < grid.cols; c += 5) {
                const float v = exact.loss_db.at(r, c);
                const LatLon px{grid.north_deg - r * grid.dlat_deg, grid.west_deg + c * grid.dlon_deg};
                const double d_m = geodesic_inverse(kSite, px).d_m;
                if (d_m > radius_m - 1.0) continue;  // on the rim the two distances may disagree about inside
                REQUIRE_FALSE(std::isnan(v));
                if (d_m < 200.0) continue;
                const Profile p = extract_profile(terrain, kSite, px, spacing_m);
                // The solver's n comes from its own distance; where ceil() flips between the two, skip.
                double d_frame = 0.0, az = 0.0;
                SiteFrame(kSite).to_polar(px, d_frame, az);
                if (static_cast<std::size_t>(std::ceil(d_frame / spacing_m)) + 1 != p.z_m.size()) {
                    ++skipped;
                    continue;
                }
                prop::LossQuery q;  // the registry path, as `dxplan loss` takes it
                q.f_mhz = 920.0;
                q.h_tx_m = 30.0;
                q.h_rx_m = 1.5;
                q.d_m = p.length_m();
                q.profile = p;
                const double diff_db = std::abs(prop::compute_loss(itm, q).loss_db - v);
                worst_db = std::max(worst_db, diff_db);
                if (diff_db > 0.05) ++over;  // dB
                ++compared;
            }
        }
        std::cout << "exact vs geo profile + ITM: " << compared << " pixels compared, " << skipped
                  << " skipped (n differs), " << over << " over 0.05 dB, worst " << worst_db << " dB\n";
        REQUIRE(compared > 100);
        REQUIRE(skipped * 50 < compared);
        // The solver's sample positions are within 0.1 m of geo's geodesic ones (heights within a few cm), and ITM
        // jumps where a horizon or a fit boundary ties, so a few pixels differ by more than 0.05 dB: at most 3 %.
        CHECK(over * 100 <= 3 * compared);
    };
    check(synthetic(true), 6000.0, 3.0);
    if (dxplan::test::have_shared()) {
        const fs::path dem = dxplan::test::terrain_dir() / "N35E138.hgt";
        TerrainOptions o;
        o.aoi = make_receiver_grid(kSite, 4000.0, {1.0, 0.0}).bounds();
        const fs::path files[] = {dem};
        check(load_terrain(files, o), 4000.0, 1.0);
    } else {
        std::cout << "../shared absent: N35E138 part skipped\n";
    }
}

TEST_CASE("flat terrain gives the analytic free-space and two-ray maps", "[coverage]") {
    const Terrain flat = synthetic(false);
    const GeoGrid grid = make_receiver_grid(kSite, 8000.0, {0.0, 100.0});
    for (const char* model : {"free-space", "two-ray"}) {
        for (Mode mode : {Mode::fast, Mode::exact}) {
            SiteLossSpec s = itm_spec(8000.0, mode);
            s.model = model;
            const SiteLoss loss = compute_site_loss(flat, s, grid);
            std::size_t checked = 0;
            for (int r = 0; r < grid.rows; r += 3) {
                for (int c = 0; c < grid.cols; c += 3) {
                    const LatLon px{grid.north_deg - r * grid.dlat_deg, grid.west_deg + c * grid.dlon_deg};
                    const double d_m = geodesic_inverse(kSite, px).d_m;
                    if (d_m > 7999.0 || d_m < 1.0) continue;
                    double ref_db = 0.0;
                    if (std::string(model) == "free-space") {
                        ref_db = prop::free_space_loss_db(920.0, std::hypot(d_m, 30.0 - 1.5));  // P.525 eq. (8), 3D
                    } else {
                        prop::TwoRayInput in;
                        in.f_mhz = 920.0;
                        in.d_m = d_m;
                        ref_db = prop::two_ray_loss(in).loss_db;
                    }
                    CHECK(loss.loss_db.at(r, c) == Approx(ref_db).margin(0.01));  // dB (distance within 0.2 m)
                    ++checked;
                }
            }
            std::cout << model << " " << to_string(mode) << ": " << checked << " pixels checked\n";
            REQUIRE(checked > 500);
        }
    }
    // ITM over flat ground: the fast sweep and exact agree closely (no terrain under the radial offset).
    const SiteLoss fast = compute_site_loss(flat, itm_spec(8000.0, Mode::fast), grid);
    const SiteLoss exact = compute_site_loss(flat, itm_spec(8000.0, Mode::exact), grid);
    double worst_db = 0.0;
    for (std::size_t i = 0; i < fast.loss_db.values.size(); ++i) {
        const float a = fast.loss_db.values[i], b = exact.loss_db.values[i];
        REQUIRE(std::isnan(a) == std::isnan(b));
        if (!std::isnan(a)) worst_db = std::max(worst_db, static_cast<double>(std::abs(a - b)));
    }
    std::cout << "ITM flat, fast vs exact: worst " << worst_db << " dB\n";
    CHECK(worst_db < 0.5);  // dB
}

TEST_CASE("incremental ITM geometry equals itm_analyze_profile on the radial's prefixes", "[coverage]") {
    const Terrain t = synthetic(true);
    const SiteFrame f(kSite);
    const double x_m = t.native_spacing_m();
    const int k_last = 120;
    std::vector<double> z(k_last + 1);
    for (double az_deg : {10.0, 100.0, 222.0}) {
        for (int k = 0; k <= k_last; ++k) z[static_cast<std::size_t>(k)] = t.height_m(f.at(deg_to_rad(az_deg), k * x_m));
        ItmRadialGeometry state;
        const std::vector<double> no_table;  // delta_h is passed in below
        state.reset(z.data(), k_last, x_m, 30.0, 301.0, no_table, 1);
        int checked = 0, ties = 0;
        for (int m = 0; m < k_last; ++m) {
            if (m >= 1) state.add_obstacle(m);
            const ProfileView view(x_m, {z.data(), static_cast<std::size_t>(m) + 2});
            const prop::ItmTerrainGeometry ref = prop::itm_analyze_profile(view, 30.0, 1.5, 301.0);
            const double h_sys[1] = {state.mean_height_m(m, z[static_cast<std::size_t>(m) + 1])};
            double n_s[1], gamma[1];
            prop::itm_refractivity_batch(h_sys, 301.0, n_s, gamma);
            const prop::ItmTerrainGeometry g =
                state.geometry(m, (m + 1) * x_m, z[static_cast<std::size_t>(m) + 1], 1.5, ref.delta_h_m, n_s[0], gamma[0]);
            INFO("az " << az_deg << " m " << m);
            CHECK(g.d_m == Approx(ref.d_m));
            CHECK(g.N_s == Approx(ref.N_s).epsilon(1e-12));
            CHECK(g.gamma_e_per_m == Approx(ref.gamma_e_per_m).epsilon(1e-12));
            // A fit boundary on an exact sample index may truncate either way (NTIA sums distances; see itm.hpp).
            const double b0 = 0.9 * ref.d_hzn_m[0] / x_m, b1 = (ref.d_m - 0.9 * ref.d_hzn_m[1]) / x_m;
            const bool tie = std::abs(b0 - std::round(b0)) < 1e-6 || std::abs(b1 - std::round(b1)) < 1e-6;
            for (int j = 0; j < 2; ++j) {
                CHECK(g.d_hzn_m[j] == Approx(ref.d_hzn_m[j]).epsilon(1e-9));
                CHECK(g.theta_hzn[j] == Approx(ref.theta_hzn[j]).epsilon(1e-9).margin(1e-12));
                if (!tie) CHECK(g.h_e_m[j] == Approx(ref.h_e_m[j]).epsilon(1e-9).margin(1e-9));
            }
            ties += tie ? 1 : 0;  // sample indices that are multiples of 10 (0.9 i integer) or d with no horizon
            ++checked;
        }
        REQUIRE(checked == k_last);
        CHECK(ties * 2 < checked);  // h_e compared on most prefixes
    }
}

// The DEM line sampling has x86 kernels next to its portable loop (dem_line_x86.cpp, dem_line.cpp); every one must
// give the bits of the scalar definition written out here, so results do not depend on the CPU: checked with the
// widest kernel this build and CPU run and with the portable loop (forced scalar). The ITM profile kernels are
// checked the same way in tests/unit/propagation/test_itm_batch.cpp.
TEST_CASE("the DEM line kernels give the bits of their scalar definition", "[coverage][simd]") {
    const SimdKernel limit = GENERATE(SimdKernel::avx512, SimdKernel::scalar);
    const ScopedSimdLimit scoped(limit);
    std::mt19937 rng(11);  // fixed seed
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const int rows = 300, cols = 400;
    GeoGrid dem;
    dem.rows = rows;
    dem.cols = cols;
    dem.north_deg = 36.0;
    dem.west_deg = 138.0;
    dem.dlat_deg = dem.dlon_deg = 1.0 / 3600.0;
    dem.values.resize(static_cast<std::size_t>(rows) * cols);
    for (float& v : dem.values) v = static_cast<float>(500.0 + 300.0 * u(rng));
    const DemSampler sampler(dem);
    std::size_t samples = 0;
    for (int trial = 0; trial < 200; ++trial) {
        const LatLon p0{dem.north_deg - (1 + 297 * u(rng)) * dem.dlat_deg, dem.west_deg + (1 + 397 * u(rng)) * dem.dlon_deg};
        const LatLon p1{dem.north_deg - (1 + 297 * u(rng)) * dem.dlat_deg, dem.west_deg + (1 + 397 * u(rng)) * dem.dlon_deg};
        const LatLon pm{(p0.lat_deg + p1.lat_deg) / 2 + 1e-5 * (u(rng) - 0.5), (p0.lon_deg + p1.lon_deg) / 2};
        const int n = 1 + static_cast<int>(700 * u(rng));  // every tail length of the 8-wide kernels
        std::vector<double> z(static_cast<std::size_t>(n) + 1);
        if (!sampler.line(p0, pm, p1, n, z.data())) continue;
        // dem_line.hpp's definition: bilinear at the quadratic through p0, pm, p1 in grid coordinates, t = j / n,
        // in single precision (the coefficients computed in double, then rounded).
        const double r0 = (dem.north_deg - p0.lat_deg) / dem.dlat_deg, c0 = (p0.lon_deg - dem.west_deg) / dem.dlon_deg;
        const double rm = (dem.north_deg - pm.lat_deg) / dem.dlat_deg, cm = (pm.lon_deg - dem.west_deg) / dem.dlon_deg;
        const double r1 = (dem.north_deg - p1.lat_deg) / dem.dlat_deg, c1 = (p1.lon_deg - dem.west_deg) / dem.dlon_deg;
        const auto to_f = [](double v) { return static_cast<float>(v); };
        const float ra = to_f(r0), rb = to_f(4 * rm - 3 * r0 - r1), rc = to_f(2 * r0 + 2 * r1 - 4 * rm);
        const float ca = to_f(c0), cb = to_f(4 * cm - 3 * c0 - c1), cc = to_f(2 * c0 + 2 * c1 - 4 * cm);
        const float dt = 1.0f / static_cast<float>(n);
        for (int j = 0; j <= n; ++j) {
            const float t = static_cast<float>(j) * dt;
            const float r = ra + t * (rb + t * rc), c = ca + t * (cb + t * cc);
            const int ri = std::min(std::max(static_cast<int>(r), 0), rows - 2);
            const int ci = std::min(std::max(static_cast<int>(c), 0), cols - 2);
            const float fr = std::min(std::max(r - static_cast<float>(ri), 0.0f), 1.0f);
            const float fc = std::min(std::max(c - static_cast<float>(ci), 0.0f), 1.0f);
            const auto at = [&](int a, int b) { return dem.values[static_cast<std::size_t>(a) * cols + b]; };
            const float gc = 1.0f - fc, gr = 1.0f - fr;
            const double expect = gr * (gc * at(ri, ci) + fc * at(ri, ci + 1)) + fr * (gc * at(ri + 1, ci) + fc * at(ri + 1, ci + 1));
            REQUIRE(z[static_cast<std::size_t>(j)] == expect);  // bit for bit
            ++samples;
        }
    }
    std::cout << "DEM line kernel (kernels up to " << simd_kernel_name(limit) << "): " << samples
              << " samples bit-identical\n";
    REQUIRE(samples > 20000);
}

TEST_CASE("best server and SINR of two co-channel sites match a hand computation", "[coverage]") {
    const Terrain flat = synthetic(false);
    MultiSiteSpec spec;
    spec.technologies.push_back(link::load_technology("halow-jp-1mhz"));
    spec.sites = {{"A", {35.5, 138.55}, 20.0, 0, 0, {}}, {"B", {35.5, 138.65}, 20.0, 0, 0, {}}};
    spec.grid = make_receiver_grid(kSite, 9000.0, {3.0, 0.0});
    spec.radius_m = 9000.0;
    spec.model = "free-space";
    const double f_mhz = spec.technologies[0].f_center_mhz;
    for (int channel_b : {0, 1}) {
        spec.sites[1].channel = channel_b;
        const CoverageMaps maps = compute_coverage(flat, spec);
        const TechnologyMaps& m = maps.technologies[0];
        const link::Budget& dl = m.downlink;
        std::size_t checked = 0;
        for (int r = 0; r < spec.grid.rows; r += 4) {
            for (int c = 0; c < spec.grid.cols; c += 4) {
                const LatLon px{spec.grid.north_deg - r * spec.grid.dlat_deg, spec.grid.west_deg + c * spec.grid.dlon_deg};
                double p_dbm[2], d_m[2];
                for (int s = 0; s < 2; ++s) {
                    d_m[s] = geodesic_inverse(spec.sites[static_cast<std::size_t>(s)].pos, px).d_m;
                    const double loss_db = prop::free_space_loss_db(f_mhz, std::hypot(d_m[s], 20.0 - 1.5));  // P.525
                    p_dbm[s] = dl.eirp_dbm + dl.rx_gain_dbi - dl.rx_cable_loss_db - dl.body_loss_db - loss_db;
                }
                if (std::abs(d_m[0] - 9000.0) < 1.0 || std::abs(d_m[1] - 9000.0) < 1.0 ||
                    std::abs(p_dbm[0] - p_dbm[1]) < 1e-3)
                    continue;  // on a rim or a tie
                const std::size_t i = static_cast<std::size_t>(r) * spec.grid.cols + c;
                const bool in0 = d_m[0] <= 9000.0, in1 = d_m[1] <= 9000.0;
                if (!in0 && !in1) {
                    CHECK(m.best_server[i] == kNone);
                    continue;
                }
                const int best = (in0 && (!in1 || p_dbm[0] > p_dbm[1])) ? 0 : 1;
                const int other = 1 - best;
                const bool interferes = channel_b == 0 && (other == 0 ? in0 : in1);
                const double n_mw = std::pow(10.0, dl.noise_floor_dbm / 10.0);
                const double i_mw = interferes ? std::pow(10.0, p_dbm[other] / 10.0) : 0.0;
                const double sinr_db = p_dbm[best] - 10.0 * std::log10(n_mw + i_mw);
                CHECK(m.best_server[i] == best);
                CHECK(m.rx_power_dbm.values[i] == Approx(p_dbm[best]).margin(0.01));  // dB
                CHECK(m.snr_db.values[i] == Approx(p_dbm[best] - dl.noise_floor_dbm).margin(0.01));
                CHECK(m.sinr_db.values[i] == Approx(sinr_db).margin(0.01));
                const link::Mode* mode = link::best_mode(dl, sinr_db - dl.fade_margin_db - dl.interference_margin_db);
                CHECK(m.dl_mode[i] == (mode ? static_cast<int>(mode - dl.modes.data()) : -1));
                ++checked;
            }
        }
        std::cout << "two sites, channel B " << channel_b << ": " << checked << " pixels checked\n";
        REQUIRE(checked > 1000);

        std::vector<DemandPoint> demand = {{"h1", {35.5, 138.55}, "household"}, {"h2", {35.5, 138.65}, "household"},
                                           {"f1", {35.0, 138.0}, "facility"}};  // f1 outside the grid
        const auto stats = coverage_statistics(maps, spec, demand);
        REQUIRE(stats.size() == 1);
        CHECK(stats[0].covered_km2 <= stats[0].aoi_km2);
        CHECK(stats[0].covered_share == Approx(stats[0].covered_km2 / stats[0].aoi_km2));
        REQUIRE(stats[0].demand.size() == 1);
        CHECK(stats[0].demand[0].total == 2);
        CHECK(stats[0].demand[0].covered == 2);
        CHECK(stats[0].sites[0].demand_covered + stats[0].sites[1].demand_covered == 2);
    }
}

TEST_CASE("the GeoTIFF's georeferencing round-trips through GDAL", "[coverage]") {
    const fs::path dir = fs::temp_directory_path() / ("dxplan_test_coverage_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    write_geotiff_f32(dir / "dem.tif", synthetic(true).grid(), -32768.0f);
    SingleSiteJob job;
    job.dem_files = {dir / "dem.tif"};
    job.spec = itm_spec(3000.0, Mode::fast);
    job.resolution = {2.0, 0.0};
    job.out_tif = dir / "loss.tif";
    run_single_site(job);
    const GeoGrid grid = make_receiver_grid(kSite, 3000.0, {2.0, 0.0});
    TerrainOptions topt;
    topt.aoi = grid.bounds();
    const SiteLoss ref = compute_site_loss(load_terrain(job.dem_files, topt), job.spec, grid);

    GDALAllRegister();
    GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen((dir / "loss.tif").c_str(), GA_ReadOnly));
    REQUIRE(ds != nullptr);
    double gt[6];
    REQUIRE(ds->GetGeoTransform(gt) == CE_None);
    CHECK(ds->GetRasterXSize() == grid.cols);
    CHECK(ds->GetRasterYSize() == grid.rows);
    CHECK(gt[0] == Approx(grid.west_deg - grid.dlon_deg / 2).margin(1e-12));  // deg: pixel-is-area edges
    CHECK(gt[3] == Approx(grid.north_deg + grid.dlat_deg / 2).margin(1e-12));
    CHECK(gt[1] == Approx(2.0 / 3600.0).epsilon(1e-12));
    CHECK(gt[5] == Approx(-2.0 / 3600.0).epsilon(1e-12));
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    REQUIRE(srs != nullptr);
    CHECK(std::string(srs->GetAuthorityCode(nullptr)) == "4326");
    GDALRasterBand* band = ds->GetRasterBand(1);
    CHECK(band->GetRasterDataType() == GDT_Float32);
    int has_nodata = 0;
    CHECK(band->GetNoDataValue(&has_nodata) == kGeoTiffNodata);
    CHECK(has_nodata == 1);
    std::vector<float> v(static_cast<std::size_t>(grid.rows) * grid.cols);
    REQUIRE(band->RasterIO(GF_Read, 0, 0, grid.cols, grid.rows, v.data(), grid.cols, grid.rows, GDT_Float32, 0, 0,
                           nullptr) == CE_None);
    GDALClose(ds);
    std::size_t inside = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (std::isnan(ref.loss_db.values[i])) {
            CHECK(v[i] == kGeoTiffNodata);
        } else {
            CHECK(v[i] == ref.loss_db.values[i]);
            ++inside;
        }
    }
    CHECK(inside == ref.pixels);
    fs::remove_all(dir);
}

TEST_CASE("receiver height from land-cover clutter: the clutter height where it exceeds h_rx", "[coverage]") {
    const Terrain t = synthetic(true);
    const GeoGrid grid = make_receiver_grid(kSite, 5000.0, {3.0, 0.0});
    // Land cover on a 0.01 deg lattice: class 1 (12 m clutter) west of lon_site - 0.005, class 2 (0 m) east of it.
    GeoGrid layout;
    layout.rows = layout.cols = 31;
    layout.dlat_deg = layout.dlon_deg = 0.01;
    layout.north_deg = kSite.lat_deg + 0.15;
    layout.west_deg = kSite.lon_deg - 0.15;
    std::vector<std::uint8_t> classes(static_cast<std::size_t>(layout.rows) * layout.cols);
    for (int r = 0; r < layout.rows; ++r)
        for (int c = 0; c < layout.cols; ++c) classes[static_cast<std::size_t>(r) * layout.cols + c] = c < 15 ? 1 : 2;
    const LandCover cover(layout, classes,
                          ClutterTable({{1, "tall", ClutterCategory::urban, 12.0, "test"},
                                        {2, "bare", ClutterCategory::open, 0.0, "test"}}),
                          "synthetic");
    for (Mode mode : {Mode::exact, Mode::fast}) {
        SiteLossSpec s = itm_spec(5000.0, mode);
        s.rx_clutter = &cover;
        const SiteLoss with = compute_site_loss(t, s, grid);
        const SiteLoss low = compute_site_loss(t, itm_spec(5000.0, mode), grid);  // 1.5 m everywhere
        SiteLossSpec s12 = itm_spec(5000.0, mode);
        s12.h_rx_m = 12.0;
        const SiteLoss high = compute_site_loss(t, s12, grid);
        std::size_t west = 0, east = 0, west_equal_high = 0, west_differ_low = 0;
        for (int r = 0; r < grid.rows; ++r) {
            for (int c = 0; c < grid.cols; ++c) {
                const double lon_deg = grid.west_deg + c * grid.dlon_deg;
                const float v = with.loss_db.at(r, c);
                if (std::isnan(v) || std::abs(lon_deg - (kSite.lon_deg - 0.005)) < 0.002) continue;  // class boundary
                if (lon_deg > kSite.lon_deg - 0.005) {  // class 2: 0 m clutter, the receiver stays at 1.5 m
                    CHECK(v == low.loss_db.at(r, c));
                    ++east;
                } else {  // class 1: 12 m
                    west_equal_high += v == high.loss_db.at(r, c);
                    west_differ_low += v != low.loss_db.at(r, c);
                    ++west;
                }
            }
        }
        std::cout << "clutter rx height, " << to_string(mode) << ": " << west << " pixels at 12 m (" << west_equal_high
                  << " equal to a 12 m run), " << east << " at 1.5 m\n";
        REQUIRE(west > 1000);
        REQUIRE(east > 1000);
        CHECK(west_differ_low * 10 > west * 9);  // the taller receiver changes the loss
        // exact: the same as a run at 12 m; fast: its delta_h tables keep the 1.5 m receiver foreground.
        if (mode == Mode::exact) CHECK(west_equal_high == west);
    }
}

TEST_CASE("results are bit-identical with 1 and 2 threads", "[coverage]") {
    const Terrain t = synthetic(true);
    const GeoGrid grid = make_receiver_grid(kSite, 7000.0, {3.0, 0.0});
    MultiSiteSpec spec;
    spec.technologies.push_back(link::load_technology("halow-jp-1mhz"));
    spec.sites = {{"A", {35.48, 138.57}, 25.0, 0, 0, {}}, {"B", {35.52, 138.63}, 25.0, 0, 0, {}}, {"C", {35.5, 138.6}, 25.0, 0, 1, {}}};
    spec.grid = grid;
    spec.radius_m = 5000.0;
    std::vector<std::vector<float>> runs[2];
    for (int threads : {1, 2}) {
        omp_set_num_threads(threads);
        auto& out = runs[threads - 1];
        out.push_back(compute_site_loss(t, itm_spec(7000.0, Mode::fast), grid).loss_db.values);
        out.push_back(compute_site_loss(t, itm_spec(7000.0, Mode::exact), grid).loss_db.values);
        const CoverageMaps maps = compute_coverage(t, spec);
        const TechnologyMaps& m = maps.technologies[0];
        out.push_back(m.rx_power_dbm.values);
        out.push_back(m.sinr_db.values);
        out.push_back(m.dl_throughput_mbps.values);
        out.push_back(std::vector<float>(m.best_server.begin(), m.best_server.end()));
    }
    omp_set_num_threads(2);
    REQUIRE(runs[0].size() == runs[1].size());
    for (std::size_t k = 0; k < runs[0].size(); ++k) {
        INFO("map " << k);
        CHECK(same_bits(runs[0][k], runs[1][k]));
    }
}

TEST_CASE("dxplan coverage: bad input exits 2 with one line, --help teaches", "[coverage][cli]") {
    const std::string ok = "--dem /nonexistent.hgt --site 35.5,138.6 --tx-height-m 30 --rx-height-m 1.5 --freq-mhz 920 "
                           "--radius-km 5 --resolution-arcsec 3 --model itm --out /tmp/dxplan_cov_never.tif";
    for (const std::string& args :
         {ok, ok + " --mode fastest", std::string("--site 35.5 --dem x --tx-height-m 30 --rx-height-m 1.5 --freq-mhz 920 "
                                                  "--radius-km 5 --resolution-arcsec 3 --out x.tif"),
          ok + " --radius-km -1", ok + " --model nosuch", ok + " --resolution-m 30",
          ok + " --clutter-table /nonexistent.csv"}) {
        INFO(args);
        const Run r = run_cli("coverage " + args);
        CHECK(r.exit_code == 2);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    CHECK(run_cli("coverage " + ok + " --clutter-table /nonexistent.csv").err.find("--clutter-table needs --rx-clutter") !=
          std::string::npos);
    CHECK_FALSE(fs::exists("/tmp/dxplan_cov_never.tif"));
    const std::string help_file = (fs::temp_directory_path() / "dxplan_cov_help.txt").string();
    REQUIRE(std::system((dxplan::test::dxplan_binary().string() + " coverage --help > " + help_file).c_str()) == 0);
    std::ifstream in(help_file);
    std::stringstream ss;
    ss << in.rdbuf();
    CHECK(ss.str().find("Example") != std::string::npos);
    CHECK(ss.str().find("--resolution-arcsec") != std::string::npos);
}

TEST_CASE("dxplan coverage --rx-clutter: receivers above the clutter on real land cover", "[coverage][cli]") {
    const fs::path dem = dxplan::test::terrain_dir() / "N35E138.hgt";
    const fs::path lc = dxplan::test::terrain_dir() / "JAXA_HRLULC_Japan_v23.12_250m.tif";
    if (!fs::exists(dem) || !fs::exists(lc)) {
        WARN("skipped: ../shared/data/terrain (N35E138.hgt, JAXA land cover) is absent");
        return;
    }
    const fs::path dir = fs::temp_directory_path() / ("dxplan_test_rxclutter_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string base = "coverage --dem " + dem.string() + " --site 35.62,138.57 --tx-height-m 30 --rx-height-m 1.5 "
                             "--freq-mhz 920 --radius-km 3 --resolution-arcsec 3 --model itm --mode exact --out ";
    REQUIRE(run_cli(base + (dir / "plain.tif").string()).exit_code == 0);
    REQUIRE(run_cli(base + (dir / "clutter.tif").string() + " --rx-clutter " + lc.string()).exit_code == 0);
    GDALAllRegister();
    const auto read = [](const fs::path& f) {
        GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(f.c_str(), GA_ReadOnly));
        REQUIRE(ds != nullptr);
        std::vector<float> v(static_cast<std::size_t>(ds->GetRasterXSize()) * ds->GetRasterYSize());
        REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, ds->GetRasterXSize(), ds->GetRasterYSize(), v.data(),
                                               ds->GetRasterXSize(), ds->GetRasterYSize(), GDT_Float32, 0, 0,
                                               nullptr) == CE_None);
        GDALClose(ds);
        return v;
    };
    const std::vector<float> plain = read(dir / "plain.tif"), clutter = read(dir / "clutter.tif");
    REQUIRE(plain.size() == clutter.size());
    std::size_t higher_rx = 0, inside = 0;
    for (std::size_t i = 0; i < plain.size(); ++i) {
        if (plain[i] == kGeoTiffNodata) continue;
        ++inside;
        higher_rx += clutter[i] != plain[i] ? 1 : 0;
    }
    std::cout << "--rx-clutter: " << higher_rx << " of " << inside << " pixels raised above the clutter\n";
    CHECK(higher_rx > 0);       // Kofu city: built-up and trees taller than 1.5 m
    CHECK(higher_rx < inside);  // paddies and bare land keep 1.5 m

    const Run bad = run_cli(base + (dir / "never.tif").string() + " --rx-clutter " + (dir / "nosuch_lc.tif").string());
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("nosuch_lc.tif") != std::string::npos);
    CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(dir / "never.tif"));
    fs::remove_all(dir);
}

TEST_CASE("KMZ overlay with legend and PNG quick-look are readable", "[coverage][output]") {
    const fs::path dir = fs::temp_directory_path() / ("dxplan_test_kmz_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const Terrain t = synthetic(true);
    const GeoGrid grid = make_receiver_grid(kSite, 3000.0, {3.0, 0.0});
    const SiteLoss loss = compute_site_loss(t, itm_spec(3000.0, Mode::fast), grid);
    output::write_kmz(dir / "loss.kmz", loss.loss_db, output::loss_ramp(), "test <map>");
    output::write_png_over_hillshade(dir / "loss.png", loss.loss_db, output::loss_ramp(), t);
    GDALAllRegister();
    char** entries = VSIReadDir(("/vsizip/" + (dir / "loss.kmz").string()).c_str());
    REQUIRE(entries != nullptr);
    REQUIRE(CSLCount(entries) == 3);
    CHECK(std::string(entries[0]) == "doc.kml");  // KMZ: the root document comes first
    CSLDestroy(entries);
    GDALDataset* overlay = static_cast<GDALDataset*>(GDALOpen(("/vsizip/" + (dir / "loss.kmz").string() + "/overlay.png").c_str(), GA_ReadOnly));
    REQUIRE(overlay != nullptr);
    CHECK(overlay->GetRasterXSize() == grid.cols);
    CHECK(overlay->GetRasterYSize() == grid.rows);
    CHECK(overlay->GetRasterCount() == 4);
    GDALClose(overlay);
    VSILFILE* kml = VSIFOpenL(("/vsizip/" + (dir / "loss.kmz").string() + "/doc.kml").c_str(), "rb");
    REQUIRE(kml != nullptr);
    std::string text(4096, '\0');
    text.resize(VSIFReadL(text.data(), 1, text.size(), kml));
    VSIFCloseL(kml);
    const GeoBox b = grid.bounds();
    std::ostringstream north;
    north.precision(10);
    north << "<north>" << b.north_deg << "</north>";
    CHECK(text.find(north.str()) != std::string::npos);
    CHECK(text.find("test &lt;map&gt;") != std::string::npos);
    CHECK(text.find("legend.png") != std::string::npos);
    GDALDataset* png = static_cast<GDALDataset*>(GDALOpen((dir / "loss.png").c_str(), GA_ReadOnly));
    REQUIRE(png != nullptr);
    CHECK(png->GetRasterXSize() == grid.cols);
    GDALClose(png);
    fs::remove_all(dir);
}

TEST_CASE("combined maps and statistics round-trip through HDF5", "[coverage][output]") {
    const fs::path file = fs::temp_directory_path() / ("dxplan_test_coverage_" + std::to_string(::getpid()) + ".h5");
    MultiSiteSpec spec;
    spec.technologies.push_back(link::load_technology("halow-jp-1mhz"));
    spec.sites = {{"A", {35.5, 138.57}, 20.0, 0, 0, {}}, {"B", {35.5, 138.63}, 20.0, 0, 0, {}}};
    spec.grid = make_receiver_grid(kSite, 5000.0, {3.0, 0.0});
    spec.radius_m = 4000.0;
    spec.model = "free-space";
    const CoverageMaps maps = compute_coverage(synthetic(false), spec);
    const auto stats = coverage_statistics(maps, spec, {});
    output::write_coverage_h5(file, maps, stats);
    H5::H5File f(file.string(), H5F_ACC_RDONLY);
    H5::DataSet sinr = f.openDataSet("/coverage/" + spec.technologies[0].name + "/sinr_db");
    hsize_t dims[2] = {0, 0};
    sinr.getSpace().getSimpleExtentDims(dims);
    CHECK(dims[0] == static_cast<hsize_t>(spec.grid.rows));
    CHECK(dims[1] == static_cast<hsize_t>(spec.grid.cols));
    std::vector<float> v(dims[0] * dims[1]);
    sinr.read(v.data(), H5::PredType::NATIVE_FLOAT);
    CHECK(same_bits(v, maps.technologies[0].sinr_db.values));
    std::vector<std::int16_t> best(v.size());
    f.openDataSet("/coverage/" + spec.technologies[0].name + "/best_server").read(best.data(), H5::PredType::NATIVE_INT16);
    CHECK(best == maps.technologies[0].best_server);
    double covered_km2 = 0.0;
    f.openGroup("/coverage/" + spec.technologies[0].name).openAttribute("covered_km2").read(H5::PredType::NATIVE_DOUBLE, &covered_km2);
    CHECK(covered_km2 == stats[0].covered_km2);
    f.close();
    fs::remove(file);
}

namespace {

// The pixel (row, col) of `grid` and its centre.
LatLon pixel_at(const GeoGrid& grid, int r, int c) { return {grid.north_deg - r * grid.dlat_deg, grid.west_deg + c * grid.dlon_deg}; }

// Elevation (deg) of a receiver h_rx_m above flat ground seen from an antenna h_tx_m above the same ground at
// ground distance d_m, with the ray's drop d / (2 k a), k = 4/3, a = 6371 km.
double elevation_flat_deg(double h_tx_m, double h_rx_m, double d_m) {
    return rad_to_deg(std::atan2(h_rx_m - h_tx_m, d_m) - d_m / (2.0 * (4.0 / 3.0) * 6371000.0));
}

}  // namespace

TEST_CASE("a sector antenna attenuates by TR 38.901 Table 7.3-1: boresight, 60 deg off, behind", "[coverage]") {
    const Terrain flat = synthetic(false);  // 100 m everywhere
    MultiSiteSpec spec;
    spec.technologies.push_back(link::load_technology("halow-jp-1mhz"));
    spec.grid = make_receiver_grid(kSite, 4000.0, {3.0, 0.0});
    spec.radius_m = 4000.0;
    spec.model = "free-space";
    // Test pixel P: 20 rows north and 20 columns east of the site (the site sits on a pixel centre).
    const int r0 = static_cast<int>(std::lround((spec.grid.north_deg - kSite.lat_deg) / spec.grid.dlat_deg));
    const int c0 = static_cast<int>(std::lround((kSite.lon_deg - spec.grid.west_deg) / spec.grid.dlon_deg));
    const LatLon p = pixel_at(spec.grid, r0 - 20, c0 + 20);
    const std::size_t ip = static_cast<std::size_t>(r0 - 20) * spec.grid.cols + (c0 + 20);
    const GeodesicInverse g = geodesic_inverse(kSite, p);
    // d = 2389 m (20 x 92.4 m north, 20 x 75.5 m east), bearing atan(1510 / 1848) = 39.3 deg.
    CHECK(g.d_m == Approx(2388.6).margin(1.0));
    CHECK(g.az1_deg == Approx(39.3).margin(0.2));
    // Elevation from 30 m to 1.5 m: atan(-28.5 / 2388.6) = -0.6836 deg, minus the drop 2388.6 / (2 * 4/3 * 6371 km)
    // = 1.406e-4 rad = 0.0081 deg: -0.6917 deg. With a downtilt of 3 deg the beam is 2.3083 deg above P:
    // A_V = 12 (2.3083 / 65)^2 = 0.01513 dB.
    const double el_deg = elevation_flat_deg(30.0, 1.5, g.d_m);
    CHECK(el_deg == Approx(-0.6917).margin(1e-3));
    const double a_v_db = 12.0 * std::pow((el_deg + 3.0) / 65.0, 2);  // TR 38.901 Table 7.3-1, theta_tilt = 3 deg
    CHECK(a_v_db == Approx(0.01513).margin(1e-4));

    spec.sites = {{"omni", kSite, 30.0, 0, 0, std::nullopt}};
    const CoverageMaps omni = compute_coverage(flat, spec);
    const double p_omni_dbm = omni.technologies[0].rx_power_dbm.values[ip];
    REQUIRE(std::isfinite(p_omni_dbm));
    // Expected attenuation with the boresight offset phi from P:
    //   phi = 0:   A_H = 0                                 -> A = A_V               = 0.0151 dB
    //   phi = 60:  A_H = min(12 (60/65)^2, 30) = 10.2249  -> A = A_H + A_V          = 10.2400 dB
    //   phi = 180: A_H = min(12 (180/65)^2, 30) = 30       -> A = min(30 + A_V, 30) = 30 dB (front-to-back)
    const double a_h60_db = 12.0 * (60.0 / 65.0) * (60.0 / 65.0);
    CHECK(a_h60_db == Approx(10.2249).margin(1e-4));
    const std::pair<double, double> cases[] = {{0.0, a_v_db}, {60.0, a_h60_db + a_v_db}, {180.0, 30.0}};
    for (const auto& [phi_deg, atten_db] : cases) {
        SiteAntenna ant;
        ant.azimuth_deg = std::fmod(g.az1_deg - phi_deg + 360.0, 360.0);
        ant.downtilt_deg = 3.0;
        spec.sites = {{"sector", kSite, 30.0, 0, 0, ant}};
        const CoverageMaps sec = compute_coverage(flat, spec);
        INFO("phi " << phi_deg << " deg");
        // The maps are float: 1e-3 dB covers their rounding and the site frame's azimuth (within 1e-5 of the geodesic).
        CHECK(p_omni_dbm - sec.technologies[0].rx_power_dbm.values[ip] == Approx(atten_db).margin(1e-3));
        std::cout << "sector, phi " << phi_deg << " deg: " << p_omni_dbm - sec.technologies[0].rx_power_dbm.values[ip]
                  << " dB below omni (hand " << atten_db << " dB)\n";
    }
    SiteAntenna bad;
    bad.azimuth_deg = 360.0;
    spec.sites = {{"bad", kSite, 30.0, 0, 0, bad}};
    CHECK_THROWS_WITH(compute_coverage(flat, spec), Catch::Contains("bad") && Catch::Contains("azimuth_deg"));
}

TEST_CASE("two back-to-back sectors on one mast split the plane and interfere through the back lobe", "[coverage]") {
    const Terrain flat = synthetic(false);
    MultiSiteSpec spec;
    spec.technologies.push_back(link::load_technology("halow-jp-1mhz"));
    spec.grid = make_receiver_grid(kSite, 4000.0, {3.0, 0.0});
    spec.radius_m = 4000.0;
    spec.model = "free-space";
    SiteAntenna east, west;
    east.azimuth_deg = 90.0;
    west.azimuth_deg = 270.0;
    spec.sites = {{"E", kSite, 30.0, 0, 0, east}, {"W", kSite, 30.0, 0, 0, west}};
    const CoverageMaps maps = compute_coverage(flat, spec);
    spec.sites = {{"omni", kSite, 30.0, 0, 0, std::nullopt}};
    const CoverageMaps omni = compute_coverage(flat, spec);
    const TechnologyMaps& m = maps.technologies[0];
    const int c0 = static_cast<int>(std::lround((kSite.lon_deg - spec.grid.west_deg) / spec.grid.dlon_deg));
    std::size_t east_px = 0, west_px = 0;
    for (int r = 0; r < spec.grid.rows; ++r)
        for (int c = 0; c < spec.grid.cols; ++c) {
            const std::size_t i = static_cast<std::size_t>(r) * spec.grid.cols + c;
            if (c == c0 || std::isnan(omni.technologies[0].rx_power_dbm.values[i])) continue;  // due N/S: a tie
            const int expected = c > c0 ? 0 : 1;  // east of the mast: sector E
            CHECK(m.best_server[i] == expected);
            (expected == 0 ? east_px : west_px) += 1;
        }
    std::cout << "back-to-back sectors: " << east_px << " pixels east, " << west_px << " west\n";
    REQUIRE(east_px > 1000);
    REQUIRE(west_px == east_px);
    // On E's boresight, 2 km east (row of the site): P_E = P_omni - A_V and W is seen through its back lobe,
    // P_W = P_omni - 30 dB (A_H = 30 caps the sum). SINR = P_E - 10 log10(N + P_W).
    const int r0 = static_cast<int>(std::lround((spec.grid.north_deg - kSite.lat_deg) / spec.grid.dlat_deg));
    const int c = c0 + 27;
    const std::size_t i = static_cast<std::size_t>(r0) * spec.grid.cols + c;
    const double d_m = geodesic_inverse(kSite, pixel_at(spec.grid, r0, c)).d_m;
    const double a_v_db = 12.0 * std::pow(elevation_flat_deg(30.0, 1.5, d_m) / 65.0, 2);  // no tilt
    const double p_omni_dbm = omni.technologies[0].rx_power_dbm.values[i];
    const double n_mw = std::pow(10.0, m.downlink.noise_floor_dbm / 10.0);
    const double sinr_db = (p_omni_dbm - a_v_db) - 10.0 * std::log10(n_mw + std::pow(10.0, (p_omni_dbm - 30.0) / 10.0));
    std::cout << "boresight pixel at " << d_m << " m: A_V " << a_v_db << " dB, SINR " << m.sinr_db.values[i]
              << " dB (hand " << sinr_db << " dB)\n";
    CHECK(m.best_server[i] == 0);
    CHECK(m.sinr_db.values[i] == Approx(sinr_db).margin(1e-3));  // dB
    CHECK(m.sinr_db.values[i] < 30.0);                            // back lobe interference caps it near A_m
}

TEST_CASE("uplink SINR with one active terminal per co-channel cell matches a hand computation", "[coverage]") {
    const Terrain flat = synthetic(false);
    MultiSiteSpec spec;
    spec.technologies.push_back(link::load_technology("halow-jp-1mhz"));
    spec.sites = {{"A", {35.5, 138.55}, 20.0, 0, 0, std::nullopt}, {"B", {35.5, 138.65}, 20.0, 0, 0, std::nullopt}};
    spec.radius_m = 9000.0;
    spec.model = "free-space";
    const double f_mhz = spec.technologies[0].f_center_mhz;
    // 3": 47 k pixels, the lattice is every pixel (k = 1); 1": 420 k pixels > 2^18, every 2nd row and column.
    for (const auto& [arcsec, k] : {std::pair{3.0, 1}, std::pair{1.0, 2}}) {
        spec.grid = make_receiver_grid(kSite, 9000.0, {arcsec, 0.0});
        const GeoGrid& grid = spec.grid;
        const std::size_t n_px = static_cast<std::size_t>(grid.rows) * grid.cols;
        REQUIRE(static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n_px) / 262144.0))) == k);  // k = ceil(sqrt(px / 2^18))
        const int step = k;  // a copy: clang 14 (the sanitizer builds) cannot capture a structured binding
        const auto on_lattice = [&](std::size_t i) { return (i / grid.cols) % step == 0 && (i % grid.cols) % step == 0; };
        // Per pixel: distance and free-space loss to each site (P.525).
        std::vector<double> loss_db[2];
        std::vector<double> d_m[2];
        for (int s = 0; s < 2; ++s) {
            loss_db[s].resize(n_px);
            d_m[s].resize(n_px);
            for (int r = 0; r < grid.rows; ++r)
                for (int c = 0; c < grid.cols; ++c) {
                    const std::size_t i = static_cast<std::size_t>(r) * grid.cols + c;
                    d_m[s][i] = geodesic_inverse(spec.sites[static_cast<std::size_t>(s)].pos, pixel_at(grid, r, c)).d_m;
                    loss_db[s][i] = prop::free_space_loss_db(f_mhz, std::hypot(d_m[s][i], 20.0 - 1.5));
                }
        }
        for (int channel_b : {0, 1}) {
            spec.sites[1].channel = channel_b;
            const CoverageMaps maps = compute_coverage(flat, spec);
            const TechnologyMaps& m = maps.technologies[0];
            const link::Budget& dl = m.downlink;
            const link::Budget& ul = m.uplink;
            // Cells: C_j = lattice pixels j serves where its downlink works (planning SINR >= the most robust mode's
            // SNR). Membership follows the map (checked against the hand values where they are not a tie).
            std::size_t n_cell[2] = {0, 0}, disagree = 0;
            for (std::size_t i = 0; i < n_px; ++i) {
                if (m.best_server[i] == kNone) continue;
                const int b = m.best_server[i];
                const double plan_db = m.sinr_db.values[i] - dl.fade_margin_db - dl.interference_margin_db;
                if (plan_db >= dl.min_snr_db && on_lattice(i)) ++n_cell[b];
                const double p_dbm[2] = {-loss_db[0][i], -loss_db[1][i]};
                if (d_m[0][i] <= 9000.0 && d_m[1][i] <= 9000.0 && std::abs(p_dbm[0] - p_dbm[1]) > 1e-3)
                    disagree += (p_dbm[0] > p_dbm[1] ? 0 : 1) != b;
            }
            CHECK(disagree == 0);
            REQUIRE(n_cell[0] > 1000);
            REQUIRE(n_cell[1] > 1000);
            // I_ul(A) = (1 / |C_B|) sum over i in C_B within A's radius of 10^(U_A(i) / 10), U_A(i) = EIRP_terminal +
            // G_base - L_cable - L_body - L_A(i); the same for B. Other channel: no interference.
            double i_mw[2] = {0.0, 0.0};
            for (std::size_t i = 0; i < n_px; ++i) {
                if (m.best_server[i] == kNone || !on_lattice(i)) continue;
                const int j = m.best_server[i];
                const double plan_db = m.sinr_db.values[i] - dl.fade_margin_db - dl.interference_margin_db;
                if (plan_db < dl.min_snr_db || channel_b != 0) continue;
                const int s = 1 - j;
                if (d_m[s][i] > 9000.0) continue;
                const double u_dbm = ul.eirp_dbm + ul.rx_gain_dbi - ul.rx_cable_loss_db - ul.body_loss_db - loss_db[s][i];
                i_mw[s] += std::pow(10.0, u_dbm / 10.0) / static_cast<double>(n_cell[j]);
            }
            for (int s = 0; s < 2; ++s) {
                INFO("site " << s << " channel B " << channel_b << " grid " << arcsec << "\"");
                if (channel_b == 0) {
                    CHECK(maps.ul_interference_dbm[static_cast<std::size_t>(s)] == Approx(10.0 * std::log10(i_mw[s])).margin(0.01));
                } else {
                    CHECK(maps.ul_interference_dbm[static_cast<std::size_t>(s)] == -std::numeric_limits<double>::infinity());
                }
            }
            const double n_ul_mw = std::pow(10.0, ul.noise_floor_dbm / 10.0);
            std::cout << "uplink, " << arcsec << "\" (k = " << k << "), channel B " << channel_b << ": |C_A| " << n_cell[0]
                      << ", |C_B| " << n_cell[1] << ", N_ul " << ul.noise_floor_dbm << " dBm, I_ul(A) "
                      << maps.ul_interference_dbm[0] << " dBm (hand " << (i_mw[0] > 0 ? 10.0 * std::log10(i_mw[0]) : -INFINITY)
                      << ")\n";
            // Per pixel: SINR_ul = U_best - 10 log10(N_ul + I_ul(best)); the mode at SINR_ul - margins.
            std::size_t checked = 0;
            for (std::size_t i = 0; i < n_px; i += 7) {
                if (m.best_server[i] == kNone) continue;
                const int b = m.best_server[i];
                if (d_m[b][i] < 1.0) continue;  // the site's own pixel: compute_site_loss puts it at 1 m (kMinPath_m)
                const double u_dbm = ul.eirp_dbm + ul.rx_gain_dbi - ul.rx_cable_loss_db - ul.body_loss_db - loss_db[b][i];
                const double sinr_db = u_dbm - 10.0 * std::log10(n_ul_mw + i_mw[b]);
                CHECK(m.ul_sinr_db.values[i] == Approx(sinr_db).margin(0.01));  // dB
                const double plan_db = sinr_db - ul.fade_margin_db - ul.interference_margin_db;
                const link::Mode* mode = link::best_mode(ul, plan_db);
                const bool on_threshold = std::any_of(ul.modes.begin(), ul.modes.end(),
                                                      [&](const link::Mode& md) { return std::abs(plan_db - md.snr_db) < 0.01; });
                if (!on_threshold) CHECK(m.ul_mode[i] == (mode ? static_cast<int>(mode - ul.modes.data()) : -1));
                ++checked;
            }
            std::cout << "uplink SINR: " << checked << " pixels checked\n";
            REQUIRE(checked > 1000);
            CHECK((i_mw[0] > 0.0) == (channel_b == 0));  // co-channel: the other cell's terminal interferes
        }
    }
}

TEST_CASE("sectors and uplink interference are bit-identical with 1 and 2 threads", "[coverage]") {
    const Terrain t = synthetic(true);
    MultiSiteSpec spec;
    spec.technologies.push_back(link::load_technology("halow-jp-1mhz"));
    // A 1" grid of 520 x 640 pixels (> 2^18): the uplink lattice takes every 2nd row and column.
    spec.grid = make_receiver_grid(kSite, 8000.0, {1.0, 0.0});
    REQUIRE(static_cast<std::size_t>(spec.grid.rows) * spec.grid.cols > 262144u);
    spec.radius_m = 4000.0;
    spec.model = "free-space";
    SiteAntenna a0, a1, a2;
    a0.azimuth_deg = 0.0;
    a1.azimuth_deg = 120.0;
    a2.azimuth_deg = 240.0;
    a1.downtilt_deg = 4.0;
    a2.pattern = link::sector_pattern(90.0, 10.0);
    spec.sites = {{"M0", kSite, 30.0, 0, 0, a0}, {"M1", kSite, 30.0, 0, 0, a1}, {"M2", kSite, 30.0, 0, 0, a2},
                  {"O", {35.52, 138.63}, 25.0, 0, 0, std::nullopt}, {"X", {35.48, 138.58}, 25.0, 0, 1, a1}};
    std::vector<std::vector<float>> runs[2];
    std::vector<double> ul_i[2];
    for (int threads : {1, 2}) {
        omp_set_num_threads(threads);
        const CoverageMaps maps = compute_coverage(t, spec);
        const TechnologyMaps& m = maps.technologies[0];
        auto& out = runs[threads - 1];
        out.push_back(m.rx_power_dbm.values);
        out.push_back(m.sinr_db.values);
        out.push_back(m.ul_sinr_db.values);
        out.push_back(m.ul_throughput_mbps.values);
        out.push_back(std::vector<float>(m.best_server.begin(), m.best_server.end()));
        ul_i[threads - 1] = maps.ul_interference_dbm;
    }
    omp_set_num_threads(2);
    for (std::size_t k = 0; k < runs[0].size(); ++k) {
        INFO("map " << k);
        CHECK(same_bits(runs[0][k], runs[1][k]));
    }
    CHECK(ul_i[0] == ul_i[1]);
    for (int s = 0; s < 4; ++s) CHECK(std::isfinite(ul_i[0][static_cast<std::size_t>(s)]));  // co-channel cells
    CHECK(ul_i[0][4] == -std::numeric_limits<double>::infinity());                           // alone on channel 1
}

TEST_CASE("combine_coverage of precomputed loss windows equals compute_coverage, sectors share their mast's window",
          "[coverage]") {
    const Terrain t = synthetic(true);
    MultiSiteSpec spec;
    spec.technologies.push_back(link::load_technology("halow-jp-1mhz"));
    spec.grid = make_receiver_grid(kSite, 5000.0, {3.0, 0.0});
    spec.radius_m = 3000.0;
    spec.model = "itm";
    // Mast M with two sectors, and an omni site O 2.5 km east: three cells on one channel.
    const LatLon east{kSite.lat_deg, kSite.lon_deg + 0.0275};
    spec.sites = {{"M/1", kSite, 30.0, 0, 0, SiteAntenna{60.0, 3.0, link::sector_pattern()}},
                  {"M/2", kSite, 30.0, 0, 0, SiteAntenna{240.0, 3.0, link::sector_pattern()}},
                  {"O", east, 20.0, 0, 0, std::nullopt}};
    spec.keep_site_loss = true;
    const CoverageMaps direct = compute_coverage(t, spec);
    REQUIRE(direct.site_loss.size() == 3);
    // The same from the kept windows, the mast's window once for both sectors.
    CHECK(same_bits(direct.site_loss[0].loss_db.values, direct.site_loss[1].loss_db.values));
    const std::vector<const SiteWindow*> windows = {&direct.site_loss[0], &direct.site_loss[0], &direct.site_loss[2]};
    const CoverageMaps combined = combine_coverage(t, spec, windows);
    const TechnologyMaps& a = direct.technologies[0];
    const TechnologyMaps& b = combined.technologies[0];
    CHECK(combined.model_calls == 0);
    CHECK(same_bits(a.rx_power_dbm.values, b.rx_power_dbm.values));
    CHECK(same_bits(a.sinr_db.values, b.sinr_db.values));
    CHECK(same_bits(a.ul_sinr_db.values, b.ul_sinr_db.values));
    CHECK(same_bits(a.dl_throughput_mbps.values, b.dl_throughput_mbps.values));
    CHECK(a.best_server == b.best_server);
    CHECK(a.ul_mode == b.ul_mode);
    CHECK(direct.ul_interference_dbm == combined.ul_interference_dbm);
    std::size_t cells[3] = {0, 0, 0};
    for (std::int16_t s : b.best_server)
        if (s != kNone) ++cells[s];
    CHECK(cells[0] > 1000);  // every cell serves an area of its own
    CHECK(cells[1] > 1000);
    CHECK(cells[2] > 1000);
    // A window that does not fit the grid is an input error naming the site.
    SiteWindow off = direct.site_loss[2];
    off.col0 = spec.grid.cols - 1;
    const std::vector<const SiteWindow*> bad = {nullptr, nullptr, &off};
    CHECK_THROWS_WITH(combine_coverage(t, spec, bad), Catch::Contains("site O") && Catch::Contains("does not fit"));
}
