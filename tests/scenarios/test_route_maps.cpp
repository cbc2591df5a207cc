// dxplan run with a `routes:` section: at samples on pixel centres the route's serving cell, SINR, UL SINR and
// received power equal the service maps' values, read back through GDAL (the same loss windows and point formulas).
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/route/route.hpp"
#include "libsim/scenario/pipeline.hpp"
#include "libsim/scenario/world.hpp"

using namespace dxplan;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
    const fs::path p = fs::temp_directory_path() / ("dxplan_route_maps_" + std::to_string(::getpid())) / name;
    fs::create_directories(p.parent_path());
    return p;
}

struct Raster {
    int width = 0, height = 0;
    double gt[6] = {};
    std::vector<std::vector<double>> bands;
};

Raster read_raster(const fs::path& file) {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(static_cast<GDALDataset*>(GDALOpen(file.c_str(), GA_ReadOnly)));
    REQUIRE(ds);
    Raster r;
    r.width = ds->GetRasterXSize();
    r.height = ds->GetRasterYSize();
    REQUIRE(ds->GetGeoTransform(r.gt) == CE_None);
    for (int b = 1; b <= ds->GetRasterCount(); ++b) {
        std::vector<double> v(static_cast<std::size_t>(r.width) * r.height);
        REQUIRE(ds->GetRasterBand(b)->RasterIO(GF_Read, 0, 0, r.width, r.height, v.data(), r.width, r.height, GDT_Float64, 0,
                                               0, nullptr) == CE_None);
        r.bands.push_back(std::move(v));
    }
    return r;
}

const std::string kSites =
    "  - {id: town-hall, lat_deg: 36.0018, lon_deg: 138.2054, mast_height_m: 20}\n"
    "  - {id: kita, lat_deg: 36.0463, lon_deg: 138.2204, mast_height_m: 15}\n";

std::string scenario_text(const std::string& technology, const fs::path& route) {
    return "name: route-maps\nterrain:\n  synthetic: {seed: 1}\n"
           "technologies: [{profile: " + technology + ", radius_km: 3}]\n"  // the run's radius: the test's grid
           "sites:\n" + kSites +
           // a facility on an outdoor CPE (Local 5G serves it) and a sensor (LoRaWAN serves it) near each site, so
           // every technology tried plans both sites
           "demand:\n  - kind: facility\n    terminal: outdoor_cpe\n    points:\n"
           "      - {id: a, lat_deg: 36.0030, lon_deg: 138.2070}\n      - {id: b, lat_deg: 36.0450, lon_deg: 138.2190}\n"
           "  - kind: iot\n    points:\n"
           "      - {id: c, lat_deg: 36.0030, lon_deg: 138.2070}\n      - {id: d, lat_deg: 36.0450, lon_deg: 138.2190}\n"
           "fibre_pops:\n  - {id: pop, lat_deg: 36.0018, lon_deg: 138.2054}\n"
           "propagation: {model: itm, f_mhz: 920, h_rx_m: 1.5, resolution_m: 60, radius_m: 3000}\n"
           "outputs: {loss_geotiff: false, results_h5: false, report_html: false}\n"
           "routes:\n  - id: on-pixels\n    file: " + route.string() + "\n"
           "    handover: {hysteresis_db: 0, time_to_trigger_ms: 0}\n"
           "    conditions: [{name: clear}]\n";
}

}  // namespace

