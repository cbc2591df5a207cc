// Technology comparison: costs, effectiveness and requirement checks against hand calculations.
// Tolerance: 1e-6 JPY for money (exact arithmetic), 1e-9 relative for ratios.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "libsim/core/error.hpp"
#include "libsim/economics/comparison.hpp"

using namespace dxplan::econ;

namespace {

TechnologyInput two_site_plan() {
    TechnologyInput in;
    in.name = "halow-jp-2mhz";
    in.family = "halow";
    in.sites = 2;
    in.coverage_area_km2 = 4.0;
    in.demand_total = 100;
    in.demand_covered = 90;
    in.households_covered = 90.0;
    in.devices_connected = 90.0;
    in.throughput_median_mbps = 6.0;
    in.throughput_p5_mbps = 1.5;
    in.latency_ms = 20.0;
    in.bill = {
        {"halow-ap-outdoor", "halow", Acquisition::purchase, 2.0, 400'000.0, 0.0, true},
        {"site-power-maintenance", "halow", Acquisition::purchase, 2.0, 0.0, 120'000.0, true},
        {"microwave-hop", "backhaul", Acquisition::purchase, 1.0, 4'000'000.0, 100'000.0, true},
    };
    return in;
}

}  // namespace

TEST_CASE("evaluation of one technology: costs, per-household figures and backhaul share", "[comparison]") {
    EconomicParams p;
    p.horizon_years = 2;
    p.discount_rate = 0.10;
    Requirements req;
    req.coverage_target_fraction = 0.8;
    req.min_mbps_per_household = 0.5;
    req.busy_hour_activity = 0.2;
    const TechnologyEvaluation e = evaluate_technology(two_site_plan(), req, p);
    // CAPEX = 2 x 400,000 + 4,000,000 = 4,800,000; OPEX = 2 x 120,000 + 100,000 = 340,000 per year.
    CHECK(e.costs.capex_jpy == Approx(4'800'000.0).margin(1e-6));
    CHECK(e.costs.opex_jpy_per_year == Approx(340'000.0).margin(1e-6));
    // NPV = 4,800,000 + 340,000/1.1 + 340,000/1.21 = 4,800,000 + 309,090.909091 + 280,991.735537 = 5,390,082.644628
    CHECK(e.costs.npv_jpy == Approx(5'390'082.644628).margin(1e-6));
    // per covered household: 5,390,082.644628 / 90 = 59,889.807163
    CHECK(e.effectiveness.per_household_jpy == Approx(59'889.807163).margin(1e-6));
    // after subsidy 1/2 x 4,800,000 = 2,400,000: (5,390,082.644628 - 2,400,000) / 90 = 33,223.140496
    CHECK(e.effectiveness.municipality_per_household_jpy == Approx(33'223.140496).margin(1e-6));
    CHECK(e.effectiveness.per_km2_jpy == Approx(5'390'082.644628 / 4.0).margin(1e-6));
    // per Mbps: Mbps delivered = 90 covered points x 6 Mbit/s median = 540
    CHECK(e.effectiveness.per_mbps_jpy == Approx(5'390'082.644628 / 540.0).margin(1e-6));
    CHECK(e.backhaul_capex_jpy == Approx(4'000'000.0).margin(1e-6));
    CHECK(e.backhaul_opex_jpy_per_year == Approx(100'000.0).margin(1e-6));
    CHECK(e.demand_fraction == Approx(0.9).epsilon(1e-9));
    // capacity: 2 sites x 6 Mbit/s shared by 90 x 0.2 = 18 active households = 0.666667 Mbit/s each
    CHECK(e.capacity_mbps_per_household == Approx(12.0 / 18.0).epsilon(1e-9));
    CHECK(e.fails.empty());
}

TEST_CASE("each requirement a technology misses is reported with its reason", "[comparison]") {
    EconomicParams p;
    TechnologyInput in = two_site_plan();
    in.outdoor_allowed = false;
    in.outdoor_rule = "Radio Equipment Regulations: 5.2 GHz W52 indoor only";
    in.latency_ms = 1500.0;
    in.device = family_defaults("nr").device;  // 3 mA asleep: months, not years
    Requirements req;
    req.coverage_target_fraction = 0.95;      // 90 % covered: fails
    req.min_mbps_per_household = 1.0;         // 0.667 Mbit/s: fails
    req.max_latency_ms = 100.0;
    req.min_battery_years = 5.0;
    const TechnologyEvaluation e = evaluate_technology(in, req, p);
    REQUIRE(e.fails.size() == 5);
    CHECK(e.fails[0].requirement == Requirement::coverage);
    CHECK(e.fails[0].reason == "90.0 % of demand covered < target 95.0 %");
    CHECK(e.fails[1].requirement == Requirement::capacity);
    CHECK(e.fails[2].requirement == Requirement::latency);
    CHECK(e.fails[3].requirement == Requirement::battery);
    CHECK(e.fails[4].requirement == Requirement::regulatory);
    CHECK(e.fails[4].reason.find("W52 indoor only") != std::string::npos);
    CHECK(to_string(e.fails[3].requirement) == "battery");

    // The edge-rate check applies when the busy-hour capacity is enough.
    req = Requirements{};
    req.coverage_target_fraction = 0.5;
    req.min_mbps_per_household = 0.1;
    req.min_edge_mbps = 2.0;  // p5 is 1.5
    const TechnologyEvaluation edge = evaluate_technology(two_site_plan(), req, p);
    REQUIRE(edge.fails.size() == 1);
    CHECK(edge.fails[0].reason == "5th-percentile throughput 1.50 Mbit/s < 2.00 Mbit/s required");
}

TEST_CASE("battery life from the duty cycle", "[comparison]") {
    DeviceEnergy d;
    d.battery_powered = true;
    d.battery_mah = 2400.0;
    d.sleep_ma = 0.01;
    d.active_ma = 40.0;
    d.active_ms_per_message = 1000.0;
    d.messages_per_day = 86.4;  // duty = 86.4 x 1000 / 86,400,000 = 0.001
    // average = 0.01 + (40 - 0.01) x 0.001 = 0.04999 mA; 2400 / 0.04999 = 48,009.6019 h = 5.476 years
    CHECK(battery_life_years(d) == Approx(2400.0 / 0.04999 / (24.0 * 365.25)).epsilon(1e-12));
    d.battery_powered = false;
    CHECK(std::isinf(battery_life_years(d)));
    // LoRa: SF12 time on air ~1.5 s still lasts years at 24 messages a day; NR does not.
    CHECK(battery_life_years(family_defaults("lora", 1482.8).device) > 5.0);
    CHECK(battery_life_years(family_defaults("nr").device) < 1.0);
    CHECK(family_defaults("lora", 1482.8).latency_ms == Approx(2482.8));
}

TEST_CASE("ranking by cost per household puts technologies covering nobody last", "[comparison]") {
    std::vector<TechnologyEvaluation> v(3);
    v[0].households_covered = 10;
    v[0].effectiveness.per_household_jpy = 300.0;
    v[1].households_covered = 0;
    v[2].households_covered = 10;
    v[2].effectiveness.per_household_jpy = 100.0;
    CHECK(rank_by_cost_per_household(v) == std::vector<std::size_t>{2, 0, 1});
}

TEST_CASE("inconsistent inputs are refused", "[comparison]") {
    TechnologyInput in = two_site_plan();
    in.demand_covered = 101;
    CHECK_THROWS_AS(evaluate_technology(in, Requirements{}, EconomicParams{}), dxplan::InputError);
    Requirements req;
    req.coverage_target_fraction = 1.5;
    CHECK_THROWS_AS(evaluate_technology(two_site_plan(), req, EconomicParams{}), dxplan::InputError);
}
