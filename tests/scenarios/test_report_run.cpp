// The comparison stage on the default scenario, in process: every technology gets sites, costs and a verdict;
// the report's table cells equal summary.json; the uncertainty analysis is deterministic whatever the thread
// count.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "libsim/core/error.hpp"
#include "libsim/output/report.hpp"
#include "libsim/scenario/comparison_stage.hpp"
#include "libsim/scenario/pipeline.hpp"
#include "libsim/scenario/world.hpp"
#include "tests/test_paths.hpp"
#include "tests/unit/output/report_checks.hpp"

using namespace dxplan;
namespace fs = std::filesystem;

namespace {

using dxplan::test::slurp;

struct Prepared {
    Scenario scenario;
    World world;
    output::RunResults results;
};

// What `dxplan run` computes before the comparison stage: the world, the demand and each site's path loss.
void prepare(Prepared& p) {
    p.scenario = load_scenario(test::source_dir() / "scenarios" / "default.yaml");
    // The checks below are about planning, interference and the report; the losses added to the model
    // (excess_loss.hpp; checked in test_excess_loss, test_small_cell_28ghz) are off so their figures stay those
    // of the terrain model alone.
    ExcessLossSpec& e = p.scenario.propagation.losses;
    e.clutter = e.vegetation = e.building_entry = e.rain = e.gas = false;
    p.world = load_world(p.scenario);
    auto& r = p.results;
    r.scenario_name = p.scenario.name;
    r.scenario_file = p.scenario.file.string();
    r.model = p.scenario.propagation.model;
    r.f_mhz = p.scenario.propagation.f_mhz;
    r.demand = resolve_demand(p.scenario, p.world);
    for (const auto& pop : p.scenario.fibre_pops) r.fibre_pops.push_back({pop.id, pop.pos});
    std::map<std::string, std::size_t> warnings;
    for (const auto& site : p.scenario.sites) {
        output::SiteResult sr = compute_site_loss(
            {site.pos, site.mast_height_m, &p.world.terrain, &p.scenario.propagation, &r.demand}, warnings);
        sr.id = site.id;
        sr.technology = site.technology;
        r.sites.push_back(std::move(sr));
    }
}

// The load error of a minimal scenario with this `technologies` list (empty when it loads).
std::string technologies_error(const std::string& name, const std::string& technologies) {
    const fs::path f = fs::temp_directory_path() / ("dxplan_test_serves_" + name + "_" + std::to_string(::getpid()) + ".yaml");
    std::ofstream(f) << "name: t\nterrain:\n  synthetic: {seed: 1}\nsites:\n  - {id: a, lat_deg: 36.0, lon_deg: 138.2, mast_height_m: 10}\n"
                        "propagation: {f_mhz: 920}\ntechnologies:\n" << technologies;
    std::string msg;
    try {
        (void)load_scenario(f);
    } catch (const InputError& e) {
        msg = e.what();
    }
    fs::remove(f);
    return msg;
}

}  // namespace

TEST_CASE("technologies[].serves: the demand kinds a technology is evaluated on", "[scenarios][report]") {
    using Catch::Contains;
    CHECK(technologies_error("ok", "  - {profile: lorawan-as923-jp, serves: [iot]}\n  - halow-jp-4mhz\n").empty());
    const std::string bad = technologies_error("bad", "  - {profile: lorawan-as923-jp, serves: [sensor]}\n");
    CHECK_THAT(bad, Contains(".yaml:8: technologies[0].serves[0] = sensor: must be one of"));
    CHECK(bad.find('\n') == std::string::npos);
    CHECK_THAT(technologies_error("twice", "  - {profile: lorawan-as923-jp, serves: [iot, iot]}\n"),
               Contains(".yaml:8: technologies[0].serves[1] = iot: lists kind 'iot' twice"));
    CHECK_THAT(technologies_error("empty", "  - {profile: lorawan-as923-jp, serves: []}\n"),
               Contains(".yaml:8: technologies[0].serves = [...]: must be a non-empty list"));

    // The default scenario with LoRaWAN for the sensors and HaLow for households and facilities: each is
    // evaluated on its own kinds only, and neither is a complete option alone.
    Prepared p;
    prepare(p);
    std::size_t n_iot = 0;
    for (const auto& d : p.results.demand) n_iot += d.kind == dxplan::DemandKind::iot ? 1 : 0;
    REQUIRE(n_iot > 0);
    for (auto& t : p.scenario.technologies) {
        if (t.profile.starts_with("lorawan")) t.serves = {dxplan::DemandKind::iot};
        if (t.profile.starts_with("halow")) t.serves = {dxplan::DemandKind::household, dxplan::DemandKind::facility};
    }
    std::size_t files = 0;
    const output::ComparisonReport rep = run_comparison_stage(p.scenario, p.world, p.results, {{}, 1}, files);
    CHECK(files == 0);  // no output directory
    bool seen_lora = false, seen_halow = false;
    for (const auto& t : rep.technologies) {
        const auto& e = t.eval;
        const auto failed = [&](econ::Requirement r) {
            return std::any_of(e.fails.begin(), e.fails.end(), [&](const econ::Failure& f) { return f.requirement == r; });
        };
        if (e.name.starts_with("lorawan")) {
            seen_lora = true;
            CHECK(e.demand_total == n_iot);
            CHECK(e.households_covered == 0.0);
            CHECK_FALSE(failed(econ::Requirement::capacity));  // no households: no capacity per household
            CHECK_FALSE(e.complete);
        } else if (e.name.starts_with("halow")) {
            seen_halow = true;
            CHECK(e.demand_total == p.results.demand.size() - n_iot);
            CHECK_FALSE(failed(econ::Requirement::battery));  // no sensors: no battery requirement
            CHECK_FALSE(e.complete);
        } else {
            CHECK(e.demand_total == p.results.demand.size());
            CHECK(e.complete);
        }
    }
    CHECK((seen_lora && seen_halow));
    // The recommendation is never a partial technology.
    std::vector<econ::TechnologyEvaluation> ev;
    for (const auto& t : rep.technologies) ev.push_back(t.eval);
    const auto rec = econ::recommend(ev);
    if (rec.index) CHECK(ev[*rec.index].complete);
}

