// Backhaul link feasibility: clearance and Fresnel zone on synthetic profiles (checked by hand), a ridge that
// blocks a hop and the reason given, the P.530 availability of a 23 GHz 10 km hop against a hand calculation,
// hops on the real SRTM tile (N35E138: across the Misaka mountains vs across the Kofu basin), technologies and
// criteria as data, and the candidate graph + heuristic + outputs on the synthetic valley.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "libsim/core/error.hpp"
#include "libsim/economics/catalogue.hpp"
#include "libsim/network/backhaul_output.hpp"
#include "libsim/network/candidate_graph.hpp"
#include "libsim/network/link_feasibility.hpp"
#include "libsim/terrain/synthetic.hpp"
#include "models/propagation/p676.hpp"
#include "models/propagation/p838.hpp"
#include "tests/test_paths.hpp"
#include "tests/skip.hpp"

using namespace dxplan;
using namespace dxplan::net;
using Catch::Detail::Approx;

namespace {

const BackhaulTechnology& tech(const std::vector<BackhaulTechnology>& all, const std::string& name) {
    for (const auto& t : all)
        if (t.name == name) return t;
    FAIL("technology " << name << " not found");
    return all.front();
}

}  // namespace

TEST_CASE("technologies and design criteria load from the data, prices from the catalogue", "[backhaul][feasibility]") {
    const auto all = load_backhaul_technologies();
    REQUIRE(all.size() >= 9);
    const DesignCriteria c = load_design_criteria();
    CHECK(c.k_median == Approx(4.0 / 3.0).epsilon(1e-9));
    CHECK(c.k_worst == Approx(2.0 / 3.0).epsilon(1e-9));
    CHECK(c.f1_fraction_median == 0.6);
    CHECK(c.target_availability_pct == 99.99);
    const econ::Catalogue cat = econ::load_catalogue(econ::default_catalogue_path());
    // Radio: catalogue microwave-hop per hop; fibre: fibre-aerial-km x route km (here straight line x 1.3).
    const LinkCost mw = link_cost(tech(all, "mw-23ghz"), cat, 8000.0);
    CHECK(mw.capex_jpy == cat.item("microwave-hop").capex_jpy);
    CHECK(mw.opex_jpy_per_year == cat.item("microwave-hop").opex_jpy_per_year);
    const LinkCost fb = link_cost(tech(all, "fibre"), cat, 5000.0 * 1.3);  // the route length
    CHECK(fb.capex_jpy == Approx(cat.item("fibre-aerial-km").capex_jpy * 5.0 * 1.3));
    // cost = capex + sum_{t=1..10} opex / 1.03^t; the annuity factor for 10 years at 3 % is 8.530203.
    CHECK(total_cost_jpy(mw, 10, 0.03) == Approx(mw.capex_jpy + mw.opex_jpy_per_year * 8.530203).epsilon(1e-6));
    // Every technology's catalogue item exists.
    for (const auto& t : all) CHECK_NOTHROW(cat.item(t.catalogue_item));
}

