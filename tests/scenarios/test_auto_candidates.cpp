// Automatic candidate sites: a known synthetic hill is found as a hilltop, the synthetic valley's village is
// the largest built-up cluster, candidates near a given site are left out, and `dxplan run` labels every site
// with its origin; the scenario's requirements, budget and auto_candidates fields are read, and bad values are
// refused with one-line errors naming the file, line, field and valid range.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include "libsim/core/error.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/scenario/auto_candidates.hpp"
#include "libsim/scenario/pipeline.hpp"
#include "libsim/scenario/scenario.hpp"
#include "libsim/terrain/synthetic.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

using namespace dxplan;
namespace fs = std::filesystem;

namespace {

// 201 x 201 cells of 1 arc-second (about 31 x 25 m at 36 N) on a 500 m plain, with one Gaussian hill of
// 300 m (sigma 600 m) centred on cell (row 120, col 70).
Terrain hill_terrain(int hill_row, int hill_col) {
    GeoGrid g;
    g.rows = g.cols = 201;
    g.north_deg = 36.05;
    g.west_deg = 138.15;
    g.dlat_deg = g.dlon_deg = 1.0 / 3600.0;
    g.values.resize(static_cast<std::size_t>(g.rows) * g.cols);
    const double cell_y_m = 30.87, cell_x_m = 30.87 * std::cos(36.0 * 3.14159265358979 / 180.0);
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c) {
            const double dy = (r - hill_row) * cell_y_m, dx = (c - hill_col) * cell_x_m;
            g.values[static_cast<std::size_t>(r) * g.cols + c] =
                static_cast<float>(500.0 + 300.0 * std::exp(-(dx * dx + dy * dy) / (2.0 * 600.0 * 600.0)));
        }
    return Terrain(std::move(g));
}

fs::path write_scenario(const std::string& name, const std::string& extra) {
    const fs::path p = fs::temp_directory_path() / ("dxplan-auto-" + std::to_string(::getpid()) + "-" + name + ".yaml");
    std::ofstream(p) << "name: t\nterrain:\n  synthetic: {seed: 1}\nland_cover:\n  synthetic: true\n"
                        "sites:\n  - {id: a, lat_deg: 36.0, lon_deg: 138.2, mast_height_m: 10}\n"
                        "propagation: {f_mhz: 920}\n"
                     << extra;
    return p;
}

std::string load_error(const std::string& name, const std::string& extra) {
    const fs::path p = write_scenario(name, extra);
    std::string msg;
    try {
        (void)load_scenario(p);
    } catch (const InputError& e) {
        msg = e.what();
    }
    fs::remove(p);
    return msg;
}

}  // namespace

TEST_CASE("a known synthetic hill is found as a hilltop candidate", "[scenarios][auto_candidates]") {
    World w;
    w.terrain = hill_terrain(120, 70);
    Scenario s;
    s.auto_candidates.hilltops = 3;
    s.auto_candidates.mast_height_m = 12.0;
    const auto sites = auto_candidate_sites(s, w);
    REQUIRE(sites.size() == 1);  // one hill: one hilltop (the plain has no relief)
    const GeoGrid& g = w.terrain.grid();
    const LatLon peak{g.north_deg - 120 * g.dlat_deg, g.west_deg + 70 * g.dlon_deg};
    CHECK(sites[0].id == "hilltop-1");
    CHECK(sites[0].origin == "hilltop");
    CHECK(sites[0].mast_height_m == 12.0);
    CHECK(geodesic_inverse(sites[0].pos, peak).d_m < 1.0);  // the peak cell itself (tolerance 1 m)

    // A given site on the hill (within 100 m) stands for it: no duplicate candidate.
    SiteSpec given;
    given.id = "on-the-hill";
    given.pos = geodesic_direct(peak, 45.0, 60.0);
    s.sites.push_back(given);
    CHECK(auto_candidate_sites(s, w).empty());

    // A listed site far from the hill that happens to be called hilltop-1: the candidate's id gets a suffix.
    s.sites.back().id = "hilltop-1";
    s.sites.back().pos = {g.north_deg - 5 * g.dlat_deg, g.west_deg + 5 * g.dlon_deg};
    const auto renamed = auto_candidate_sites(s, w);
    REQUIRE(renamed.size() == 1);
    CHECK(renamed[0].id == "hilltop-1-2");
}

