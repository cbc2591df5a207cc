// The scenario's world: terrain checks that need the terrain, and demand points from CSV, GeoJSON and inline.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "libsim/core/error.hpp"
#include "libsim/scenario/world.hpp"

using namespace dxplan;
namespace fs = std::filesystem;

namespace {

fs::path dir() {
    const fs::path d = fs::temp_directory_path() / ("dxplan_test_world_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

// A synthetic-terrain scenario with the given extra text (demand, area) and site latitude.
fs::path scenario(const std::string& extra, double site_lat_deg = 36.0) {
    const fs::path p = dir() / "w.yaml";
    std::ofstream(p) << "name: w\nterrain:\n  synthetic: {seed: 1}\nsites:\n  - {id: a, lat_deg: " << site_lat_deg
                     << ", lon_deg: 138.2, mast_height_m: 10}\npropagation: {f_mhz: 920}\n"
                     << extra;
    return p;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no InputError)";
}

}  // namespace

TEST_CASE("site outside the terrain names the scenario line", "[world]") {
    const fs::path p = scenario("", 35.5);
    const Scenario s = load_scenario(p);
    CHECK(error_of([&] { (void)load_world(s); }) ==
          p.string() + ":5: sites[0] = (35.5, 138.2): outside the terrain (35.945..36.055 N, 138.13..138.27 E)");
}

TEST_CASE("area of interest outside the synthetic terrain", "[world]") {
    const fs::path p = scenario("area_of_interest: {south_deg: 35, west_deg: 138, north_deg: 36, east_deg: 138.5}\n");
    const Scenario s = load_scenario(p);
    CHECK(error_of([&] { (void)load_world(s); }) ==
          p.string() + ":7: area_of_interest: must lie inside the synthetic terrain (35.945..36.055 N, 138.13..138.27 E)");
}

TEST_CASE("demand from CSV, GeoJSON and inline points", "[world]") {
    std::ofstream(dir() / "homes.csv") << "# houses\nname,id,lat_deg,lon_deg\nSato,h1,36.001,138.201\nIto,h2,36.002,138.202\n";
    std::ofstream(dir() / "iot.geojson")
        << R"({"type":"FeatureCollection","features":[)"
        << R"({"type":"Feature","properties":{"id":"s1"},"geometry":{"type":"Point","coordinates":[138.21,36.01]}},)"
        << R"({"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[138.22,36.02]}}]})";
    const Scenario s = load_scenario(scenario("demand:\n  - {kind: household, file: homes.csv}\n"
                                              "  - {kind: iot, file: iot.geojson}\n"
                                              "  - {kind: facility, points: [{id: school, lat_deg: 36.003, lon_deg: 138.2}]}\n"));
    const World w = load_world(s);
    const auto d = resolve_demand(s, w);
    REQUIRE(d.size() == 5);
    CHECK(d[0].id == "h1");
    CHECK(d[0].kind == dxplan::DemandKind::household);
    CHECK(d[1].pos.lat_deg == 36.002);
    CHECK(d[1].pos.lon_deg == 138.202);
    CHECK(d[2].id == "s1");
    CHECK(d[2].kind == dxplan::DemandKind::iot);
    CHECK(d[2].pos.lat_deg == 36.01);
    CHECK(d[3].id == "iot-2");  // no properties.id: kind and position in the file
    CHECK(d[4].id == "school");
    CHECK(d[4].kind == dxplan::DemandKind::facility);
}

TEST_CASE("bad CSV value names the file and line", "[world]") {
    std::ofstream(dir() / "bad.csv") << "id,lat_deg,lon_deg\nh1,36.001,138.201\nh2,north,138.2\n";
    const Scenario s = load_scenario(scenario("demand:\n  - {kind: household, file: bad.csv}\n"));
    const World w = load_world(s);
    CHECK(error_of([&] { (void)resolve_demand(s, w); }) ==
          (dir() / "bad.csv").string() + ":3: lat_deg = north: must be a number in [-90, 90] deg");
}

TEST_CASE("CSV without the needed columns", "[world]") {
    std::ofstream(dir() / "nocols.csv") << "id,lat,lon\nh1,36.001,138.201\n";
    const Scenario s = load_scenario(scenario("demand:\n  - {kind: household, file: nocols.csv}\n"));
    const World w = load_world(s);
    CHECK(error_of([&] { (void)resolve_demand(s, w); }) ==
          (dir() / "nocols.csv").string() + ":1: header must name the columns id, lat_deg and lon_deg");
}

TEST_CASE("GeoJSON that is not a point collection", "[world]") {
    std::ofstream(dir() / "line.geojson")
        << R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[138.2,36],[138.21,36]]}}]})";
    const Scenario s = load_scenario(scenario("demand:\n  - {kind: iot, file: line.geojson}\n"));
    const World w = load_world(s);
    CHECK(error_of([&] { (void)resolve_demand(s, w); }) ==
          (dir() / "line.geojson").string() + ": features[0]: must be a Point feature with [lon, lat] coordinates");
}

TEST_CASE("demand point outside the terrain", "[world]") {
    const fs::path p = scenario("demand:\n  - {kind: facility, points: [{id: far, lat_deg: 35.0, lon_deg: 138.2}]}\n");
    const Scenario s = load_scenario(p);
    const World w = load_world(s);
    CHECK(error_of([&] { (void)resolve_demand(s, w); }) ==
          p.string() + ":8: demand[0] point 'far' = (35, 138.2): outside the terrain (35.945..36.055 N, 138.13..138.27 E)");
}
