// dxplan run's service maps (comparison_stage.hpp step 4b): the written rasters equal compute_coverage's maps of
// the chosen sites, read back through GDAL with their georeferencing; sector antennas; bad sector fields.
#include <catch2/catch.hpp>

#include <H5Cpp.h>
#include <gdal_priv.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "libsim/coverage/grid.hpp"
#include "libsim/coverage/multi_site.hpp"
#include "libsim/link/link.hpp"
#include "libsim/scenario/pipeline.hpp"
#include "libsim/scenario/world.hpp"
#include "tests/cli/run_cli.hpp"
#include "tests/test_paths.hpp"

using namespace dxplan;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
    const fs::path p = fs::temp_directory_path() / ("dxplan_service_maps_" + std::to_string(::getpid())) / name;
    fs::create_directories(p.parent_path());
    return p;
}

// A scenario on the synthetic valley with LoRaWAN only, ITM at 60 m, the given sites and sensor (iot) points (LoRaWAN has a device for sensors only: models/technology/lorawan-as923-jp.yaml cost_kit).
fs::path write_scenario(const std::string& name, const std::string& sites, const std::string& points) {
    const fs::path p = scratch(name + ".yaml");
    std::ofstream(p) << "name: " << name << "\n"
                     << "terrain:\n  synthetic: {seed: 1}\n"
                     << "technologies: [{profile: lorawan-as923-jp, radius_km: 3}]\n"  // the test recomputes at 3 km
                     << "sites:\n" << sites
                     << "demand:\n  - kind: iot\n    points:\n" << points
                     << "fibre_pops:\n  - {id: pop, lat_deg: 36.0018, lon_deg: 138.2054}\n"
                     << "propagation: {model: itm, f_mhz: 920, h_rx_m: 1.5, resolution_m: 60, radius_m: 3000}\n"
                     << "outputs: {loss_geotiff: true, results_h5: true, report_html: false}\n";
    return p;
}

struct Raster {
    int width = 0;
    int height = 0;
    double gt[6] = {};
    std::vector<std::vector<double>> bands;
    std::vector<std::string> descriptions;
    double nodata = 0.0;
    std::string srs;
};

Raster read_raster(const fs::path& file) {
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(static_cast<GDALDataset*>(GDALOpen(file.c_str(), GA_ReadOnly)));
    REQUIRE(ds);
    Raster r;
    r.width = ds->GetRasterXSize();
    r.height = ds->GetRasterYSize();
    REQUIRE(ds->GetGeoTransform(r.gt) == CE_None);
    r.srs = ds->GetSpatialRef() ? ds->GetSpatialRef()->GetAuthorityCode(nullptr) : "";
    for (int b = 1; b <= ds->GetRasterCount(); ++b) {
        GDALRasterBand* band = ds->GetRasterBand(b);
        r.nodata = band->GetNoDataValue();
        r.descriptions.emplace_back(band->GetDescription());
        std::vector<double> v(static_cast<std::size_t>(r.width) * r.height);
        REQUIRE(band->RasterIO(GF_Read, 0, 0, r.width, r.height, v.data(), r.width, r.height, GDT_Float64, 0, 0,
                               nullptr) == CE_None);
        r.bands.push_back(std::move(v));
    }
    return r;
}

link::BudgetOptions run_budget() {
    link::BudgetOptions bo;  // as the comparison stage plans: outdoor, 90 % locations, 6 dB shadowing sigma
    bo.outdoor = true;
    bo.location_reliability = 0.9;
    bo.shadow_sigma_db = 6.0;
    return bo;
}

// The technology's grid on the run's area grid, from the written raster's origin (whole pixels of the area grid).
GeoGrid grid_of(const Raster& r, const GeoGrid& area) {
    GeoGrid g = area;
    g.values.clear();
    const long r0 = std::lround((area.north_deg - (r.gt[3] + 0.5 * r.gt[5])) / area.dlat_deg);
    const long c0 = std::lround((r.gt[0] + 0.5 * r.gt[1] - area.west_deg) / area.dlon_deg);
    g.north_deg = area.north_deg - static_cast<double>(r0) * area.dlat_deg;
    g.west_deg = area.west_deg + static_cast<double>(c0) * area.dlon_deg;
    g.rows = r.height;
    g.cols = r.width;
    return g;
}

}  // namespace