TEST_CASE("the synthetic valley's village is the largest built-up cluster", "[scenarios][auto_candidates]") {
    const SyntheticValley v = make_synthetic_valley(1, load_clutter_table(default_clutter_table_path()));
    const auto sites = built_up_cluster_sites(v.land_cover, v.terrain.grid().centres(), 10);
    std::cout << "built-up clusters: " << sites.size() << "\n";
    REQUIRE(sites.size() >= 5);  // the village and four hamlets at least
    const double d_village_m = geodesic_inverse(sites[0], v.places[0].pos).d_m;
    std::cout << "largest cluster centre to the village centre: " << d_village_m << " m\n";
    CHECK(v.places[0].kind == "village");
    CHECK(d_village_m < 500.0);  // tolerance 500 m: the village's built-up area is about 1 km across
    // Each hamlet has a cluster centre within 500 m.
    for (std::size_t h = 1; h < v.places.size(); ++h) {
        double best_m = 1e9;
        for (const auto& p : sites) best_m = std::min(best_m, geodesic_inverse(p, v.places[h].pos).d_m);
        INFO(v.places[h].id << " nearest cluster centre " << best_m << " m");
        CHECK(best_m < 500.0);
    }
    // Every candidate stands on a built-up cell.
    for (const auto& p : sites) {
        const ClutterClass* c = v.land_cover.clutter_at(p);
        REQUIRE(c != nullptr);
        CHECK((c->category == ClutterCategory::urban || c->category == ClutterCategory::suburban));
    }
}

TEST_CASE("requirements, budget and auto_candidates are read from the scenario", "[scenarios][auto_candidates]") {
    const fs::path p = write_scenario("ok",
                                      "economics: {budget_jpy: 5.0e7, subsidy_cap_jpy: 3.0e7, opex_escalation_rate: 0.02, demonstration: true,\n"
                                      "  rentals_booked_up_front: false, rental_eligible_years: 3}\n"
                                      "requirements: {coverage_target: 0.8, location_reliability: 0.95,\n"
                                      "  min_mbps_per_household: 5, busy_hour_activity: 0.3, min_edge_mbps: 1,\n"
                                      "  max_latency_ms: 50, device_battery_years: 3, outdoor: false}\n"
                                      "auto_candidates: {hilltops: 2, built_up: 3, mast_height_m: 25, min_separation_m: 800}\n");
    const Scenario s = load_scenario(p);
    fs::remove(p);
    CHECK(s.economics.budget_jpy == 5.0e7);
    CHECK(s.economics.subsidy_cap_jpy == 3.0e7);
    CHECK(s.economics.opex_escalation_rate == 0.02);
    CHECK(s.economics.demonstration);
    CHECK_FALSE(s.economics.rentals_booked_up_front);
    CHECK(s.economics.rental_eligible_years == 3);
    CHECK(s.requirements.coverage_target == 0.8);
    CHECK(s.requirements.location_reliability == 0.95);
    CHECK(s.requirements.min_mbps_per_household == 5.0);
    CHECK(s.requirements.busy_hour_activity == 0.3);
    CHECK(s.requirements.min_edge_mbps == 1.0);
    CHECK(s.requirements.max_latency_ms == 50.0);
    CHECK(s.requirements.device_battery_years == 3.0);
    CHECK_FALSE(s.requirements.outdoor);
    CHECK(s.auto_candidates.hilltops == 2);
    CHECK(s.auto_candidates.built_up == 3);
    CHECK(s.auto_candidates.mast_height_m == 25.0);
    CHECK(s.auto_candidates.min_separation_m == 800.0);

    if (!fs::exists(test::terrain_dir() / "N35E138.hgt")) return dxplan::test::skip("../shared/data/terrain absent: fuji-kofu.yaml's defaults not checked");  // fuji-kofu.yaml names the SRTM tile of ../shared
    const Scenario d = load_scenario(test::source_dir() / "scenarios" / "fuji-kofu.yaml");  // defaults
    CHECK(d.requirements.coverage_target == 0.95);
    CHECK(d.requirements.location_reliability == 0.9);
    CHECK_FALSE(d.requirements.device_battery_years.has_value());
    CHECK(d.auto_candidates.hilltops == 6);
    CHECK(d.auto_candidates.built_up == 6);
    CHECK(d.auto_candidates.min_separation_m == 1000.0);  // the default
}

