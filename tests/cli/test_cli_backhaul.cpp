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
    std::filesystem::remove_all(out);
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
