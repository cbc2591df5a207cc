// A mix of technologies is judged as its members are: a mix meets a requirement when each member meets it for
// the kinds it serves, and each member's failure appears once, naming the kind and the member
// (libsim/scenario/comparison_mix.cpp). Values by hand.
#include <catch2/catch.hpp>

#include "libsim/scenario/comparison_internal.hpp"

using namespace dxplan;

namespace {

comparison::PlannedEntry member(const std::string& name, DemandKind kind, std::size_t total, std::size_t served,
                                double battery_years, const econ::Requirements& req) {
    comparison::PlannedEntry pe;
    pe.serves = {kind};
    pe.in.name = name;
    pe.in.family = "nr";
    pe.in.demand_total = total;
    pe.in.demand_covered = served;
    econ::KindService k;
    k.kind = kind;
    k.total = total;
    k.served = served;
    k.in_signal = served;
    k.capacity_mbps_per_user = 10.0;  // above any rate required here
    k.throughput_median_mbps = 10.0;
    k.throughput_p5_mbps = 10.0;
    k.latency_ms = 10.0;
    k.battery_years = battery_years;
    pe.in.kinds = {k};
    pe.report.eval = econ::evaluate_technology(pe.in, req, econ::EconomicParams{});
    return pe;
}

}  // namespace

TEST_CASE("a mix whose members each fail once fails twice, each naming its kind and member", "[mix]") {
    econ::Requirements req;
    req.coverage_target_fraction = 0.95;
    req.kinds[index_of(DemandKind::household)].dl_mbps = 2.0;
    req.kinds[index_of(DemandKind::household)].busy_hour_activity = 0.2;
    req.kinds[index_of(DemandKind::iot)].battery_years = 5.0;
    // Homes: 90 of 100 served at the requirement: 90 % < 95 %, shortfall 1 - 0.90 / 0.95 = 0.0526316; nothing
    // else fails (10 Mbit/s per active user >= 2; no battery for homes).
    // Sensors: all 50 served (100 % >= 95 %), battery 2 years < 5: shortfall 1 - 2 / 5 = 0.6.
    const std::vector<comparison::PlannedEntry> members = {
        member("mix.homes", DemandKind::household, 100, 90, INFINITY, req),
        member("mix.sensors", DemandKind::iot, 50, 50, 2.0, req)};
    REQUIRE(members[0].report.eval.fails.size() == 1);
    REQUIRE(members[1].report.eval.fails.size() == 1);
    MixSpec mix;
    mix.name = "mix";
    const output::TechnologyReport tr = comparison::combine_mix(
        mix, members, {DemandKind::household, DemandKind::iot}, req, econ::EconomicParams{});
    const auto& fails = tr.eval.fails;
    REQUIRE(fails.size() == 2);
    CHECK(fails[0].requirement == econ::Requirement::coverage);
    CHECK(fails[0].kind == DemandKind::household);
    CHECK(fails[0].member == "mix.homes");
    CHECK(fails[0].shortfall == Approx(1.0 - 0.90 / 0.95).epsilon(1e-12));
    CHECK(fails[0].reason == "mix.homes: household: 90.0 % served at the requirement (90 of 100) < target 95.0 %");
    CHECK(fails[1].requirement == econ::Requirement::battery);
    CHECK(fails[1].kind == DemandKind::iot);
    CHECK(fails[1].member == "mix.sensors");
    CHECK(fails[1].shortfall == Approx(0.6).epsilon(1e-12));
    CHECK(tr.eval.shortfall == Approx(1.0 - 0.90 / 0.95 + 0.6).epsilon(1e-12));
    CHECK(tr.eval.complete);
    // The sum: 140 of 150 points served.
    CHECK(tr.eval.demand_total == 150);
    CHECK(tr.eval.demand_covered == 140);
}
