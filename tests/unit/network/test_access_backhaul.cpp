// Local 5G / HaLow as wireless backhaul: opt-in technologies whose feasibility and capacity come from the access
// technology's link budget. One Local 5G n79 fixed-wireless hop on a synthetic flat profile, its capacity worked
// out by hand (path loss, SNR, then the mode table of the profile), and a hop behind a ridge rejected.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "libsim/core/error.hpp"
#include "libsim/economics/catalogue.hpp"
#include "libsim/network/backhaul_technology.hpp"
#include "libsim/network/candidate_graph.hpp"
#include "libsim/network/link_feasibility.hpp"
#include "libsim/terrain/synthetic.hpp"
#include "models/propagation/p676.hpp"

using namespace dxplan;
using namespace dxplan::net;
using Catch::Detail::Approx;

TEST_CASE("access-radio backhaul technologies are opt-in and load their access profile", "[backhaul][access]") {
    for (const auto& t : load_backhaul_technologies()) CHECK(t.kind != BackhaulKind::access_radio);  // not by default
    const auto chosen = load_backhaul_technologies(default_backhaul_dir(), {"local5g-n79-fwa", "halow-4mhz-ptp", "fibre"});
    REQUIRE(chosen.size() == 3);
    CHECK(chosen[0].kind == BackhaulKind::access_radio);
    CHECK(chosen[0].access->terminal.antenna_gain_dbi == 12.0);  // the hop's CPE panel (override)
    CHECK(chosen[0].f_ghz == Approx(4.85));
    // HaLow bridge: 6 dBm + 10 dBi = the 16 dBm EIRP limit of ARIB STD-T108 (checked by the link layer on load).
    CHECK(chosen[1].access->base.tx_power_dbm + chosen[1].access->base.antenna_gain_dbi == Approx(16.0));
    CHECK_THROWS_WITH(load_backhaul_technologies(default_backhaul_dir(), {"local5g"}, "s.yaml: backhaul.technologies:"),
                      Catch::Contains("s.yaml: backhaul.technologies: local5g: unknown backhaul technology") &&
                          Catch::Contains("local5g-n79-fwa"));
}

