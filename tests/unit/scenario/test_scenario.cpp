// Scenario validation: one test per validation error, each with its exact message (FILE:LINE: field = value: ...).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "libsim/core/error.hpp"
#include "libsim/scenario/scenario.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

using namespace dxplan;
namespace fs = std::filesystem;

namespace {

// A valid scenario; each test changes one line. Line numbers are stable: tests name them.
const std::string kBase = R"(name: test
terrain:
  synthetic: {seed: 1}
land_cover:
  synthetic: true
technologies: [halow-jp-4mhz]
sites:
  - id: a
    lat_deg: 36.0
    lon_deg: 138.2
    mast_height_m: 20
demand:
  - kind: household
    generate: {density_per_km2: 100, seed: 3}
propagation:
  model: free-space
  f_mhz: 920
economics:
  horizon_years: 10
  discount_rate: 0.03
)";

fs::path test_dir() {
    const fs::path d = fs::temp_directory_path() / ("dxplan_test_scenario_" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

// Writes kBase with `from` replaced by `to` (which must occur) and returns the file path.
fs::path write_variant(const std::string& from, const std::string& to) {
    std::string text = kBase;
    const auto pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    text.replace(pos, from.size(), to);
    const fs::path p = test_dir() / "s.yaml";
    std::ofstream(p) << text;
    return p;
}

std::string f(const fs::path& p) { return p.string(); }

// The InputError message load_scenario throws (fails the test when it does not throw one).
std::string load_scenario_error(const fs::path& p) {
    try {
        (void)load_scenario(p);
    } catch (const InputError& e) {
        return e.what();
    }
    FAIL("no InputError for " << p);
    return {};
}

}  // namespace

TEST_CASE("the base scenario loads with its values and defaults", "[scenario]") {
    const auto p = write_variant("name: test", "name: test");
    const Scenario s = load_scenario(p);
    CHECK(s.name == "test");
    REQUIRE(s.terrain.synthetic_seed);
    CHECK(*s.terrain.synthetic_seed == 1);
    CHECK(s.land_cover.synthetic);
    REQUIRE(s.sites.size() == 1);
    CHECK(s.sites[0].id == "a");
    CHECK(s.sites[0].mast_height_m == 20.0);
    CHECK(s.sites[0].where == f(p) + ":8");
    REQUIRE(s.demand.size() == 1);
    CHECK(s.demand[0].generated());
    CHECK(s.demand[0].land_cover_classes == std::vector<std::string>{"urban", "suburban"});
    CHECK(s.propagation.f_mhz == 920.0);
    CHECK(s.propagation.h_rx_m == 1.5);
    CHECK(s.economics.horizon_years == 10);
    CHECK(s.outputs.results_h5);
}

TEST_CASE("the shipped scenarios load", "[scenario]") {
    const Scenario d = load_scenario(test::source_dir() / "scenarios" / "default.yaml");
    CHECK(d.terrain.synthetic_seed);
    CHECK(d.sites.size() >= 3);
    if (!fs::exists(test::terrain_dir() / "N35E138.hgt")) return dxplan::test::skip("../shared absent: fuji-kofu.yaml not loaded");
    const Scenario fk = load_scenario(test::source_dir() / "scenarios" / "fuji-kofu.yaml");
    CHECK(fk.terrain.files.size() == 1);
}

TEST_CASE("propagation.rx_height_from_clutter is read and needs land cover", "[scenario]") {
    CHECK_FALSE(load_scenario(write_variant("name: test", "name: test")).propagation.rx_height_from_clutter);
    const auto on = write_variant("  f_mhz: 920", "  f_mhz: 920\n  rx_height_from_clutter: true");
    CHECK(load_scenario(on).propagation.rx_height_from_clutter);
    // without land cover (and so without generated demand) the flag is an error naming the field
    std::string text = kBase;
    for (const std::string cut : {"land_cover:\n  synthetic: true\n",
                                  "demand:\n  - kind: household\n    generate: {density_per_km2: 100, seed: 3}\n"})
        text.erase(text.find(cut), cut.size());
    const std::string f_line = "  f_mhz: 920";
    text.replace(text.find(f_line), f_line.size(), f_line + "\n  rx_height_from_clutter: true");
    const fs::path p = test_dir() / "no_lc.yaml";
    std::ofstream(p) << text;
    REQUIRE_THROWS_WITH(load_scenario(p), Catch::Contains("propagation.rx_height_from_clutter") &&
                                              Catch::Contains("needs a land_cover section"));
}

TEST_CASE("unknown key", "[scenario]") {
    const auto p = write_variant("    mast_height_m: 20", "    mast_hieght_m: 20");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":11: sites[0].mast_hieght_m: unknown key (valid keys: id, lat_deg, "
                                                 "lon_deg, mast_height_m, technology, sectors)");
}