TEST_CASE("bad requirements name the file, line, field and valid range", "[scenarios][auto_candidates]") {
    using Catch::Contains;
    const std::string e1 = load_error("cov", "requirements: {coverage_target: 1.5}\n");
    CHECK_THAT(e1, Contains(".yaml:9: requirements.coverage_target = 1.5: must be in [0, 1]"));
    CHECK_THAT(load_error("rel", "requirements: {location_reliability: 0.2}\n"),
               Contains("requirements.location_reliability = 0.2: must be in [0.5, 0.999]"));
    CHECK_THAT(load_error("lat", "requirements: {max_latency_ms: fast}\n"),
               Contains("requirements.max_latency_ms = fast: must be a number in [0, 100000] ms, not text"));
    CHECK_THAT(load_error("bat", "requirements: {device_battery_years: -1}\n"),
               Contains("requirements.device_battery_years = -1: must be in [0, 50] years"));
    CHECK_THAT(load_error("key", "requirements: {min_ul_mbps: 1}\n"), Contains("requirements.min_ul_mbps: unknown key"));
    CHECK_THAT(load_error("bud", "economics: {budget_jpy: -5}\n"), Contains("economics.budget_jpy = -5: must be in [0, 1e+12] JPY"));
    CHECK_THAT(load_error("rent", "economics: {rental_eligible_years: 51}\n"),
               Contains("economics.rental_eligible_years = 51: must be an integer in [0, 50]"));
    CHECK_THAT(load_error("hill", "auto_candidates: {hilltops: 101}\n"),
               Contains("auto_candidates.hilltops = 101: must be an integer in [0, 100]"));
    for (const auto& m : {e1}) CHECK(m.find('\n') == std::string::npos);  // one line
}

