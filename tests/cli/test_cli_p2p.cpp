// `dxplan p2p`: the loss between two coordinates equals `dxplan loss` on the profile `dxplan terrain profile`
// extracts between them (same model, same parameters), on the real tile when ../shared is there and on the
// default scenario's synthetic terrain always; bad input exits 2 with one line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.hpp"
#include "tests/skip.hpp"

using dxplan::test::run_dxplan;

namespace {

const std::string kParams = " --freq-mhz 920 --tx-height-m 30 --rx-height-m 1.5 --json";

double loss_of(const dxplan::test::CliRun& r) {
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out).at("loss_db").get<double>();
}

void check_path(const std::string& terrain_flag, const std::string& from, const std::string& to,
                const std::string& model) {
    const auto p2p = run_dxplan("p2p " + terrain_flag + " --from " + from + " --to " + to + " --model " + model + kParams);
    const auto prof = run_dxplan("terrain profile " + terrain_flag + " --from " + from + " --to " + to);
    REQUIRE(prof.exit_code == 0);
    const auto file = std::filesystem::temp_directory_path() / ("dxplan_p2p_" + model + ".csv");
    std::ofstream(file) << prof.out;
    const auto loss = run_dxplan("loss --profile '" + file.string() + "' --model " + model + kParams);
    std::filesystem::remove(file);
    INFO("model " << model);
    // The same profile and parameters: identical up to the rounding of the profile CSV (0.01 dB).
    CHECK(loss_of(p2p) == Approx(loss_of(loss)).margin(0.01));
}

}  // namespace

TEST_CASE("p2p equals loss over the extracted profile (real tile)", "[cli][p2p]") {
    if (!dxplan::test::have_shared()) return dxplan::test::skip("../shared is absent: real-tile p2p check skipped");
    const std::string dem = "--dem '" + (dxplan::test::terrain_dir() / "N35E138.hgt").string() + "'";
    for (const char* model : {"itm", "p526-delta-bullington", "free-space-knife-edge"})
        check_path(dem, "35.6668,138.5688", "35.5600,138.6400", model);
}

TEST_CASE("p2p bad input exits 2 with one line", "[cli][p2p]") {
    const std::string scen = "--scenario '" + (dxplan::test::source_dir() / "scenarios" / "default.yaml").string() + "'";
    const auto outside = run_dxplan("p2p " + scen + " --from 10,10 --to 10.1,10.1 --model itm" + kParams);
    CHECK(outside.exit_code == 2);
    CHECK(outside.err.find("outside the terrain") != std::string::npos);
    const auto text = run_dxplan("p2p " + scen + " --from abc --to 10.1,10.1 --model itm" + kParams);
    CHECK(text.exit_code == 2);
    CHECK(text.err.find("--from 'abc'") != std::string::npos);
    const auto both = run_dxplan("p2p --from 1,1 --to 2,2 --model itm" + kParams);
    CHECK(both.exit_code == 2);
    CHECK(both.err.find("--scenario FILE or --dem FILE") != std::string::npos);
    for (const auto* r : {&outside, &text, &both}) CHECK(std::count(r->err.begin(), r->err.end(), '\n') == 1);
}