TEST_CASE("dxplan run: the service maps equal compute_coverage of the chosen sites, georeferenced", "[scenarios]") {
    const fs::path file = write_scenario(
        "two-sites",
        "  - {id: town-hall, lat_deg: 36.0018, lon_deg: 138.2054, mast_height_m: 20}\n"
        "  - {id: kita, lat_deg: 36.0463, lon_deg: 138.2204, mast_height_m: 15}\n",
        "      - {id: a, lat_deg: 36.0030, lon_deg: 138.2070}\n"
        "      - {id: b, lat_deg: 36.0450, lon_deg: 138.2190}\n");
    const fs::path out = scratch("two-sites-out");
    run_scenario({file, out, {}, "en"});

    const auto summary = nlohmann::json::parse(std::ifstream(out / "summary.json"));
    REQUIRE(summary.at("service_maps").size() == 1);
    const auto& sm = summary.at("service_maps")[0];
    CHECK(sm.at("label") == "lorawan-as923-jp");
    CHECK(sm.at("rx_power") == "rssi");
    const auto& chosen = summary.at("technologies")[0].at("site_ids");
    REQUIRE(chosen.size() == 2);  // each sensor point is within reach of one site only
    REQUIRE(sm.at("cells").size() == 2);
    for (std::size_t k = 0; k < 2; ++k) CHECK(sm.at("cells")[k].at("id") == chosen[k]);
    std::size_t demand_best = 0;
    for (const auto& c : sm.at("cells")) demand_best += c.at("demand_best_server").get<std::size_t>();
    CHECK(demand_best == 2);
    for (const auto& f : sm.at("files")) CHECK(fs::is_regular_file(out / f.get<std::string>()));

    const Raster service = read_raster(out / "coverage-lorawan-as923-jp-service.tif");
    const Raster cells = read_raster(out / "coverage-lorawan-as923-jp-cells.tif");
    CHECK(service.srs == "4326");
    CHECK(service.nodata == kGeoTiffNodata);
    CHECK(cells.nodata == coverage::kNone);
    REQUIRE(service.bands.size() == 6);
    REQUIRE(cells.bands.size() == 3);
    CHECK(service.descriptions[2].rfind("sinr_db", 0) == 0);
    CHECK(cells.descriptions[0].rfind("best_server", 0) == 0);
    CHECK(sm.at("rows") == service.height);
    CHECK(sm.at("cols") == service.width);

    // The same maps from the library: the chosen sites on the raster's grid (a window of the run's area grid).
    const Scenario s = load_scenario(file);
    const World w = load_world(s);
    const GeoGrid area = run_area_grid(s.sites, s.propagation, w.terrain);
    coverage::MultiSiteSpec spec;
    spec.grid = grid_of(service, area);
    // The georeferencing round-trips: the raster's pixel centres are the grid's (tolerance 1e-9 deg).
    CHECK(std::abs(service.gt[0] + 0.5 * service.gt[1] - spec.grid.west_deg) < 1e-9);
    CHECK(std::abs(service.gt[3] + 0.5 * service.gt[5] - spec.grid.north_deg) < 1e-9);
    CHECK(std::abs(service.gt[1] - area.dlon_deg) < 1e-12);
    CHECK(std::abs(-service.gt[5] - area.dlat_deg) < 1e-12);
    CHECK(service.gt[2] == 0.0);
    CHECK(service.gt[4] == 0.0);
    for (const auto& id : chosen)
        for (const auto& site : s.sites)
            if (site.id == id) spec.sites.push_back({site.id, site.pos, site.mast_height_m, 0, 0, std::nullopt});
    spec.technologies = {link::load_technology("lorawan-as923-jp", {})};
    spec.budget = run_budget();
    spec.radius_m = s.propagation.radius_m;
    spec.h_rx_m = s.propagation.h_rx_m;
    spec.model = "itm";
    const coverage::CoverageMaps maps = coverage::compute_coverage(w.terrain, spec);
    const coverage::TechnologyMaps& m = maps.technologies.front();

    // Band by band, pixel by pixel: equal to the float32 value (nodata where NaN); the int16 bands exactly.
    const std::vector<const GeoGrid*> f32 = {&m.rx_power_dbm, &m.snr_db, &m.sinr_db, &m.ul_sinr_db,
                                             &m.dl_throughput_mbps, &m.ul_throughput_mbps};
    const std::vector<const std::vector<std::int16_t>*> i16 = {&m.best_server, &m.dl_mode, &m.ul_mode};
    std::size_t checked = 0, served = 0, both = 0;
    for (std::size_t i = 0; i < m.best_server.size(); ++i) {
        for (std::size_t b = 0; b < f32.size(); ++b) {
            const float v = f32[b]->values[i];
            const double expect = std::isnan(v) ? kGeoTiffNodata : static_cast<double>(v);
            if (service.bands[b][i] != expect) CHECK(service.bands[b][i] == expect);
        }
        for (std::size_t b = 0; b < i16.size(); ++b)
            if (cells.bands[b][i] != (*i16[b])[i]) CHECK(cells.bands[b][i] == (*i16[b])[i]);
        ++checked;
        served += m.best_server[i] != coverage::kNone ? 1 : 0;
        both += m.best_server[i] != coverage::kNone && m.sinr_db.values[i] < m.snr_db.values[i] - 0.01f ? 1 : 0;
    }
    std::cout << "service maps: " << checked << " pixels checked, " << served << " served, " << both
              << " with co-channel interference\n";
    CHECK(checked == static_cast<std::size_t>(service.width) * service.height);
    CHECK(served > 1000);
    CHECK(both > 100);  // the two sites overlap: SINR < SNR there

    // results.h5 holds the same arrays under /coverage/<label>/.
    H5::H5File h5((out / "results.h5").string(), H5F_ACC_RDONLY);
    const H5::Group g = h5.openGroup("coverage").openGroup("lorawan-as923-jp");
    std::vector<float> sinr(m.sinr_db.values.size());
    g.openDataSet("sinr_db").read(sinr.data(), H5::PredType::NATIVE_FLOAT);
    std::vector<std::int16_t> best(m.best_server.size());
    g.openDataSet("best_server").read(best.data(), H5::PredType::NATIVE_INT16);
    CHECK(best == m.best_server);
    std::size_t same = 0;
    for (std::size_t i = 0; i < sinr.size(); ++i)
        same += (std::isnan(sinr[i]) && std::isnan(m.sinr_db.values[i])) || sinr[i] == m.sinr_db.values[i] ? 1 : 0;
    CHECK(same == sinr.size());
    fs::remove_all(out);
}

