// End to end, in process: the default scenario through run_scenario, with physical checks on every loss
// cell (with tolerances), the results.h5 layout read back with HDF5, and thread-count independence.
#include <catch2/catch.hpp>

#include <H5Cpp.h>
#include <omp.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "libsim/geo/geo.hpp"
#include "libsim/scenario/pipeline.hpp"
#include "libsim/scenario/world.hpp"
#include "tests/test_paths.hpp"

using namespace dxplan;
namespace fs = std::filesystem;

namespace {

fs::path default_scenario() { return test::source_dir() / "scenarios" / "default.yaml"; }

fs::path scratch(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("dxplan_test_scenarios_" + std::to_string(::getpid())) / name;
    fs::create_directories(d.parent_path());
    fs::remove_all(d);
    return d;
}

std::string read_string_attr(const H5::H5Object& obj, const std::string& name) {
    const H5::Attribute a = obj.openAttribute(name);
    std::string s;
    a.read(a.getStrType(), s);
    return s;
}

double read_double_attr(const H5::H5Object& obj, const std::string& name) {
    double v = 0.0;
    obj.openAttribute(name).read(H5::PredType::NATIVE_DOUBLE, &v);
    return v;
}

}  // namespace

TEST_CASE("default scenario: every loss is at least free-space loss, results.h5 holds the grids", "[scenarios]") {
    const fs::path out = scratch("default");
    double last_progress = -1.0;
    bool monotonic = true;
    RunConfig cfg{default_scenario(), out, [&](double f) {
                      monotonic = monotonic && f >= last_progress;
                      last_progress = f;
                  }};
    const RunSummary summary = run_scenario(cfg);
    CHECK(summary.sites == 5);
    CHECK(summary.files == 79);  // 5 GeoTIFFs, summary.json, results.h5, report.html, report.md, and for the 3
                                 // technologies and the mix's 2 members: 3 coverage maps (PNG, GeoTIFF, KMZ), 5
                                 // service-map files (comparison_stage.hpp step 4b) and 6 backhaul files
                                 // (backhaul-<label>/: GeoJSON, KML, CSVs, summary)
    CHECK(monotonic);
    CHECK(last_progress == 1.0);

    const Scenario s = load_scenario(default_scenario());
    const World w = load_world(s);
    H5::H5File f((out / "results.h5").string(), H5F_ACC_RDONLY);
    CHECK(read_string_attr(f.openGroup("/"), "model") == "itm");
    CHECK(read_double_attr(f.openGroup("/"), "f_mhz") == 920.0);
    const H5::Group sites = f.openGroup("sites");
    REQUIRE(sites.getNumObjs() == s.sites.size());

    std::size_t checked = 0;
    for (const auto& site : s.sites) {
        INFO("site " << site.id);
        const H5::DataSet ds = sites.openGroup(site.id).openDataSet("loss_db");
        hsize_t dims[2] = {0, 0};
        ds.getSpace().getSimpleExtentDims(dims);
        std::vector<float> loss(dims[0] * dims[1]);
        ds.read(loss.data(), H5::PredType::NATIVE_FLOAT);
        const double north = read_double_attr(ds, "north_deg");
        const double west = read_double_attr(ds, "west_deg");
        const double dlat = read_double_attr(ds, "dlat_deg");
        const double dlon = read_double_attr(ds, "dlon_deg");
        // A window of the run's area grid around the site (pipeline.hpp run_area_grid).
        const GeoGrid area = run_area_grid(s.sites, s.propagation, w.terrain);
        CHECK(dlat == area.dlat_deg);
        CHECK(dlon == area.dlon_deg);
        const double row0 = (area.north_deg - north) / dlat, col0 = (west - area.west_deg) / dlon;
        CHECK(std::abs(row0 - std::round(row0)) < 1e-6);  // whole pixels (tolerance 1e-6 pixel)
        CHECK(std::abs(col0 - std::round(col0)) < 1e-6);
        CHECK(site.pos.lat_deg <= north + 0.5 * dlat);
        CHECK(site.pos.lat_deg >= north - (static_cast<double>(dims[0]) - 0.5) * dlat);
        CHECK(site.pos.lon_deg >= west - 0.5 * dlon);
        CHECK(site.pos.lon_deg <= west + (static_cast<double>(dims[1]) - 0.5) * dlon);
        std::size_t finite = 0;
        for (hsize_t r = 0; r < dims[0]; ++r) {
            for (hsize_t c = 0; c < dims[1]; ++c) {
                const float l = loss[r * dims[1] + c];
                const LatLon p{north - static_cast<double>(r) * dlat, west + static_cast<double>(c) * dlon};
                const double d_m = geodesic_inverse(site.pos, p).d_m;
                if (!std::isfinite(l)) {
                    // nodata only beyond the radius, at the site itself, or off the terrain (the coverage solver
                    // also leaves pixels within one DEM cell of the terrain's edge, where a profile cannot end)
                    const GeoBox dem = w.terrain.grid().centres();
                    const double cell_lat = w.terrain.grid().dlat_deg, cell_lon = w.terrain.grid().dlon_deg;
                    const bool near_edge = p.lat_deg < dem.south_deg + cell_lat || p.lat_deg > dem.north_deg - cell_lat ||
                                           p.lon_deg < dem.west_deg + cell_lon || p.lon_deg > dem.east_deg - cell_lon;
                    const bool expected = d_m > s.propagation.radius_m || d_m < 1.0 || near_edge;
                    INFO("d_m " << d_m << " at " << p.lat_deg << "," << p.lon_deg);
                    if (!expected) CHECK(expected);
                    continue;
                }
                ++finite;
                if (!(d_m <= s.propagation.radius_m + 1e-6)) CHECK(d_m <= s.propagation.radius_m + 1e-6);
                // The default scenario uses ITM: its basic loss is the free-space loss over the path length
                // (ITM Alg. eq. for A_fs: 32.45 + 20 log f + 20 log d_km) plus A_ref >= 0 (ITM clamps the
                // reference attenuation at 0) at the 50 % quantiles, so loss >= free space; 1.4 dB is left for
                // the ground distance vs path length and the per-pixel sampling of the fast radial sweep.
                const double fspl_db = 32.45 + 20.0 * std::log10(s.propagation.f_mhz) + 20.0 * std::log10(d_m / 1000.0);
                if (!(l >= fspl_db - 1.4)) CHECK(l >= fspl_db - 1.4);
            }
        }
        CHECK(finite > 50000);  // pi * (5000 / 30)^2 = 87,266 cells inside the radius, less those off the terrain
        checked += finite;
    }
    std::cout << "default scenario: " << checked << " loss cells checked against free space\n";
    CHECK(checked > 350000);

    // The backhaul plan of every compared technology is in results.h5 too, link by link, and agrees with
    // summary.json's backhaul section.
    const auto summary_json = nlohmann::json::parse(std::ifstream(out / "summary.json"));
    const H5::Group backhaul = f.openGroup("backhaul");
    REQUIRE(backhaul.getNumObjs() == summary_json.at("backhaul").size());  // the 3 technologies and the mix
    for (const auto& b : summary_json.at("backhaul")) {
        const H5::Group g = backhaul.openGroup(b.at("technology").get<std::string>());
        hsize_t links = 0;
        g.openDataSet("a_lat_deg").getSpace().getSimpleExtentDims(&links);
        CHECK(links == b.at("links").get<hsize_t>());
        CHECK(read_double_attr(g, "capex_jpy") == Approx(b.at("capex_jpy").get<double>()).margin(1.0));
    }

    const H5::Group demand = f.openGroup("demand");
    hsize_t n = 0;
    demand.openDataSet("lat_deg").getSpace().getSimpleExtentDims(&n);
    CHECK(n == summary.demand_points);
}