TEST_CASE("unknown top-level key", "[scenario]") {
    const auto p = write_variant("economics:", "economy:");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":18: economy: unknown key (valid keys: name, area_of_interest, terrain, "
                                                 "land_cover, sites, demand, fibre_pops, technologies, mixes, propagation, "
                                                 "economics, requirements, auto_candidates, outputs, backhaul, measurements, evaluation, routes)");
}

TEST_CASE("negative mast height", "[scenario]") {
    const auto p = write_variant("mast_height_m: 20", "mast_height_m: -5");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":11: sites[0].mast_height_m = -5: must be in [0, 300] m");
}

TEST_CASE("frequency written as text (quoted)", "[scenario]") {
    const auto p = write_variant("f_mhz: 920", "f_mhz: \"920\"");
    REQUIRE_THROWS_WITH(load_scenario(p),
                        f(p) + ":17: propagation.f_mhz = \"920\": must be a number in [30, 100000] MHz, not text");
}

TEST_CASE("frequency written as text (with a unit)", "[scenario]") {
    const auto p = write_variant("f_mhz: 920", "f_mhz: 920MHz");
    REQUIRE_THROWS_WITH(load_scenario(p),
                        f(p) + ":17: propagation.f_mhz = 920MHz: must be a number in [30, 100000] MHz, not text");
}

TEST_CASE("frequency out of range", "[scenario]") {
    const auto p = write_variant("f_mhz: 920", "f_mhz: 5");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":17: propagation.f_mhz = 5: must be in [30, 100000] MHz");
}

TEST_CASE("missing frequency", "[scenario]") {
    const auto p = write_variant("  f_mhz: 920\n", "");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":16: propagation: missing required key 'f_mhz'");
}

TEST_CASE("latitude out of range", "[scenario]") {
    const auto p = write_variant("lat_deg: 36.0", "lat_deg: 95");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":9: sites[0].lat_deg = 95: must be in [-90, 90] deg");
}

TEST_CASE("discount rate out of range", "[scenario]") {
    const auto p = write_variant("discount_rate: 0.03", "discount_rate: 2");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":20: economics.discount_rate = 2: must be in [0, 0.5] per year");
}

TEST_CASE("horizon not an integer", "[scenario]") {
    const auto p = write_variant("horizon_years: 10", "horizon_years: 10.5");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":19: economics.horizon_years = 10.5: must be an integer in [1, 50]");
}

TEST_CASE("horizon out of range", "[scenario]") {
    const auto p = write_variant("horizon_years: 10", "horizon_years: 0");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":19: economics.horizon_years = 0: must be an integer in [1, 50]");
}

TEST_CASE("radius out of range", "[scenario]") {
    const auto p = write_variant("  f_mhz: 920", "  f_mhz: 920\n  radius_m: 50");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":18: propagation.radius_m = 50: must be in [100, 100000] m");
}

TEST_CASE("missing terrain file", "[scenario]") {
    const auto p = write_variant("synthetic: {seed: 1}", "files: [missing.hgt]");
    const std::string abs = (p.parent_path() / "missing.hgt").string();
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":3: terrain.files[0] = missing.hgt: file not found (" + abs + ")");
}

TEST_CASE("missing scenario file", "[scenario]") {
    const fs::path p = test_dir() / "nope.yaml";
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ": scenario file not found");
}

TEST_CASE("terrain with both sources", "[scenario]") {
    const auto p = write_variant("synthetic: {seed: 1}", "synthetic: {seed: 1}\n  files: [a.hgt]");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":3: terrain = {...}: give either 'synthetic' or 'files', not both");
}

TEST_CASE("synthetic land cover needs synthetic terrain", "[scenario]") {
    const fs::path dir = test_dir();
    std::ofstream(dir / "t.hgt") << "x";
    const auto p = write_variant("synthetic: {seed: 1}", "files: [t.hgt]");
    REQUIRE_THROWS_WITH(load_scenario(p),
                        f(p) + ":5: land_cover.synthetic = true: needs synthetic terrain (terrain.synthetic)");
}

TEST_CASE("seed not an integer", "[scenario]") {
    const auto p = write_variant("synthetic: {seed: 1}", "synthetic: {seed: -1}");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":3: terrain.synthetic.seed = -1: must be an integer in [0, 4294967295]");
}

TEST_CASE("boolean written as text", "[scenario]") {
    const auto p = write_variant("synthetic: true", "synthetic: \"yes\"");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":5: land_cover.synthetic = \"yes\": must be true or false");
}

TEST_CASE("duplicate site id", "[scenario]") {
    const auto p = write_variant("    mast_height_m: 20\n",
                                 "    mast_height_m: 20\n  - {id: a, lat_deg: 36.01, lon_deg: 138.2, mast_height_m: 10}\n");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":12: sites[1].id = a: must be unique (also used at " + f(p) + ":8)");
}

