// `dxplan backhaul`: the synthetic default scenario end to end (exit 0, every output file, the summary's
// figures agree with the bill of materials), --help with an example, and bad input (exit 2, one line).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.hpp"

using dxplan::test::run_dxplan;

TEST_CASE("dxplan backhaul plans the default scenario", "[cli][backhaul]") {
    const auto out = std::filesystem::temp_directory_path() / ("dxplan_cli_backhaul_" + std::to_string(::getpid()));
    std::filesystem::remove_all(out);
    const std::string scenario = (dxplan::test::source_dir() / "scenarios" / "default.yaml").string();
    const auto r = run_dxplan("backhaul '" + scenario + "' --out '" + out.string() + "' --redundancy --max-hops 4");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    for (const char* f : {"backhaul.geojson", "backhaul.kml", "backhaul_links.csv", "backhaul_bom.csv", "backhaul_rejected.csv",
                          "backhaul_summary.json"})
        CHECK(std::filesystem::exists(out / f));
    const auto s = nlohmann::json::parse(dxplan::test::slurp(out / "backhaul_summary.json"));
    CHECK(s["solved"] == true);
    CHECK(s["redundancy"] == true);
    CHECK(s["unconnected"].empty());
    double cost = 0.0;
    for (const auto& t : s["by_technology"]) cost += t["cost_jpy"].get<double>();
    CHECK(cost == Approx(s["cost_jpy"].get<double>()).epsilon(1e-9));
    const auto g = nlohmann::json::parse(dxplan::test::slurp(out / "backhaul.geojson"));
    CHECK(g["features"].size() == s["links"].get<std::size_t>() + s["nodes"]["sites"].get<std::size_t>() +
                                      s["nodes"]["pops"].get<std::size_t>() + s["nodes"]["relay_candidates"].get<std::size_t>());
    // The default scenario gives backhaul.roads: fibre follows the valley roads (its line has the road's
    // vertices), except to east-spur, 1.3 km up the hillside from the nearest road (more than max_drop_m = 500 m):
    // straight line x 1.3, with a warning naming it.
    CHECK_THAT(r.out, Catch::Contains("fibre candidates routed along them"));
    CHECK_THAT(r.out, Catch::Contains("east-spur is 1314 m from the nearest road (more than 500 m)"));
    std::size_t on_roads = 0;
    for (const auto& f : g["features"]) {
        if (!f["properties"].contains("technology") || f["properties"]["technology"] != "fibre") continue;
        const bool spur = f["properties"]["a"] == "east-spur" || f["properties"]["b"] == "east-spur";
        const std::size_t points = f["geometry"]["coordinates"].size();
        if (spur) {
            CHECK(points == 2);
        } else {
            CHECK(points > 2);
            ++on_roads;
        }
    }
    CHECK(on_roads >= 1);
    std::filesystem::remove_all(out);
}

TEST_CASE("dxplan backhaul with Local 5G chosen, and a bad roads file", "[cli][backhaul]") {
    const auto dir = std::filesystem::temp_directory_path() / ("dxplan_cli_bh_roads_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::string yaml = dxplan::test::slurp(dxplan::test::source_dir() / "scenarios" / "default.yaml");
    const std::string from = "roads: synthetic-valley-roads.geojson";
    REQUIRE(yaml.find(from) != std::string::npos);
    // Roads file that is not GeoJSON: exit 2, the message names the scenario, the field and the file.
    std::ofstream(dir / "bad-roads.geojson") << "not json";
    std::ofstream(dir / "s.yaml") << std::string(yaml).replace(yaml.find(from), from.size(), "roads: bad-roads.geojson")
                                  << "\n";
    const auto bad = run_dxplan("backhaul '" + (dir / "s.yaml").string() + "' --out '" + (dir / "out").string() + "'");
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("s.yaml: backhaul.roads") && Catch::Contains("bad-roads.geojson"));
    // Missing roads file: the scenario loader names the line and the field.
    std::ofstream(dir / "m.yaml") << std::string(yaml).replace(yaml.find(from), from.size(), "roads: nowhere.geojson") << "\n";
    const auto missing = run_dxplan("backhaul '" + (dir / "m.yaml").string() + "'");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("backhaul.roads = nowhere.geojson: file not found"));
    // Local 5G backhaul chosen by name: its hops are candidates (capacity from the link budget).
    const auto l5g = run_dxplan("backhaul '" + (dxplan::test::source_dir() / "scenarios" / "default.yaml").string() +
                                "' --out '" + (dir / "l5g").string() + "' --tech fibre --tech local5g-n79-fwa");
    INFO(l5g.err);
    REQUIRE(l5g.exit_code == 0);
    const std::string links = dxplan::test::slurp(dir / "l5g" / "backhaul_links.csv") +
                              dxplan::test::slurp(dir / "l5g" / "backhaul_rejected.csv");
    CHECK_THAT(links, Catch::Contains("local5g-n79-fwa"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("dxplan backhaul --help and bad input", "[cli][backhaul]") {
    const auto help = run_dxplan("backhaul --help");
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("Example:") && Catch::Contains("--redundancy") && Catch::Contains("--exact"));
    const std::string scenario = "'" + (dxplan::test::source_dir() / "scenarios" / "default.yaml").string() + "'";
    const auto hops = run_dxplan("backhaul " + scenario + " --max-hops 0");
    CHECK(hops.exit_code == 2);
    CHECK_THAT(hops.err, Catch::Contains("--max-hops"));
    const auto tech = run_dxplan("backhaul " + scenario + " --tech nope");
    CHECK(tech.exit_code == 2);
    CHECK_THAT(tech.err, Catch::Contains("--tech nope: unknown backhaul technology"));
    CHECK(run_dxplan("backhaul /nonexistent.yaml").exit_code == 2);
}