TEST_CASE("bad technology data names the file and field", "[backhaul][feasibility]") {
    const auto dir = std::filesystem::temp_directory_path() / "dxplan_bh_bad";
    std::filesystem::create_directories(dir);
    std::ifstream in(default_backhaul_dir() / "mw-23ghz.yaml");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    text.replace(text.find("{value: 23,"), 11, "{value: 230,");
    std::ofstream(dir / "mw-23ghz.yaml") << text;
    CHECK_THROWS_WITH(load_backhaul_technology(dir / "mw-23ghz.yaml"),
                      Catch::Contains("mw-23ghz.yaml:") && Catch::Contains("f_ghz.value = 230: must be in [1, 100]"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("clearance and Fresnel zone on a synthetic profile, by hand", "[backhaul][feasibility]") {
    // Flat ground at 0 m, 10 km, 11 points 1 km apart, a 20 m obstacle at mid-path (5 km), masts 30 m,
    // 23 GHz, k = 4/3 (a_e = 4/3 x 6371 km = 8494.667 km).
    //   earth bulge at 5 km: d1 d2 / (2 k a) = 5000 x 5000 / (2 x 8494667) = 1.4715 m
    //   lambda = 299792458 / 23e9 = 0.0130345 m; F1 = sqrt(lambda d1 d2 / d) = sqrt(0.0130345 x 2500) = 5.7085 m
    //   clearance = ray 30 - (20 + 1.4715) = 8.5285 m; 0.6 F1 = 3.4251 m: intrusion 3.4251 - 8.5285 = -5.1034 m
    //   clearance / F1 = 8.5285 / 5.7085 = 1.4940 (elsewhere larger: at 1 km, 29.47 / 3.425 = 8.6)
    //   at k = 2/3: bulge 2.9430 m, clearance 7.0570 m, required 0 -> intrusion -7.0570 m
    std::vector<double> z(11, 0.0);
    z[5] = 20.0;
    const auto all = load_backhaul_technologies();
    const BackhaulTechnology& t23 = tech(all, "mw-23ghz");
    DesignCriteria c;  // defaults: k 4/3 and 2/3, 0.6 F1 and grazing
    HopPath path{ProfileView(1000.0, z), {}, 30.0, 30.0};

    const Obstruction med = worst_obstruction(path, 23.0, 4.0 / 3.0, 0.6);
    CHECK(med.d_m == 5000.0);
    CHECK(med.clearance_m == Approx(8.5285).margin(1e-3));
    CHECK(med.required_m == Approx(3.4251).margin(1e-3));
    CHECK(med.intrusion_m == Approx(-5.1034).margin(1e-3));
    const Obstruction worst = worst_obstruction(path, 23.0, 2.0 / 3.0, 0.0);
    CHECK(worst.intrusion_m == Approx(-7.0570).margin(1e-3));

    const HopAssessment ok = assess_hop(path, t23, c, 35.6);
    CHECK(ok.clearance_f1 == Approx(1.4940).margin(1e-3));
    CHECK(ok.min_clearance_m == Approx(8.5285).margin(1e-3));
    CHECK(ok.diffraction_db == Approx(0.0).margin(1e-9));  // v = -0.6 sqrt(2) x (8.5/3.4) < -0.78: J = 0

    // 6 m of trees on the obstacle: clearance 8.5285 - 6 = 2.5285 m < 0.6 F1 = 3.4251 m, intrusion 0.8966 m.
    std::vector<double> clutter(11, 0.0);
    clutter[5] = 6.0;
    const HopAssessment blocked = assess_hop({ProfileView(1000.0, z), clutter, 30.0, 30.0}, t23, c, 35.6);
    CHECK_FALSE(blocked.feasible);
    CHECK(blocked.worst.intrusion_m == Approx(0.8966).margin(1e-3));
    CHECK(blocked.worst.clutter_m == 6.0);
    CHECK(blocked.reason == "obstructed at 5.00 km from A: terrain 20 m + clutter 6 m intrudes 0.9 m into the required "
                            "clearance (0.6 F1 = 3.4 m at k = 1.33)");
    CHECK(blocked.diffraction_db > 0.0);  // v = 0.6 sqrt(2) x (-2.53 / 3.43) ... partly obstructed: J(v) > 0
}

TEST_CASE("a hop through a ridge is rejected and the reason names the obstruction", "[backhaul][feasibility]") {
    // 20 km at 100 m, a ridge peaking at 200 m at 12 km (triangular, 11-13 km), masts 30 m: ray at 130 m.
    //   k = 4/3: bulge 12000 x 8000 / (2 x 8494667) = 5.6506 m; clearance 130 - 205.65 = -75.65 m;
    //            F1 = sqrt(0.0130345 x 12000 x 8000 / 20000) = 7.9099 m, 0.6 F1 = 4.7459 m: intrusion 80.40 m
    //   k = 2/3: bulge 11.3012 m; clearance -81.30 m; required 0: intrusion 81.30 m  <- the worse, reported
    const double s = 100.0;
    std::vector<double> z(201, 100.0);
    for (int i = 110; i <= 130; ++i) z[static_cast<std::size_t>(i)] = 200.0 - 100.0 * std::abs(i - 120) / 10.0;
    const auto all = load_backhaul_technologies();
    const HopAssessment r = assess_hop({ProfileView(s, z), {}, 30.0, 30.0}, tech(all, "mw-23ghz"), DesignCriteria{}, 35.6);
    REQUIRE_FALSE(r.feasible);
    CHECK(r.worst.d_m == 12000.0);
    CHECK(r.worst.ground_m == 200.0);
    CHECK(r.worst.k_factor == Approx(2.0 / 3.0));
    CHECK(r.worst.intrusion_m == Approx(81.3012).margin(1e-3));
    CHECK(r.reason == "obstructed at 12.00 km from A: terrain 200 m intrudes 81.3 m into the required clearance "
                      "(0.0 F1 = 0.0 m at k = 0.67); line of sight blocked by 81.3 m");
    CHECK(r.diffraction_db > 20.0);  // deep shadow behind the ridge (Deygout)
}

TEST_CASE("availability of a 23 GHz 10 km hop matches a P.530 hand calculation", "[backhaul][feasibility]") {
    // Flat ground at 100 m, 10 km, masts 30 m (both antennas at 130 m amsl: path inclination 0), the mw-23ghz
    // data (2 x 40.6 dBi, 2 dB losses, threshold -60 dBm, vertical) with 30 dBm transmit power (a margin above
    // the multipath transition depth A_t = 25.0 dB, so the deep-fading law of sec. 2.3.1 applies), R0.01 =
    // 90 mm/h, dN1 = -350, s_a = 100 m, latitude 35.6 deg.
    std::vector<double> z(101, 100.0);
    const auto all = load_backhaul_technologies();
    BackhaulTechnology t = tech(all, "mw-23ghz");
    t.tx_power_dbm = 30.0;
    DesignCriteria c;
    const HopAssessment r = assess_hop({ProfileView(100.0, z), {}, 30.0, 30.0}, t, c, 35.6);

    // Receive level: free space (P.525-4 eq. (4)) 20 log(4 pi d / lambda) = 32.4478 + 20 log 23000 + 20 log 10
    // = 32.4478 + 87.2346 + 20 = 139.6824 dB;
    // gases (P.676, standard atmosphere, 23 GHz near the 22.235 GHz water line): gamma x 10 km.
    const double gas_db = prop::p676_terrestrial_attenuation_db(23.0, 10.0, prop::P676Atmosphere{});
    CHECK(r.fspl_db == Approx(139.6824).margin(1e-3));
    CHECK(r.gas_db == Approx(gas_db).margin(1e-9));
    const double margin_db = 30.0 + 2 * 40.6 - 2.0 - 139.6824 - gas_db - (-60.0);
    CHECK(r.fade_margin_db == Approx(margin_db).margin(1e-3));

    // Rain, P.530-18 sec. 2.4.1 with P.838-3 at 23 GHz, vertical polarization (tau = 90 deg):
    //   k_V = 0.1284, alpha_V = 0.9630 (P.838-3 Table 5 at 23 GHz)
    const double k = 0.1284, alpha = 0.9630, R = 90.0, d = 10.0, f = 23.0;
    const auto p838 = prop::p838_coefficients(23.0, 0.0, 90.0);
    CHECK(p838.k == Approx(k).margin(5e-4));
    CHECK(p838.alpha == Approx(alpha).margin(5e-4));
    const double gamma = k * std::pow(R, alpha);  // step 2: gamma_R = k R^alpha = 0.1284 x 90^0.963 = 9.784 dB/km
    // step 3: r = 1 / (0.477 d^0.633 R^(0.073 alpha) f^0.123 - 10.579 (1 - exp(-0.024 d)))
    const double r_factor = 1.0 / (0.477 * std::pow(d, 0.633) * std::pow(R, 0.073 * alpha) * std::pow(f, 0.123) -
                                   10.579 * (1.0 - std::exp(-0.024 * d)));
    //   = 1 / (0.477 x 4.2954 x 1.3721 x 1.4706 - 10.579 x 0.21337) = 1 / 1.8769 = 0.5328
    const double a001 = gamma * r_factor * d;  // step 4: A0.01 = gamma_R d_eff = 9.784 x 5.328 = 52.13 dB
    // step 5 (f >= 10 GHz): C0 = 0.12 + 0.4 log10((f/10)^0.8), C1 = 0.07^C0 0.12^(1-C0),
    //                       C2 = 0.855 C0 + 0.546 (1-C0), C3 = 0.139 C0 + 0.043 (1-C0)
    const double c0 = 0.12 + 0.4 * std::log10(std::pow(f / 10.0, 0.8));
    const double c1 = std::pow(0.07, c0) * std::pow(0.12, 1 - c0);
    const double c2 = 0.855 * c0 + 0.546 * (1 - c0), c3 = 0.139 * c0 + 0.043 * (1 - c0);
    // A_p / A0.01 = C1 p^-(C2 + C3 log10 p) solved for the p at which A_p = margin: x = log10 p,
    // C3 x^2 + C2 x + log10(margin / (C1 A0.01)) = 0, the root x = (-C2 + sqrt(C2^2 - 4 C3 L)) / (2 C3).
    const double L = std::log10(margin_db / (c1 * a001));
    //   C0 = 0.23575, C1 = 0.10568, C2 = 0.61885, C3 = 0.065632
    //   margin = 27.57 dB (30 + 81.2 - 2 - 139.68 - 1.95 gas + 60): p_rain = 0.0486 % of the year
    const double p_rain = std::pow(10.0, (-c2 + std::sqrt(c2 * c2 - 4 * c3 * L)) / (2 * c3));
    // Multipath, P.530-16 sec. 2.3.1 (detailed): K = 10^(-4.4 - 0.0027 dN1) (10 + s_a)^-0.46
    //   = 10^(-4.4 + 0.945) x 110^-0.46 = 3.508e-4 x 0.11507 = 4.036e-5; eps_p = 0; h_L = 130 m;
    //   p_w = K d^3.4 (1 + 0)^-1.03 f^0.8 10^(-0.00076 h_L - A/10) = 0.001734 % of the worst month
    //   (p_0 = p_w(A = 0) = 0.992 %, A_t = 25 + 1.2 log10 p_0 = 25.0 dB < 27.57 dB: deep fading)
    const double K = std::pow(10.0, -4.4 - 0.0027 * -350.0) * std::pow(110.0, -0.46);
    const double p_w = K * std::pow(d, 3.4) * std::pow(f, 0.8) * std::pow(10.0, -0.00076 * 130.0 - margin_db / 10.0);
    // sec. 2.3.4: dG = 10.5 - 5.6 log10(1.1 + |cos 2 xi|^0.7) - 2.7 log10 d + 1.7 log10(1 + 0), xi = 35.6 deg
    const double xi = 35.6 * M_PI / 180.0;
    const double dg = 10.5 - 5.6 * std::log10(1.1 + std::pow(std::abs(std::cos(2 * xi)), 0.7)) - 2.7 * std::log10(d);
    //      = 6.730 dB; p = 10^(-dG/10) p_w = 0.000368 % of the year. Availability 100 - 0.0486 - 0.0004 = 99.951 %.
    const double p_mp = std::pow(10.0, -dg / 10.0) * p_w;
    std::cout << "23 GHz 10 km hop: gamma_R " << gamma << " dB/km, r " << r_factor << ", A0.01 " << a001 << " dB, margin "
              << margin_db << " dB, rain " << p_rain << " %, K " << K << ", p_w " << p_w << " %, dG " << dg
              << " dB, multipath " << p_mp << " %\n";
    // Tolerances: 1 % relative on each outage (the coefficients above are rounded to 4 digits).
    CHECK(r.rain_outage_pct == Approx(p_rain).epsilon(0.01));
    CHECK(r.multipath_outage_pct == Approx(p_mp).epsilon(0.01));
    CHECK(r.availability_pct == Approx(100.0 - p_rain - p_mp).margin(1e-4));
    // Below the 99.99 % target: rejected, with the missing margin.
    CHECK_FALSE(r.feasible);
    CHECK_THAT(r.reason, Catch::StartsWith("availability ") && Catch::Contains("< target 99.99 % (rain fade margin short by"));
    CHECK(r.required_margin_db > r.fade_margin_db);
    // With the margin it asks for, the hop meets the target (the bisection's answer checked).
    const BackhaulTechnology louder = [&] { auto x = t; x.tx_power_dbm += r.required_margin_db - r.fade_margin_db + 0.02; return x; }();
    const HopAssessment r2 = assess_hop({ProfileView(100.0, z), {}, 30.0, 30.0}, louder, c, 35.6);
    CHECK(r2.feasible);
    CHECK(r2.availability_pct >= 99.99);
}

TEST_CASE("hops on the real tile: across the Misaka mountains rejected, across the Kofu basin feasible", "[backhaul][feasibility][real]") {
    if (!test::have_shared()) return dxplan::test::skip("../shared is absent: real-tile backhaul test skipped");
    const std::vector<std::filesystem::path> dem{test::terrain_dir() / "N35E138.hgt"};
    TerrainOptions to;
    to.aoi = GeoBox{35.40, 138.45, 35.75, 138.85};
    const Terrain terrain = load_terrain(dem, to);
    const LandCover lc = load_land_cover(test::terrain_dir() / "JAXA_HRLULC_Japan_v23.12_250m.tif", *to.aoi);
    const auto all = load_backhaul_technologies();
    const DesignCriteria c = load_design_criteria();
    // Kofu city hall -> Kawaguchiko (Fujikawaguchiko town), 24 km over the Misaka range (about 1500-1700 m).
    const HopAssessment mountain = assess_link(terrain, &lc, {{35.6621, 138.5683}, 30.0}, {{35.4983, 138.7686}, 30.0},
                                               tech(all, "mw-6ghz"), c);
    std::cout << "Kofu -> Kawaguchiko (6.5 GHz): " << mountain.reason << "\n";
    CHECK_FALSE(mountain.feasible);
    CHECK_THAT(mountain.reason, Catch::StartsWith("obstructed at ") && Catch::Contains("line of sight blocked by"));
    CHECK(mountain.worst.ground_m > 1000.0);
    CHECK(mountain.worst.intrusion_m > 500.0);
    // Kofu city hall -> Fuefuki city hall, 6.7 km across the flat basin floor, 30 m masts.
    // At 11 GHz (at 18 GHz the 22 dB margin falls short of 99.99 % in 90 mm/h rain: rejected for availability).
    const HopAssessment basin = assess_link(terrain, &lc, {{35.6621, 138.5683}, 30.0}, {{35.6473, 138.6398}, 30.0},
                                            tech(all, "mw-11ghz"), c);
    std::cout << "Kofu -> Fuefuki (11 GHz): " << basin.length_m << " m, clearance " << basin.clearance_f1 << " F1, margin "
              << basin.fade_margin_db << " dB, availability " << basin.availability_pct << " % " << basin.reason << "\n";
    CHECK(basin.feasible);
    CHECK(basin.length_m == Approx(6700.0).margin(300.0));
    CHECK(basin.clearance_f1 >= 0.6);
    CHECK(basin.availability_pct >= 99.99);
}

TEST_CASE("candidate graph, heuristic plan and outputs on the synthetic valley", "[backhaul][graph]") {
    const SyntheticValley v = make_synthetic_valley(1, load_clutter_table(default_clutter_table_path()));
    std::vector<Node> nodes;
    nodes.push_back({"town-hall", NodeKind::pop, v.town_hall.lat_deg, v.town_hall.lon_deg, 0.0, 20.0});
    for (const auto& p : v.places) nodes.push_back({p.id, NodeKind::site, p.pos.lat_deg, p.pos.lon_deg, 50.0, 15.0});
    const GeoBox box = v.terrain.grid().centres();
    RelayOptions ro;
    ro.max_count = 4;
    ro.min_relief_m = 50.0;
    for (auto& r : find_relay_candidates(v.terrain, box, ro)) nodes.push_back(r);
    const auto techs = load_backhaul_technologies();
    const econ::Catalogue cat = econ::load_catalogue(econ::default_catalogue_path());
    const CandidateGraph g = build_candidate_graph(nodes, techs, cat, v.terrain, &v.land_cover, DesignCriteria{}, GraphOptions{});
    REQUIRE(g.assessments.size() == g.problem.links.size());
    REQUIRE(!g.problem.links.empty());
    for (const auto& l : g.problem.links) {
        CHECK(l.cost_jpy >= l.capex_jpy);
        CHECK(l.feasible == l.reason.empty());
    }
    // No feasible candidate is dominated by a parallel feasible one (cheaper or equal and at least as much capacity).
    for (const auto& a : g.problem.links)
        for (const auto& b : g.problem.links)
            if (&a != &b && a.feasible && b.feasible && a.a == b.a && a.b == b.b)
                CHECK_FALSE((b.cost_jpy <= a.cost_jpy && b.capacity_mbps >= a.capacity_mbps));
    BackhaulProblem p = g.problem;
    const BackhaulPlan plan = plan_backhaul_heuristic(p);
    CHECK(check_plan(p, plan).empty());
    CHECK(plan.solved);
    const auto dir = std::filesystem::temp_directory_path() / "dxplan_bh_out";
    std::filesystem::remove_all(dir);
    const auto files = write_backhaul_outputs(dir, g, plan, techs, {"synthetic", 0.0, 0.0});
    CHECK(files.size() == 6);
    for (const auto& f : files) CHECK(std::filesystem::file_size(dir / f) > 0);
    std::ifstream bom(dir / "backhaul_bom.csv");
    std::string header;
    std::getline(bom, header);
    CHECK(header == "technology,catalogue_item,links,quantity,unit,capex_jpy,opex_jpy_per_year,cost_jpy");
    std::filesystem::remove_all(dir);
}