TEST_CASE("comparison stage on the default scenario: sites, costs, verdicts and a consistent report", "[scenarios][report]") {
    Prepared p;
    prepare(p);
    const fs::path dir = fs::temp_directory_path() / ("dxplan_test_report_run_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::size_t files = 0;
    output::ComparisonReport rep = run_comparison_stage(p.scenario, p.world, p.results, {dir, 2}, files);
    // the standalone technologies, then the mixes; every standalone technology and every mix member writes a
    // coverage PNG, GeoTIFF, KMZ and 6 backhaul files
    std::size_t members = 0;
    for (const auto& mix : p.scenario.mixes) members += mix.members.size();
    REQUIRE(rep.technologies.size() == p.scenario.technologies.size() + p.scenario.mixes.size());
    CHECK(files == 9 * (p.scenario.technologies.size() + members));
    for (const auto& t : rep.technologies) {
        const auto& e = t.eval;
        std::cout << e.name << ": " << e.sites << " sites, " << e.demand_covered << "/" << e.demand_total
                  << " covered, " << e.coverage_area_km2 << " km2, capex " << e.costs.capex_jpy << " JPY, per household "
                  << e.effectiveness.per_household_jpy << " JPY, median " << e.throughput_median_mbps << " Mbit/s, backhaul "
                  << t.backhaul.links << " links (" << t.backhaul.solver << "), fails " << e.fails.size() << "\n";
        CHECK(e.sites >= 1);
        CHECK(e.demand_covered > 0);
        CHECK(e.costs.capex_jpy > 0.0);
        CHECK(t.backhaul.links >= 1);
    }
    // LoRaWAN cannot carry household broadband (no household device in its cost kit): it serves no household at
    // the requirement, fails coverage for them, and cannot be recommended.
    for (const auto& t : rep.technologies)
        if (t.eval.name.starts_with("lorawan")) {
            bool coverage = false;
            for (const auto& f : t.eval.fails)
                coverage = coverage || (f.requirement == econ::Requirement::coverage && f.kind == dxplan::DemandKind::household);
            CHECK(coverage);
            CHECK_FALSE(t.eval.carries);
            CHECK(t.eval.households_covered == 0.0);
        }
    // HaLow on one 4 MHz channel is limited by its own interference: pruning keeps only the sites that serve more
    // than they interfere (fewer than the 5 candidates). Its households are in signal (more than half of them)
    // but none is served at the 2 Mbit/s requirement: its best mode gives 1.08 Mbit/s of application rate
    // (MCS9, 18 Mbit/s PHY).
    for (const auto& t : rep.technologies)
        if (t.eval.name.starts_with("halow")) {
            CHECK(t.eval.sites < 5);
            for (const auto& k : t.eval.kinds)
                if (k.kind == dxplan::DemandKind::household) {
                    CHECK(k.served == 0);
                    CHECK(static_cast<double>(k.in_signal) > 0.5 * static_cast<double>(k.total));
                }
        }

    // The default scenario's mix (Local 5G for households and facilities, LoRaWAN for the sensors) is the sum of
    // its members, each planned on its own demand kinds: costs add (the bill is the members' bills together, so
    // capex, NPV and subsidy are sums), demand points add (disjoint kinds cover all 468: 379 households, 3
    // facilities, 86 sensors), and a requirement fails when a member fails it.
    REQUIRE(p.scenario.mixes.size() == 1);
    const output::TechnologyReport& mix = rep.technologies.back();
    REQUIRE(mix.member_evals.size() == 2);
    const econ::TechnologyEvaluation &homes = mix.member_evals[0], &sensors = mix.member_evals[1];
    CHECK(mix.eval.name == "local5g-homes-lorawan-sensors");
    CHECK(homes.demand_total + sensors.demand_total == mix.eval.demand_total);
    CHECK(mix.eval.demand_total == 468);
    CHECK(sensors.demand_total == 86);  // the IoT points of the default scenario
    CHECK(homes.demand_covered + sensors.demand_covered == mix.eval.demand_covered);
    CHECK(homes.sites + sensors.sites == mix.eval.sites);
    CHECK(mix.eval.costs.capex_jpy == Approx(homes.costs.capex_jpy + sensors.costs.capex_jpy).margin(1e-6));  // JPY
    CHECK(mix.eval.costs.npv_jpy == Approx(homes.costs.npv_jpy + sensors.costs.npv_jpy).margin(1e-6));
    CHECK(mix.eval.costs.eligible_jpy == Approx(homes.costs.eligible_jpy + sensors.costs.eligible_jpy).margin(1e-6));
    REQUIRE(p.scenario.economics.subsidy_cap_jpy == 0.0);  // no cap in the default scenario: the subsidies add
    CHECK(mix.eval.costs.subsidy_jpy == Approx(homes.costs.subsidy_jpy + sensors.costs.subsidy_jpy).margin(1e-6));
    CHECK(mix.eval.households_covered == homes.households_covered);
    CHECK(mix.eval.effectiveness.per_household_jpy == Approx(mix.eval.costs.npv_jpy / homes.households_covered));
    CHECK(mix.eval.fails.size() == homes.fails.size() + sensors.fails.size());
    for (const auto& f : sensors.fails) CHECK(f.requirement != econ::Requirement::capacity);  // no households
    for (const auto& f : homes.fails) CHECK(f.requirement != econ::Requirement::battery);     // no sensors

    output::RunResults results = p.results;
    rep.run = &results;
    results.comparison_json = output::comparison_summary_json(rep);
    output::write_summary_json(dir / "summary.json", results);
    const auto summary = nlohmann::json::parse(slurp(dir / "summary.json"));
    for (output::Lang lang : {output::Lang::en, output::Lang::ja}) {
        output::write_reports(dir, rep, lang);
        const std::size_t n = test::check_cells_against_summary(slurp(dir / "report.html"), summary);
        std::cout << "report (" << output::lang_code(lang) << "): " << n << " table cells equal summary.json\n";
        CHECK(n > 100);
    }

    // Same inputs, one thread: the same Monte Carlo.
    std::size_t files1 = 0;
    fs::create_directories(dir / "one");
    const output::ComparisonReport one = run_comparison_stage(p.scenario, p.world, p.results, {dir / "one", 1}, files1);
    REQUIRE(one.monte_carlo);
    for (std::size_t t = 0; t < one.monte_carlo->technologies.size(); ++t)
        CHECK(one.monte_carlo->technologies[t].per_household_jpy == rep.monte_carlo->technologies[t].per_household_jpy);
    fs::remove_all(dir);
}

TEST_CASE("economics.prices: a quotation replaces a catalogue price in the bill and the assumptions", "[scenarios][report]") {
    Prepared p;
    prepare(p);
    p.scenario.mixes.clear();
    p.scenario.technologies.resize(1);  // Local 5G only
    // The catalogue's outdoor gNB is 15,000,000 JPY (an assumption, range 10-30 M); a quotation of 18,000,000 JPY
    // replaces it: the range scales by 18/15 (12-36 M) and the source and status say it is the scenario's.
    p.scenario.economics.prices.push_back({"l5g-gnb-outdoor", 18'000'000.0, std::nullopt, "s.yaml:40"});
    std::size_t files = 0;
    const output::ComparisonReport rep = run_comparison_stage(p.scenario, p.world, p.results, {{}, 1}, files);
    const auto it = std::find_if(rep.catalogue_items.begin(), rep.catalogue_items.end(),
                                 [](const auto& c) { return c.id == "l5g-gnb-outdoor"; });
    REQUIRE(it != rep.catalogue_items.end());
    CHECK(it->capex_jpy == 18'000'000.0);
    CHECK(it->low_jpy == Approx(12'000'000.0));
    CHECK(it->high_jpy == Approx(36'000'000.0));
    CHECK(it->status == "quotation");
    CHECK_THAT(it->source, Catch::StartsWith("scenario quotation (s.yaml:40)"));
    bool billed = false;
    for (const auto& b : rep.technologies.front().eval.bill)
        if (b.id == "l5g-gnb-outdoor") billed = b.unit_capex_jpy == 18'000'000.0;
    CHECK(billed);

    p.scenario.economics.prices = {{"no-such-item", 1.0, std::nullopt, "s.yaml:41"}};
    CHECK_THROWS_WITH(run_comparison_stage(p.scenario, p.world, p.results, {{}, 1}, files),
                      Catch::Contains("s.yaml:41: economics.prices.no-such-item: no such item in the cost catalogue"));
}
