// Backhaul planner benchmark on the real SRTM tile N35E138 (Kofu basin / Mt Fuji): 200 sites and 20 fibre PoPs
// placed with a fixed seed on low ground (inhabited basin floor and valleys, below 600 m), hilltop relay
// candidates, every backhaul technology of models/technology/backhaul/. Reports the time to build the
// candidate graph (every candidate hop assessed over the terrain and land cover), the heuristic's time and
// cost, and on sub-instances small enough for the exact GLPK MIP (10-40 sites) the heuristic's optimality gap.
// Usage: bench_backhaul [TERRAIN_DIR [MAX_SITES [TIME_LIMIT_S]]]: terrain default ../shared/data/terrain next to
// the checkout; MAX_SITES stops the exact-solver sub-instances after that size (default: all, 10-40 sites);
// TIME_LIMIT_S is GLPK's per instance (default 60 s).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <vector>

#include "libsim/economics/catalogue.hpp"
#include "libsim/network/backhaul.hpp"
#include "libsim/network/candidate_graph.hpp"

using namespace dxplan;
using namespace dxplan::net;

namespace {

double since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IONBF, 0);
    const std::filesystem::path dir =
        argc > 1 ? std::filesystem::path(argv[1]) : std::filesystem::path(DXPLAN_SOURCE_DIR) / ".." / "shared" / "data" / "terrain";
    const GeoBox area{35.45, 138.40, 35.80, 138.85};
    TerrainOptions to;
    to.aoi = area;
    to.margin_m = 2000.0;
    const std::vector<std::filesystem::path> dem{dir / "N35E138.hgt"};
    auto t0 = std::chrono::steady_clock::now();
    const Terrain terrain = load_terrain(dem, to);
    const LandCover lc = load_land_cover(dir / "JAXA_HRLULC_Japan_v23.12_250m.tif", area);
    std::printf("terrain + land cover loaded in %.2f s\n", since(t0));

    const int n_pops = 20, n_sites = 200;
    std::mt19937 rng(20261128);
    std::uniform_real_distribution<double> lat(area.south_deg, area.north_deg), lon(area.west_deg, area.east_deg);
    std::vector<Node> nodes;
    auto place = [&](NodeKind kind, const std::string& id, double demand, double mast) {
        for (;;) {
            const LatLon p{lat(rng), lon(rng)};
            if (terrain.height_m(p) < 600.0) {
                nodes.push_back({id, kind, p.lat_deg, p.lon_deg, demand, mast});
                return;
            }
        }
    };
    for (int i = 0; i < n_pops; ++i) place(NodeKind::pop, "pop-" + std::to_string(i + 1), 0.0, 30.0);
    std::uniform_real_distribution<double> demand(20.0, 150.0);
    for (int i = 0; i < n_sites; ++i) place(NodeKind::site, "site-" + std::to_string(i + 1), std::round(demand(rng)), 20.0);
    RelayOptions ro;
    ro.max_count = 30;
    t0 = std::chrono::steady_clock::now();
    for (auto& r : find_relay_candidates(terrain, area, ro)) nodes.push_back(r);
    std::printf("relay candidates: %zu hilltops in %.2f s\n", nodes.size() - n_pops - n_sites, since(t0));

    const auto techs = load_backhaul_technologies();
    const econ::Catalogue cat = econ::load_catalogue(econ::default_catalogue_path());
    t0 = std::chrono::steady_clock::now();
    const CandidateGraph g = build_candidate_graph(nodes, techs, cat, terrain, &lc, load_design_criteria(), GraphOptions{});
    const double graph_s = since(t0);
    std::size_t feasible = 0;
    for (const auto& l : g.problem.links) feasible += l.feasible;
    std::printf("candidate graph: %zu nodes, %zu candidate links (%zu feasible, %zu dominated parallel ones left out), %zu node "
                "pairs profiled: %.2f s\n", g.problem.nodes.size(), g.problem.links.size(), feasible, g.pruned, g.pairs_profiled, graph_s);

    for (bool redundancy : {false, true}) {
        BackhaulProblem p = g.problem;
        p.redundancy = redundancy;
        t0 = std::chrono::steady_clock::now();
        const BackhaulPlan h = plan_backhaul_heuristic(p);
        const double h_s = since(t0);
        std::printf("heuristic, 200 sites + 20 PoPs%s: %.2f s, %zu links, cost %.4g JPY, %zu unconnected, %zu without a second path, "
                    "check %s\n", redundancy ? ", redundancy" : "", h_s, h.links.size(), h.cost_jpy, h.unconnected.size(),
                    h.without_second_path.size(), check_plan(p, h).empty() ? "ok" : "FAILED");
    }

    // Sub-instances for the exact solver: the first s sites, s / 5 PoPs and the 5 best relay candidates, with
    // their own candidate graph (4 nearest among themselves, to keep the MIP small); GLPK time limit 60 s by default.
    // gap: heuristic vs the exact solver's result; gap bound: heuristic vs GLPK's lower bound (an upper bound on the
    // heuristic's true gap when the heuristic serves every site the MIP can serve).
    std::printf("\n| sites | PoPs | relays | candidate links | heuristic JPY | heuristic s | exact JPY | exact s | proven optimal | "
                "lower bound JPY | gap | gap bound |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    const double time_limit_s = argc > 3 ? std::atof(argv[3]) : 60.0;
    for (int s : {10, 15, 20, 30, 40}) {
        if (argc > 2 && s > std::atoi(argv[2])) break;
        std::vector<Node> sub(nodes.begin(), nodes.begin() + s / 5);
        sub.insert(sub.end(), nodes.begin() + n_pops, nodes.begin() + n_pops + s);
        sub.insert(sub.end(), nodes.begin() + n_pops + n_sites, nodes.begin() + n_pops + n_sites + 5);
        GraphOptions sub_options;
        sub_options.k_nearest = 4;
        const CandidateGraph sg = build_candidate_graph(sub, techs, cat, terrain, &lc, load_design_criteria(), sub_options);
        const BackhaulProblem& q = sg.problem;
        t0 = std::chrono::steady_clock::now();
        const BackhaulPlan h = plan_backhaul_heuristic(q);
        const double h_s = since(t0);
        t0 = std::chrono::steady_clock::now();
        const BackhaulPlan x = plan_backhaul_exact(q, time_limit_s);
        const double x_s = since(t0);
        std::printf("| %d | %d | 5 | %zu | %.6g | %.3f | %.6g | %.2f | %s | %.6g | %.2f %% | %.2f %% |\n", s, s / 5, q.links.size(),
                    h.cost_jpy, h_s, x.cost_jpy, x_s, x.optimal ? "yes" : "no (time limit)", x.lower_bound_jpy,
                    100.0 * (h.cost_jpy - x.cost_jpy) / x.cost_jpy, 100.0 * (h.cost_jpy - x.lower_bound_jpy) / x.lower_bound_jpy);
        for (const auto& line : check_plan(q, h)) std::printf("  heuristic plan check: %s\n", line.c_str());
        for (const auto& line : check_plan(q, x)) std::printf("  exact plan check: %s\n", line.c_str());
        if (!h.unconnected.empty() || !x.unconnected.empty())
            std::printf("  unconnected sites: heuristic %zu, exact %zu%s\n", h.unconnected.size(), x.unconnected.size(),
                        h.unconnected.size() == x.unconnected.size() ? "" : " (costs not comparable)");
    }
    return 0;
}