TEST_CASE("dxplan run: a sector antenna attenuates the map by its pattern behind it", "[scenarios]") {
    // The 3GPP sector (A_max 30 dB behind), or a pattern file whose front-to-back ratio is 25 dB.
    const bool from_file = GENERATE(false, true);
    std::ofstream(scratch("pattern.csv")) << "plane,angle_deg,gain_dbi\nazimuth,0,17\nazimuth,90,7\nazimuth,180,-8\n"
                                             "elevation,-90,7\nelevation,0,17\nelevation,90,7\n";
    const double behind_db = from_file ? 25.0 : 30.0;
    const std::string pattern = from_file ? ", pattern: pattern.csv" : "";
    const fs::path file = write_scenario(
        "sector", "  - {id: town-hall, lat_deg: 36.0018, lon_deg: 138.2054, mast_height_m: 20,\n"
                  "     sectors: [{azimuth_deg: 90, downtilt_deg: 2" + pattern + "}]}\n",
        "      - {id: a, lat_deg: 36.0018, lon_deg: 138.2100}\n");
    const fs::path out = scratch("sector-out");
    run_scenario({file, out, {}, "en"});
    const auto summary = nlohmann::json::parse(std::ifstream(out / "summary.json"));
    REQUIRE(summary.at("service_maps").size() == 1);
    CHECK(summary.at("service_maps")[0].at("cells")[0].at("id") == "town-hall/1");
    // The sensor 400 m east, in the beam, is served (selection with the sector's pattern) and lies in its cell.
    CHECK(summary.at("technologies")[0].at("demand_covered").at("count") == 1);
    CHECK(summary.at("service_maps")[0].at("cells")[0].at("demand_covered") == 1);

    const Raster service = read_raster(out / "coverage-lorawan-as923-jp-service.tif");
    const Scenario s = load_scenario(file);
    const World w = load_world(s);
    const SiteSpec& site = s.sites.front();
    REQUIRE(site.sectors.size() == 1);
    const coverage::SiteRadio radio{
        "town-hall/1", site.pos, site.mast_height_m, 0, 0,
        coverage::SiteAntenna{90.0, 2.0, from_file ? link::load_pattern_csv(scratch("pattern.csv")) : link::sector_pattern()}};
    const link::Technology tech = link::load_technology("lorawan-as923-jp", {});
    const link::Budget dl = link::make_budget(tech, link::Direction::downlink, run_budget());
    // The site's path loss at the technology's centre frequency on its window of the run's area grid (what the
    // comparison stage combines; loss-<site>.tif is at propagation.f_mhz).
    const GeoGrid area = run_area_grid(s.sites, s.propagation, w.terrain);
    PropagationSpec prop = s.propagation;
    prop.f_mhz = tech.f_center_mhz;
    const std::vector<output::DemandPoint> no_demand;
    std::map<std::string, std::size_t> warnings;
    const GeoGrid site_loss =
        compute_site_loss({site.pos, site.mast_height_m, &w.terrain, &prop, &no_demand, nullptr, &area}, warnings).loss_db;
    const coverage::SiteFrame frame(site.pos);
    const double z_tx_m = w.terrain.height_m(site.pos) + site.mast_height_m;
    // 1 km east (in front) and 1 km west (behind) of the site, on the site's row.
    const int row = static_cast<int>(std::floor((site.pos.lat_deg - service.gt[3]) / service.gt[5]));
    const int col = static_cast<int>(std::floor((site.pos.lon_deg - service.gt[0]) / service.gt[1]));
    const int step = static_cast<int>(std::lround(1000.0 / 60.0));
    for (int dc : {step, -step}) {
        const int c = col + dc;
        const LatLon px{service.gt[3] + (row + 0.5) * service.gt[5], service.gt[0] + (c + 0.5) * service.gt[1]};
        const int lr = static_cast<int>(std::lround((site_loss.north_deg - px.lat_deg) / site_loss.dlat_deg));
        const int lc = static_cast<int>(std::lround((px.lon_deg - site_loss.west_deg) / site_loss.dlon_deg));
        REQUIRE(lr >= 0);
        REQUIRE(lc >= 0);
        REQUIRE(lc < site_loss.cols);
        const double loss_db = site_loss.at(lr, lc);
        REQUIRE(std::isfinite(loss_db));
        const double atten_db = coverage::antenna_attenuation_db(w.terrain, radio, frame, z_tx_m, 1.5, px);
        if (dc < 0) CHECK(atten_db == Approx(behind_db).margin(1e-9));  // A = min(A_az + A_el, A_max) = A_max behind
        else CHECK(atten_db < 3.0);                                       // within the beam
        const double rx_dbm = service.bands[0][static_cast<std::size_t>(row) * service.width + c];
        INFO("column offset " << dc << ", loss " << loss_db << " dB, pattern " << atten_db << " dB");
        // The RSSI of the float32 raster: tolerance 1e-4 dB (float rounding).
        CHECK(rx_dbm == Approx(link::received_power_dbm(dl, loss_db, atten_db)).margin(1e-4));
    }
    fs::remove_all(out);
}

