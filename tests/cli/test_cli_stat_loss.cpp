// `dxplan loss` for the distance-based statistical models: the CLI's loss_db equals the library's median
// for each registered model, --condition selects LOS/NLOS, and out-of-range inputs exit with code 2 unless
// --allow-out-of-range.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "models/propagation/model.hpp"
#include "tests/cli/run_cli.hpp"
#include "tests/test_paths.hpp"

namespace {

using Run = dxplan::test::CliRun;
using dxplan::test::run_dxplan;
using dxplan::test::slurp;


}  // namespace

TEST_CASE("dxplan loss: statistical models match the library", "[cli][loss]") {
    namespace prop = dxplan::prop;
    struct Case {
        const char* model;
        double f_mhz, d_m, h_tx_m, h_rx_m;
    };
    const Case cases[] = {{"tr38901-rma", 4700, 1000, 35, 1.5},    {"tr38901-uma", 4700, 1000, 25, 1.5},
                          {"tr38901-umi", 4700, 300, 10, 1.5},     {"hata-urban-large", 869, 2000, 30, 1.5},
                          {"hata-urban-small", 869, 2000, 30, 1.5}, {"hata-suburban", 869, 2000, 30, 1.5},
                          {"hata-open", 869, 2000, 30, 1.5},       {"cost231-hata", 1800, 2000, 30, 1.5},
                          {"two-ray", 920, 2000, 30, 1.5}};
    for (const auto& c : cases) {
        for (const char* cond : {"auto", "los", "nlos"}) {
            INFO(c.model << " --condition " << cond);
            const Run r = run_dxplan("loss --model " + std::string(c.model) + " --distance-m " + std::to_string(c.d_m) +
                                     " --freq-mhz " + std::to_string(c.f_mhz) + " --tx-height-m " +
                                     std::to_string(c.h_tx_m) + " --rx-height-m " + std::to_string(c.h_rx_m) +
                                     " --condition " + cond + " --json");
            REQUIRE(r.exit_code == 0);
            const auto j = nlohmann::json::parse(r.out);
            prop::LossQuery q;
            q.f_mhz = c.f_mhz;
            q.d_m = c.d_m;
            q.h_tx_m = c.h_tx_m;
            q.h_rx_m = c.h_rx_m;
            q.condition = std::string(cond) == "los"    ? prop::Condition::los
                          : std::string(cond) == "nlos" ? prop::Condition::nlos
                                                        : prop::Condition::automatic;
            const prop::LossResult lib = prop::compute_loss(prop::find_model(c.model), q);
            CHECK(j.at("loss_db").get<double>() == Approx(lib.loss_db).margin(1e-9));  // 1e-9 dB (printing)
            CHECK(j.at("warnings").is_array());
        }
    }
}

TEST_CASE("dxplan loss: TR 38.901 auto is the NLOS formula, range checks", "[cli][loss]") {
    const std::string base = "loss --model tr38901-rma --distance-m 1000 --freq-mhz 4700 --tx-height-m 35 --rx-height-m 1.5 --json";
    const auto automatic = nlohmann::json::parse(run_dxplan(base).out);
    const auto nlos = nlohmann::json::parse(run_dxplan(base + " --condition nlos").out);
    const auto los = nlohmann::json::parse(run_dxplan(base + " --condition los").out);
    CHECK(automatic.at("loss_db").get<double>() == nlos.at("loss_db").get<double>());
    CHECK(nlos.at("loss_db").get<double>() > los.at("loss_db").get<double>());
    CHECK(automatic.at("intermediate").at("sigma_sf_db").get<double>() == 8.0);  // RMa NLOS shadowing sigma
    // --building-height-m / --street-width-m change the RMa NLOS' formula
    const auto wide = nlohmann::json::parse(run_dxplan(base + " --street-width-m 40").out);
    CHECK(wide.at("loss_db").get<double>() < automatic.at("loss_db").get<double>());
    // COST-231 Hata is specified for 1500-2000 MHz
    const std::string cost = "loss --model cost231-hata --distance-m 2000 --freq-mhz 2114 --tx-height-m 30 --rx-height-m 1 --json";
    CHECK(run_dxplan(cost).exit_code == 2);
    const Run allowed = run_dxplan(cost + " --allow-out-of-range");
    REQUIRE(allowed.exit_code == 0);
    const auto j = nlohmann::json::parse(allowed.out);
    CHECK(j.at("warnings").at(0).get<std::string>() == "frequency_out_of_range");
}