TEST_CASE("a Local 5G n79 backhaul hop on a flat profile: capacity from the link budget, by hand", "[backhaul][access]") {
    const BackhaulTechnology t = load_backhaul_technologies(default_backhaul_dir(), {"local5g-n79-fwa"}).front();
    const link::Technology& l5g = *t.access;
    // Flat ground at 0 m, 2 km (41 points 50 m apart), masts 30 m at both ends: equal heights, slant = 2000 m.
    // First Fresnel zone at mid-path: sqrt(lambda d1 d2 / d) = sqrt(0.061813 x 1000 x 1000 / 2000) = 5.56 m, earth
    // bulge at k = 4/3 0.06 m: 30 m clear, so no diffraction loss.
    const std::vector<double> z(41, 0.0);
    const HopPath path{ProfileView(50.0, z), {}, 30.0, 30.0};
    const HopAssessment h = assess_hop(path, t, DesignCriteria{}, 36.0);

    // Free space (P.525-4 eq. (8)): 32.45 + 20 log10(4850 MHz) + 20 log10(2 km) = 32.45 + 73.715 + 6.021 = 112.19 dB
    // (the exact constant 20 log10(4 pi 1e9 / c) = 32.448 gives 112.18 dB); gases at 4.85 GHz: P.676, ~0.015 dB.
    const double gas_db = prop::p676_terrestrial_attenuation_db(4.85, 2.0, prop::P676Atmosphere{});
    const double pl_db = 20.0 * std::log10(4.0 * M_PI * 2000.0 * 4.85e9 / 299792458.0) + gas_db;
    CHECK(h.diffraction_db == Approx(0.0).margin(1e-9));
    CHECK(h.path_loss_db == Approx(pl_db).margin(0.01));  // tolerance 0.01 dB
    CHECK(pl_db == Approx(112.2).margin(0.05));

    // Downlink (gNB at the upstream end -> CPE): EIRP 24.9 dBm + 15 dBi = 39.9 dBm, CPE panel 12 dBi (override),
    // no cable loss, fade margin 10 dB held: planning receive level 39.9 + 12 - 112.20 - 10 = -70.30 dBm.
    // Noise: NR noise bandwidth N_PRB x 12 x SCS = 273 x 12 x 30 kHz = 98.28 MHz;
    // -173.975 + 10 log10(98.28e6) + NF 7 dB = -173.975 + 79.925 + 7 = -87.05 dBm. Planning SNR 16.75 dB.
    CHECK(l5g.noise_bandwidth_mhz == Approx(98.28).margin(1e-6));
    const double dl_snr_db = 24.9 + 15.0 + 12.0 - pl_db - 10.0 - (-173.975 + 10.0 * std::log10(98.28e6) + 7.0);
    CHECK(dl_snr_db == Approx(16.75).margin(0.05));
    // Capacity: the highest application rate among the downlink modes whose required SNR (at their layer count)
    // is met by 16.75 dB, looked up in the profile's table (TS 38.214 MCS rows x layers, TS 38.306 rate).
    double expect_mbps = 0.0;
    for (const link::Mode& m : l5g.downlink.modes)
        if (m.snr_db <= dl_snr_db) expect_mbps = std::max(expect_mbps, m.app_rate_mbps);
    REQUIRE(expect_mbps > 0.0);
    CHECK(h.feasible);
    CHECK(h.capacity_mbps == Approx(expect_mbps).epsilon(1e-9));
    // Median receive level, the fade margin not taken off: 39.9 + 12 - 112.20 = -60.30 dBm.
    CHECK(h.rx_level_dbm == Approx(24.9 + 15.0 + 12.0 - pl_db).margin(0.01));  // tolerance 0.01 dB
    // Uplink (CPE -> gNB): 23 dBm + 12 dBi, gNB 15 dBi: 35 + 15 - 112.20 - 10 = -72.20 dBm; noise with the gNB's
    // NF 5 dB -89.05 dBm: SNR 16.85 dB, the uplink closes (its own modes and TDD share give its rate).
    CHECK(h.uplink_mbps > 0.0);
    CHECK(std::isnan(h.availability_pct));  // not a P.530 hop
    CHECK(!h.warnings.empty());

    // The same hop behind a 150 m ridge at mid-path: knife-edge diffraction (P.526) of tens of dB; the budget no
    // longer closes with the 10 dB fade margin at 20 km, and the reason names the access profile.
    std::vector<double> ridge(401, 0.0);
    ridge[200] = 150.0;
    const HopAssessment far = assess_hop({ProfileView(50.0, ridge), {}, 30.0, 30.0}, t, DesignCriteria{}, 36.0);
    CHECK_FALSE(far.feasible);
    CHECK_THAT(far.reason, Catch::Contains("link budget of local5g-n79-100mhz does not close"));
    CHECK(far.capacity_mbps < h.capacity_mbps);
}

TEST_CASE("a Local 5G CPE hop exists only between two access sites, a HaLow pair anywhere", "[backhaul][access][graph]") {
    // needs_access_sites: the CPE is served by the access network's gNB at the other end, so a PoP or a relay
    // (no gNB) cannot be that end. Flat synthetic terrain, a PoP and two sites 1 km apart in a row.
    const SyntheticValley v = make_synthetic_valley(1, load_clutter_table(default_clutter_table_path()));
    const LatLon c = v.town_hall;
    std::vector<Node> nodes{{"pop", NodeKind::pop, c.lat_deg, c.lon_deg, 0.0, 20.0},
                            {"s1", NodeKind::site, c.lat_deg, c.lon_deg + 0.011, 50.0, 20.0},
                            {"s2", NodeKind::site, c.lat_deg, c.lon_deg + 0.022, 50.0, 20.0}};
    const auto techs = load_backhaul_technologies(default_backhaul_dir(), {"local5g-n79-fwa", "halow-4mhz-ptp"});
    REQUIRE(techs[0].needs_access_sites);
    REQUIRE_FALSE(techs[1].needs_access_sites);
    GraphOptions go;
    go.prune_dominated = false;
    const CandidateGraph g = build_candidate_graph(nodes, techs, econ::load_catalogue(econ::default_catalogue_path()),
                                                   v.terrain, &v.land_cover, DesignCriteria{}, go);
    std::size_t l5g_links = 0, halow_to_pop = 0;
    for (const CandidateLink& l : g.problem.links) {
        const bool touches_pop = g.problem.nodes[l.a].kind == NodeKind::pop || g.problem.nodes[l.b].kind == NodeKind::pop;
        if (l.technology == "local5g-n79-fwa") {
            ++l5g_links;
            CHECK_FALSE(touches_pop);
        }
        if (l.technology == "halow-4mhz-ptp" && touches_pop) ++halow_to_pop;
    }
    CHECK(l5g_links == 1);     // s1 - s2 only
    CHECK(halow_to_pop == 2);  // pop - s1 and pop - s2
}