TEST_CASE("per-site loss does not depend on the thread count", "[scenarios]") {
    const Scenario s = load_scenario(default_scenario());
    const World w = load_world(s);
    const std::vector<output::DemandPoint> demand = resolve_demand(s, w);
    PropagationSpec prop = s.propagation;
    prop.radius_m = 2000.0;
    const SiteLossInput in{s.sites[1].pos, s.sites[1].mast_height_m, &w.terrain, &prop, &demand};
    std::map<std::string, std::size_t> warn1, warn2;
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    const output::SiteResult one = compute_site_loss(in, warn1);
    omp_set_num_threads(std::max(2, threads));
    const output::SiteResult many = compute_site_loss(in, warn2);
    omp_set_num_threads(threads);
    REQUIRE(one.loss_db.values.size() == many.loss_db.values.size());
    CHECK(std::memcmp(one.loss_db.values.data(), many.loss_db.values.data(), one.loss_db.values.size() * sizeof(float)) == 0);
    CHECK(std::memcmp(one.demand_loss_db.data(), many.demand_loss_db.data(), one.demand_loss_db.size() * sizeof(float)) == 0);
    CHECK(warn1 == warn2);
}

TEST_CASE("generated demand: households on built-up cells at the asked density", "[scenarios]") {
    const Scenario s = load_scenario(default_scenario());
    const World w = load_world(s);
    const std::vector<output::DemandPoint> demand = resolve_demand(s, w);
    std::size_t households = 0, built_up_cells = 0;
    for (const auto& d : demand) {
        if (d.kind != dxplan::DemandKind::household) continue;
        ++households;
        CHECK(w.land_cover->clutter_at(d.pos)->category == ClutterCategory::suburban);
    }
    for (std::uint8_t c : w.land_cover->classes()) built_up_cells += c == 2 ? 1 : 0;  // JAXA 2 = built-up
    // Expected count = density x built-up area inside the area of interest (all of it here); 1" cells at
    // 36 N are 30.82 m x 25.04 m. Poisson: allow 4 standard deviations.
    const double expected = 400.0 * static_cast<double>(built_up_cells) * 30.82 * 25.04 * 1e-6;
    std::cout << "households: " << households << " generated, " << expected << " expected\n";
    CHECK(std::abs(static_cast<double>(households) - expected) < 4.0 * std::sqrt(expected));
}
