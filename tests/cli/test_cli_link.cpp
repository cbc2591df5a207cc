// `dxplan tech` and `dxplan link`: run the built binary; check the table, the JSON report and the errors.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

namespace {

using Run = dxplan::test::CliRun;
using dxplan::test::run_dxplan;
using dxplan::test::slurp;

namespace fs = std::filesystem;



std::string fuji_tile() { return "'" + (dxplan::test::terrain_dir() / "N35E138.hgt").string() + "'"; }

}  // namespace

TEST_CASE("dxplan tech list / show / table", "[cli][link]") {
    const Run l = run_dxplan("tech list");
    INFO("stderr: " << l.err);
    REQUIRE(l.exit_code == 0);
    CHECK(l.out.find("halow-jp-1mhz") != std::string::npos);
    CHECK(l.out.find("lorawan-as923-jp") != std::string::npos);

    const Run t = run_dxplan("tech table");
    REQUIRE(t.exit_code == 0);
    CHECK(t.out.rfind("| profile |", 0) == 0);
    // HaLow 1 MHz: 16 dBm EIRP and MCS10 -98 dBm -> MAPL 114.0 dB both ways.
    CHECK(t.out.find("| halow-jp-1mhz | 925 MHz / 1 MHz | yes | 16.0 / 13.0 | 114.0 / 114.0 |") != std::string::npos);

    const Run s = run_dxplan("tech show wifi6e-vlp-80mhz --json");
    REQUIRE(s.exit_code == 0);
    const auto doc = nlohmann::json::parse(s.out);
    CHECK(doc["downlink"]["mapl_db"].get<double>() == Approx(90.0));  // 14 dBm EIRP + 76 (MCS0 -76 dBm)
    for (const auto& p : doc["provenance"]) CHECK(!p["source"].get<std::string>().empty());

    const Run bad = run_dxplan("tech show halow-jp-1mhz --set base.tx_power_dbm=14");
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("ARIB STD-T108") != std::string::npos);
    CHECK(bad.err.find("antenna power 14.0 dBm > 13.0 dBm limit") != std::string::npos);
}

TEST_CASE("dxplan link: report over real terrain, table and JSON", "[cli][link]") {
    if (!fs::exists(dxplan::test::terrain_dir() / "N35E138.hgt")) return dxplan::test::skip("skipped: ../shared/data/terrain is absent");
    const std::string path = "--dem " + fuji_tile() + " --from 35.66,138.57 --to 35.64,138.60 --tx-height-m 30 --rx-height-m 1.5";
    const Run j = run_dxplan("link " + path + " --tech halow-jp-1mhz --model free-space --json");
    INFO("stderr: " << j.err);
    REQUIRE(j.exit_code == 0);
    const auto doc = nlohmann::json::parse(j.out);
    const double d_m = doc["distance_m"].get<double>();
    CHECK(d_m == Approx(3508.0).margin(5.0));
    // Free space over the 3D distance (P.525-4 eq. (4)): 20 log(4 pi d3 / lambda), lambda = c / 925 MHz.
    const double d3_m = std::hypot(d_m, 30.0 - 1.5);
    const double fs_db = 20.0 * std::log10(4.0 * std::numbers::pi * d3_m * 925e6 / 299792458.0);
    CHECK(doc["model"]["loss_db"].get<double>() == Approx(fs_db));
    for (const char* dir : {"downlink", "uplink"}) {
        const auto& d = doc[dir];
        CHECK(d["path_loss_db"].get<double>() == Approx(fs_db));
        CHECK(d["margin_db"].get<double>() == Approx(d["mapl_db"].get<double>() - fs_db));  // no extra terms here
        CHECK(d["ok"].get<bool>());
    }
    CHECK(doc["clearance"].contains("min_f1_fraction"));
    CHECK(doc["profile"]["points"].get<int>() > 10);

    const Run t = run_dxplan("link " + path + " --tech lorawan-as923-jp");
    REQUIRE(t.exit_code == 0);
    CHECK(t.out.find("margin_db") != std::string::npos);
    CHECK(t.out.find("link closes both ways") != std::string::npos);

    const Run indoor = run_dxplan("link " + path + " --tech wifi6e-lpi-20mhz");
    CHECK(indoor.exit_code == 2);
    CHECK(indoor.err.find("6 GHz LPI: indoor use only") != std::string::npos);
}

TEST_CASE("dxplan link: validity ranges enforced as in dxplan loss", "[cli][link]") {
    if (!fs::exists(dxplan::test::terrain_dir() / "N35E138.hgt")) return dxplan::test::skip("skipped: ../shared/data/terrain is absent");
    const std::string path = "--dem " + fuji_tile() + " --from 35.66,138.57 --to 35.64,138.60 --tx-height-m 30 --rx-height-m 1.5";
    // ITM is valid 20 MHz - 20 GHz; Okumura-Hata 150-1500 MHz: an error (exit 2) naming the range and the way out.
    const std::pair<const char*, const char*> cases[] = {
        {" --tech local5g-n257-100mhz --model itm", "[20, 20000] MHz"},
        {" --tech local5g-n79-100mhz --model hata-urban-small", "frequency_out_of_range"}};
    for (const auto& [args, why] : cases) {
        INFO(args);
        const Run bad = run_dxplan("link " + path + args + " --json");
        CHECK(bad.exit_code == 2);
        CHECK(bad.err.find(why) != std::string::npos);
        CHECK(bad.err.find("--allow-out-of-range") != std::string::npos);
        // --allow-out-of-range computes and reports the warning.
        const Run ok = run_dxplan("link " + path + args + " --json --allow-out-of-range");
        INFO("stderr: " << ok.err);
        REQUIRE(ok.exit_code == 0);
        const auto doc = nlohmann::json::parse(ok.out);
        CHECK(std::isfinite(doc["model"]["loss_db"].get<double>()));
        bool warned = false;
        for (const auto& w : doc["model"]["warnings"]) warned = warned || w.get<std::string>() == "frequency_out_of_range";
        CHECK(warned);
    }
    // A bad height names the flag and the value.
    const Run h = run_dxplan("link --dem " + fuji_tile() +
                             " --from 35.66,138.57 --to 35.64,138.60 --tech halow-jp-1mhz --rx-height-m 1500");
    CHECK(h.exit_code == 2);
    CHECK(h.err.find("--rx-height-m 1500: must be in [0, 1000] m") != std::string::npos);
}