TEST_CASE("no sites", "[scenario]") {
    const auto p = write_variant("sites:\n  - id: a\n    lat_deg: 36.0\n    lon_deg: 138.2\n    mast_height_m: 20\n",
                                 "sites: []\n");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":7: sites = [...]: must be a non-empty list");
}

TEST_CASE("site technology not among the scenario's technologies", "[scenario]") {
    const auto p = write_variant("    mast_height_m: 20", "    mast_height_m: 20\n    technology: wifi7");
    REQUIRE_THROWS_WITH(load_scenario(p),
                        f(p) + ":12: sites[0].technology = wifi7: must be one of the scenario's technologies");
}

TEST_CASE("unknown demand kind", "[scenario]") {
    const auto p = write_variant("kind: household", "kind: farm");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":13: demand[0].kind = farm: must be one of household, facility, iot, camera");
}

TEST_CASE("demand with two sources", "[scenario]") {
    const auto p = write_variant("    generate:", "    points: [{id: p, lat_deg: 36, lon_deg: 138.2}]\n    generate:");
    REQUIRE_THROWS_WITH(load_scenario(p),
                        f(p) + ":13: demand[0] = {...}: must have exactly one of 'file', 'points' or 'generate'");
}

TEST_CASE("generated demand needs land cover", "[scenario]") {
    const auto p = write_variant("land_cover:\n  synthetic: true\n", "");
    REQUIRE_THROWS_WITH(load_scenario(p),
                        f(p) + ":12: demand[0].generate = {...}: needs a land_cover section to find built-up cells");
}

TEST_CASE("generated demand density out of range", "[scenario]") {
    const auto p = write_variant("density_per_km2: 100", "density_per_km2: 0");
    REQUIRE_THROWS_WITH(load_scenario(p),
                        f(p) + ":14: demand[0].generate.density_per_km2 = 0: must be in [0.001, 100000] per km2");
}

TEST_CASE("unknown land-cover class for generated demand", "[scenario]") {
    const auto p = write_variant("seed: 3}", "seed: 3, land_cover_classes: [town]}");
    REQUIRE_THROWS_WITH(load_scenario(p),
                        f(p) + ":14: demand[0].generate.land_cover_classes[0] = town: must be one of water, open, "
                               "cropland, forest, suburban, urban");
}

TEST_CASE("missing demand file", "[scenario]") {
    const auto p = write_variant("    generate: {density_per_km2: 100, seed: 3}", "    file: homes.csv");
    const std::string abs = (p.parent_path() / "homes.csv").string();
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":14: demand[0].file = homes.csv: file not found (" + abs + ")");
}

TEST_CASE("unknown propagation model", "[scenario]") {
    const auto p = write_variant("model: free-space", "model: okumura");
    const std::string msg = load_scenario_error(p);
    CHECK_THAT(msg, Catch::StartsWith(f(p) + ":16: propagation.model = okumura: unknown propagation model 'okumura': "
                                             "valid models are free-space"));
}

TEST_CASE("area of interest with north below south", "[scenario]") {
    const auto p = write_variant("terrain:", "area_of_interest: {south_deg: 36.0, west_deg: 138.1, north_deg: 35.9, "
                                             "east_deg: 138.3}\nterrain:");
    REQUIRE_THROWS_WITH(load_scenario(p),
                        f(p) + ":2: area_of_interest.north_deg = 35.9: must be greater than south_deg (36)");
}

TEST_CASE("YAML syntax error", "[scenario]") {
    const auto p = write_variant("  f_mhz: 920", "  f_mhz: [920");
    CHECK_THAT(load_scenario_error(p), Catch::StartsWith(f(p) + ":"));
    CHECK_THAT(load_scenario_error(p), Catch::Contains("YAML syntax error"));
}

TEST_CASE("missing name", "[scenario]") {
    const auto p = write_variant("name: test\n", "");
    REQUIRE_THROWS_WITH(load_scenario(p), f(p) + ":1: scenario: missing required key 'name'");
}

TEST_CASE("technology overrides keep text and position", "[scenario]") {
    const auto p = write_variant("technologies: [halow-jp-4mhz]",
                                 "technologies:\n  - profile: halow-jp-4mhz\n    overrides: {base.antenna_gain_dbi: \"3\"}");
    const Scenario s = load_scenario(p);
    REQUIRE(s.technologies.size() == 1);
    const auto& o = s.technologies[0].overrides.at("base.antenna_gain_dbi");  // (a field the profile has: checked at load)
    CHECK(o.text == "3");
    CHECK(o.quoted);
    CHECK(o.where == f(p) + ":8");
}