TEST_CASE("dxplan run with automatic candidates labels each site with its origin", "[scenarios][auto_candidates]") {
    // The synthetic valley with one given site far from the village: the village and hamlets become built-up
    // candidates, the ridges hilltop candidates; one technology, a coarse grid to keep the run short.
    const fs::path dir = fs::temp_directory_path() / ("dxplan-auto-run-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path scen = dir / "auto.yaml";
    std::ofstream(scen) << "name: auto\narea_of_interest: {south_deg: 35.95, west_deg: 138.14, north_deg: 36.05, east_deg: 138.26}\n"
                           "terrain:\n  synthetic: {seed: 1}\nland_cover:\n  synthetic: true\n"
                           "technologies: [lorawan-as923-jp]\n"
                           "sites:\n  - {id: nishi, lat_deg: 36.0185, lon_deg: 138.1845, mast_height_m: 15}\n"
                           "demand:\n  - kind: household\n    generate: {density_per_km2: 100, seed: 7}\n"
                           "fibre_pops:\n  - {id: pop, lat_deg: 36.0018, lon_deg: 138.2054}\n"
                           "propagation: {model: free-space-knife-edge, f_mhz: 920, resolution_m: 100, radius_m: 3000}\n"
                           "economics: {budget_jpy: 20000000, demonstration: true}\n"
                           "requirements: {coverage_target: 0.5, max_latency_ms: 100}\n"
                           "auto_candidates: {hilltops: 2, built_up: 2, mast_height_m: 20}\n"
                           "outputs: {loss_geotiff: false, results_h5: false, report_html: true}\n";
    RunConfig cfg;
    cfg.scenario_file = scen;
    cfg.out_dir = dir / "out";
    const RunSummary r = run_scenario(cfg);
    CHECK(r.sites == 5);  // nishi + 2 hilltops + 2 built-up (the village and the largest other hamlet)
    std::ifstream in(cfg.out_dir / "summary.json");
    const auto j = nlohmann::json::parse(in);
    std::map<std::string, int> origins;
    for (const auto& s : j["sites"]) ++origins[s["origin"].get<std::string>()];
    CHECK(origins["given"] == 1);
    CHECK(origins["hilltop"] == 2);
    CHECK(origins["built-up"] == 2);
    CHECK(j["sites"][1]["id"] == "hilltop-1");
    CHECK(j["sites"][3]["id"] == "built-up-1");
    const auto& t = j["technologies"][0];
    REQUIRE(t["site_ids"].size() == t["site_origins"].size());
    // The scenario's requirements reach the verdict. Households are judged per kind: LoRaWAN has no household
    // device in its cost kit, so it serves none of them at the requirement and fails coverage for households (its
    // class-A round trip, > 1 s, is not judged against the households' 100 ms when it serves none of them).
    CHECK(j["requirements"]["coverage_target_fraction"] == 0.5);
    CHECK(j["requirements"]["max_latency_ms"] == 100.0);
    CHECK(t["fails"] == nlohmann::json::array({"coverage:household"}));
    CHECK(t["carries"] == false);
    // A demonstration project: the purchases (gateways, poles, devices) are not eligible, only the prepaid
    // subscriptions (network server, line): the eligible cost is below the year-0 outlay.
    CHECK(j["economics"]["demonstration"] == true);
    CHECK(t["eligible_jpy"].get<double>() > 0.0);
    CHECK(t["eligible_jpy"].get<double>() < t["capex_jpy"].get<double>());
    REQUIRE(j["budget"]["technologies"].size() == 1);
    CHECK(j["budget"]["budget_jpy"] == 20000000);
    fs::remove_all(dir);
}

TEST_CASE("mixes are read and checked: members need serves, kinds do not overlap", "[scenarios][mixes]") {
    using Catch::Contains;
    const std::string techs = "technologies: [halow-jp-4mhz, lorawan-as923-jp]\n";
    const fs::path ok = write_scenario("mix-ok", techs + "mixes:\n  - name: halow-homes\n    members:\n"
                                                 "      - {profile: halow-jp-4mhz, serves: [household, facility]}\n"
                                                 "      - {profile: lorawan-as923-jp, serves: [iot]}\n");
    const Scenario s = load_scenario(ok);
    fs::remove(ok);
    REQUIRE(s.mixes.size() == 1);
    CHECK(s.mixes[0].name == "halow-homes");
    REQUIRE(s.mixes[0].members.size() == 2);
    CHECK(s.mixes[0].members[1].serves == std::vector<dxplan::DemandKind>{dxplan::DemandKind::iot});

    const std::string head = techs + "mixes:\n  - name: m\n    members:\n";
    CHECK_THAT(load_error("mix-overlap", head + "      - {profile: halow-jp-4mhz, serves: [household, iot]}\n"
                                                "      - {profile: lorawan-as923-jp, serves: [iot]}\n"),
               Contains(":14: mixes[0].members[1].serves") && Contains("kind 'iot' is served by two members"));
    CHECK_THAT(load_error("mix-noserves", head + "      - {profile: halow-jp-4mhz}\n"
                                                 "      - {profile: lorawan-as923-jp, serves: [iot]}\n"),
               Contains(":13: mixes[0].members[0]") && Contains("needs `serves`"));
    CHECK_THAT(load_error("mix-one", head + "      - {profile: halow-jp-4mhz, serves: [household]}\n"),
               Contains("mixes[0].members") && Contains("must list at least two technologies"));
    CHECK_THAT(load_error("mix-name", techs + "mixes:\n  - name: halow-jp-4mhz\n    members:\n"
                                              "      - {profile: halow-jp-4mhz, serves: [household]}\n"
                                              "      - {profile: lorawan-as923-jp, serves: [iot]}\n"),
               Contains("mixes[0].name") && Contains("is also a technology profile's name"));
    CHECK_THAT(load_error("mix-slash", techs + "mixes:\n  - name: a/b\n    members:\n"
                                               "      - {profile: halow-jp-4mhz, serves: [household]}\n"
                                               "      - {profile: lorawan-as923-jp, serves: [iot]}\n"),
               Contains("must be letters, digits"));
}

TEST_CASE("economics.prices are read with their line, bad quotations are one-line errors", "[scenarios][economics]") {
    using Catch::Contains;
    const fs::path ok = write_scenario("prices-ok", "economics:\n  prices:\n    l5g-gnb-outdoor: {capex_jpy: 18000000}\n"
                                                    "    l5g-core-subscription: {opex_jpy_per_year: 2400000}\n");
    const Scenario s = load_scenario(ok);
    fs::remove(ok);
    REQUIRE(s.economics.prices.size() == 2);
    CHECK(s.economics.prices[0].id == "l5g-gnb-outdoor");
    CHECK(s.economics.prices[0].capex_jpy == 18e6);
    CHECK_FALSE(s.economics.prices[0].opex_jpy_per_year.has_value());
    CHECK(s.economics.prices[1].opex_jpy_per_year == 2.4e6);
    CHECK_THAT(s.economics.prices[0].where, Contains(".yaml:11"));  // the line of l5g-gnb-outdoor
    CHECK_THAT(load_error("prices-neg", "economics:\n  prices:\n    l5g-cpe: {capex_jpy: -1}\n"),
               Contains("economics.prices.l5g-cpe.capex_jpy = -1: must be in [0, 1e+12] JPY"));
    CHECK_THAT(load_error("drop", "backhaul: {max_drop_m: -1}\n"),
               Contains("backhaul.max_drop_m = -1: must be in [0, 100000] m"));
    CHECK_THAT(load_error("prices-empty", "economics:\n  prices:\n    l5g-cpe: {}\n"),
               Contains("economics.prices.l5g-cpe") && Contains("needs capex_jpy or opex_jpy_per_year"));
}