TEST_CASE("dxplan run: bad sector fields are one-line errors naming file, field and range (exit 2)", "[scenarios][cli]") {
    const std::string point = "      - {id: a, lat_deg: 36.0018, lon_deg: 138.2100}\n";
    const auto site = [](const std::string& sectors) {
        return "  - {id: s, lat_deg: 36.0018, lon_deg: 138.2054, mast_height_m: 20, sectors: " + sectors + "}\n";
    };
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"[{azimuth_deg: 400}]", "sites[0].sectors[0].azimuth_deg = 400: must be in [0, 360) deg"},
        {"[{azimuth_deg: north}]", "sites[0].sectors[0].azimuth_deg = north: must be a number in [0, 360) deg, not text"},
        {"[{azimuth_deg: 360}]", "sites[0].sectors[0].azimuth_deg = 360: must be in [0, 360) deg"},
        {"[{azimuth_deg: 0, downtilt_deg: 95}]", "sites[0].sectors[0].downtilt_deg = 95: must be in [-90, 90] deg"},
        {"[{azimuth_deg: 0}, {downtilt_deg: 3}]", "sites[0].sectors[1]: missing required key 'azimuth_deg'"},
        {"[{azimuth_deg: 0, tilt: 3}]", "sites[0].sectors[0].tilt: unknown key"},
        {"[{azimuth_deg: 0, pattern: missing.csv}]", "sites[0].sectors[0].pattern = missing.csv: file not found"},
        {"[{azimuth_deg: 0, pattern: bad-pattern.csv}]", "sites[0].sectors[0].pattern = bad-pattern.csv: "},
        {"[]", "sites[0].sectors"},
    };
    std::ofstream(scratch("bad-pattern.csv")) << "plane,angle_deg,gain_dbi\nsideways,0,17\n";
    std::size_t n = 0;
    for (const auto& [sectors, expect] : cases) {
        const fs::path file = write_scenario("bad-sector-" + std::to_string(n++), site(sectors), point);
        const fs::path out = scratch("bad-sector-out");
        const test::CliRun r = test::run_dxplan("run '" + file.string() + "' --out '" + out.string() + "'");
        INFO(sectors << " -> " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK(r.err.find(file.filename().string() + ":") != std::string::npos);
        CHECK(r.err.find(expect) != std::string::npos);
        CHECK(!fs::exists(out));
    }
}