TEST_CASE("dxplan run routes: serving cell and SINR equal the service maps at pixel centres (GDAL)", "[scenarios][route]") {
    for (const std::string tech : {"local5g-n79-100mhz", "lorawan-as923-jp"}) {
        // The run's area grid (the service rasters are windows of it): route parts starting on its pixel centres,
        // every 2nd row from south of town-hall to north of kita, in three columns (where both sites reach).
        const fs::path dummy = scratch(tech + "-dummy.geojson");
        std::ofstream(dummy) << R"({"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[138.2,36.0],[138.21,36.0]]}})";
        const fs::path probe = scratch(tech + "-probe.yaml");
        std::ofstream(probe) << scenario_text(tech, dummy);
        const Scenario s = load_scenario(probe);
        const World w = load_world(s);
        const GeoGrid area = run_area_grid(s.sites, s.propagation, w.terrain);
        std::ostringstream parts;
        int n_parts = 0;
        for (double lon_target : {138.207, 138.213, 138.219}) {
            const int col = static_cast<int>(std::lround((lon_target - area.west_deg) / area.dlon_deg));
            const int r0 = static_cast<int>(std::lround((area.north_deg - 36.049) / area.dlat_deg));
            const int r1 = static_cast<int>(std::lround((area.north_deg - 35.999) / area.dlat_deg));
            for (int row = r0; row <= r1; row += 2) {
                const double lat = area.north_deg - row * area.dlat_deg, lon = area.west_deg + col * area.dlon_deg;
                char buf[160];
                std::snprintf(buf, sizeof buf, "%s[[%.12f,%.12f],[%.12f,%.12f]]", n_parts ? "," : "", lon, lat, lon + 1e-5, lat);
                parts << buf;
                ++n_parts;
            }
        }
        const fs::path route_file = scratch(tech + "-route.geojson");
        std::ofstream(route_file) << R"({"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[)"
                                  << parts.str() << "]}}";
        const fs::path file = scratch(tech + ".yaml");
        std::ofstream(file) << scenario_text(tech, route_file);
        const fs::path out = scratch(tech + "-out");
        std::vector<route::RouteResult> routes;
        RunConfig cfg{file, out, {}, "en"};
        cfg.routes = &routes;
        run_scenario(cfg);
        REQUIRE(routes.size() == 1);
        const route::RouteResult& r = routes[0];
        REQUIRE(r.tracks.size() == 1);
        const auto summary = nlohmann::json::parse(std::ifstream(out / "summary.json"));
        REQUIRE(summary.at("routes").size() == 1);
        for (const auto& f : summary.at("routes")[0].at("files")) CHECK(fs::is_regular_file(out / f.get<std::string>()));

        const Raster service = read_raster(out / ("coverage-" + tech + "-service.tif"));
        const Raster cells = read_raster(out / ("coverage-" + tech + "-cells.tif"));
        std::size_t checked = 0, served = 0, interfered = 0;
        for (std::size_t i = 0; i < r.samples.size(); ++i) {
            if (i > 0 && r.samples[i].part == r.samples[i - 1].part) continue;  // part starts: pixel centres
            const LatLon p = r.samples[i].pos;
            const long col = std::lround((p.lon_deg - (service.gt[0] + 0.5 * service.gt[1])) / service.gt[1]);
            const long row = std::lround((p.lat_deg - (service.gt[3] + 0.5 * service.gt[5])) / service.gt[5]);
            if (col < 0 || row < 0 || col >= service.width || row >= service.height) continue;
            const std::size_t k = static_cast<std::size_t>(row) * service.width + static_cast<std::size_t>(col);
            // The pixel centre and the sample coincide (to the GeoJSON's 12 decimals).
            CHECK(std::abs(service.gt[0] + (col + 0.5) * service.gt[1] - p.lon_deg) < 1e-9);
            const route::SamplePoint& sp = r.tracks[0].samples[i];
            ++checked;
            CHECK(sp.best == static_cast<int>(cells.bands[0][k]));
            CHECK(sp.serving == sp.best);
            if (sp.best < 0) continue;
            ++served;
            CHECK(static_cast<float>(sp.rx_power_dbm) == static_cast<float>(service.bands[0][k]));
            CHECK(static_cast<float>(sp.sinr_db) == static_cast<float>(service.bands[2][k]));
            CHECK(static_cast<float>(sp.ul_sinr_db) == static_cast<float>(service.bands[3][k]));
            CHECK(sp.dl_mode == static_cast<int>(cells.bands[1][k]));
            CHECK(sp.ul_mode == static_cast<int>(cells.bands[2][k]));
            interfered += service.bands[2][k] < service.bands[1][k] - 0.01 ? 1 : 0;
        }
        std::cout << tech << ": " << checked << " samples on pixel centres, " << served << " served, " << interfered
                  << " with co-channel interference\n";
        CHECK(checked >= 50);
        CHECK(served >= 40);
        CHECK(interfered >= 10);
    }
}
