// `dxplan backhaul SCENARIO.yaml`: plan the backhaul of a scenario's sites to its fibre PoPs over the terrain:
// candidate graph (fibre, microwave, 60 GHz / E-band, Wi-Fi PtP from models/technology/backhaul/, hilltop relay
// candidates), feasibility of every hop (clearance, fade margin, P.530 availability), minimum-cost plan
// (heuristic, or the exact GLPK MIP with --exact), outputs in --out.
// Thin (ARCHITECTURE.md 10): flags -> scenario + network library calls -> print.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libsim/core/error.hpp"
#include "libsim/economics/catalogue.hpp"
#include "libsim/network/backhaul.hpp"
#include "libsim/network/backhaul_output.hpp"
#include "libsim/network/candidate_graph.hpp"
#include "libsim/network/road_network.hpp"
#include "libsim/scenario/scenario.hpp"
#include "libsim/scenario/world.hpp"
#include "tools/commands.hpp"
#include "tools/signals.hpp"
#include "libsim/core/output_set.hpp"

namespace dxplan::cli {

namespace {

struct BackhaulConfig {
    std::string scenario;
    std::string out;
    bool exact = false;
    bool force = false;
    bool redundancy = false;
    int max_hops = 4;
    double demand_mbps = 100.0;
    double pop_mast_m = 30.0;
    int relays = 10;
    double relay_mast_m = 20.0;
    int k_nearest = 6;
    std::vector<std::string> techs;
    std::string tech_dir = net::default_backhaul_dir().string();
    double target_availability_pct = 0.0;  // 0: from design-criteria.yaml
    double r001_mm_per_h = -1.0;           // < 0: from design-criteria.yaml
    double time_limit_s = 60.0;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void run_backhaul(const BackhaulConfig& c) {
    const Scenario scenario = load_scenario(c.scenario);
    // Outputs checked before any work (libsim/core/output_set.hpp); the default folder name comes from the
    // scenario's name reduced to a safe file name in the current directory.
    const std::string out = c.out.empty() ? safe_file_name(scenario.name + "-backhaul") : c.out;
    std::vector<std::filesystem::path> inputs = scenario_input_files(scenario);
    inputs.push_back(c.tech_dir);
    inputs.push_back(econ::default_catalogue_path());
    OutputSet outputs(inputs);
    const std::filesystem::path staged = outputs.add_directory(out, "--out", c.force);
    if (scenario.fibre_pops.empty())
        throw InputError(c.scenario + ": fibre_pops: the backhaul planner needs at least one fibre point of presence");
    if (scenario.sites.empty()) throw InputError(c.scenario + ": sites: the backhaul planner needs at least one site");
    // Technologies: --tech, else the scenario's backhaul.technologies, else every one not marked opt_in.
    const bool from_flags = !c.techs.empty();
    const std::vector<net::BackhaulTechnology> techs = net::load_backhaul_technologies(
        c.tech_dir, from_flags ? c.techs : scenario.backhaul.technologies,
        from_flags ? std::string("--tech") : c.scenario + ": backhaul.technologies:");
    net::DesignCriteria criteria = net::load_design_criteria(std::filesystem::path(c.tech_dir) / "design-criteria.yaml");
    if (c.target_availability_pct > 0.0) criteria.target_availability_pct = c.target_availability_pct;
    if (c.r001_mm_per_h >= 0.0) criteria.r001_mm_per_h = c.r001_mm_per_h;
    const econ::Catalogue catalogue = econ::load_catalogue(econ::default_catalogue_path());

    const auto t0 = std::chrono::steady_clock::now();
    throw_if_cancelled(&cancel_token());
    const World world = load_world(scenario);
    std::vector<net::Node> nodes;
    for (const auto& p : scenario.fibre_pops) nodes.push_back({p.id, net::NodeKind::pop, p.pos.lat_deg, p.pos.lon_deg, 0.0, c.pop_mast_m});
    for (const auto& s : scenario.sites)
        nodes.push_back({s.id, net::NodeKind::site, s.pos.lat_deg, s.pos.lon_deg, c.demand_mbps, s.mast_height_m});
    if (c.relays > 0) {
        net::RelayOptions ro;
        ro.max_count = c.relays;
        ro.mast_height_m = c.relay_mast_m;
        const GeoBox area = scenario.area_of_interest ? *scenario.area_of_interest : world.terrain.grid().centres();
        for (auto& r : net::find_relay_candidates(world.terrain, area, ro)) nodes.push_back(r);
    }
    std::optional<net::RoadNetwork> roads;
    if (!scenario.backhaul.roads.empty())
        roads = net::load_road_network(scenario.backhaul.roads, c.scenario + ": backhaul.roads");
    net::GraphOptions go;
    go.roads = roads ? &*roads : nullptr;
    go.max_drop_m = scenario.backhaul.max_drop_m;
    go.k_nearest = c.k_nearest;
    go.horizon_years = scenario.economics.horizon_years;
    go.discount_rate = scenario.economics.discount_rate;
    const auto t1 = std::chrono::steady_clock::now();
    net::CandidateGraph graph = net::build_candidate_graph(nodes, techs, catalogue, world.terrain,
                                                           world.land_cover ? &*world.land_cover : nullptr, criteria, go);
    const double graph_s = seconds_since(t1);
    graph.problem.max_hops = c.max_hops;
    graph.problem.redundancy = c.redundancy;
    const auto t2 = std::chrono::steady_clock::now();
    const net::BackhaulPlan plan = c.exact ? net::plan_backhaul_exact(graph.problem, c.time_limit_s)
                                           : net::plan_backhaul_heuristic(graph.problem);
    const double solve_s = seconds_since(t2);
    throw_if_cancelled(&cancel_token());
    const auto files = net::write_backhaul_outputs(staged, graph, plan, techs, {scenario.name, graph_s, solve_s});
    outputs.publish("backhaul " + c.scenario);

    std::size_t rejected = 0;
    for (const auto& l : graph.problem.links) rejected += !l.feasible;
    std::printf("scenario %s: %zu sites, %zu PoPs, %zu relay candidates (%.1f s to load the terrain)\n", scenario.name.c_str(),
                scenario.sites.size(), scenario.fibre_pops.size(), nodes.size() - scenario.sites.size() - scenario.fibre_pops.size(),
                seconds_since(t0) - graph_s - solve_s);
    std::printf("candidate links: %zu (%zu rejected by the terrain / margin / availability; %zu dominated parallel ones left "
                "out), %zu node pairs profiled, %.2f s\n", graph.problem.links.size(), rejected, graph.pruned, graph.pairs_profiled, graph_s);
    if (roads)
        std::printf("roads: %zu vertices, %zu segments; %zu fibre candidates routed along them, %zu without a road route "
                    "(straight line x detour factor)\n", roads->vertices.size(), roads->edges.size(), graph.fibre_on_roads,
                    graph.warnings.size());
    for (std::size_t i = 0; i < graph.warnings.size() && i < 5; ++i) std::printf("  warning: %s\n", graph.warnings[i].c_str());
    if (graph.warnings.size() > 5) std::printf("  ... %zu more warnings\n", graph.warnings.size() - 5);
    std::printf("plan (%s%s, %.2f s): %zu links, cost %.0f JPY (capex + PV of opex over %d years at %.1f %%)%s\n",
                plan.solver.c_str(), plan.optimal ? ", optimal" : "", solve_s, plan.links.size(), plan.cost_jpy,
                go.horizon_years, go.discount_rate * 100.0, plan.solved ? "" : "  NOT every site served");
    for (const auto& b : net::bill_of_materials(graph.problem, plan, techs))
        std::printf("  %-16s %3.0f links  %8.2f %-3s  capex %12.0f JPY  opex %10.0f JPY/yr\n", b.technology.c_str(), b.links,
                    b.quantity, b.unit.c_str(), b.capex_jpy, b.opex_jpy_per_year);
    for (int v : plan.unconnected) std::printf("  unconnected: %s\n", graph.problem.nodes[static_cast<std::size_t>(v)].id.c_str());
    for (int v : plan.without_second_path)
        std::printf("  no second disjoint path: %s\n", graph.problem.nodes[static_cast<std::size_t>(v)].id.c_str());
    for (const auto& line : net::check_plan(graph.problem, plan)) std::printf("  check: %s\n", line.c_str());
    std::printf("written to %s/:", out.c_str());
    for (const auto& f : files) std::printf(" %s", f.c_str());
    std::printf("\n");
}

}  // namespace

void add_backhaul_command(CLI::App& app) {
    auto cfg = std::make_shared<BackhaulConfig>();
    CLI::App* cmd = app.add_subcommand(
        "backhaul",
        "Plan the backhaul of a scenario's sites to its fibre PoPs: candidate fibre / microwave / mmWave / Wi-Fi links "
        "checked over the terrain, minimum-cost plan, GeoJSON + KML + CSV bill of materials");
    cmd->footer(
        "Technologies and design criteria (k-factors, Fresnel clearance, target availability, rain rate) are data in\n"
        "models/technology/backhaul/; prices come from models/economics/catalogue.yaml; the economics (horizon,\n"
        "discount rate) from the scenario. Every site sends --demand-mbps to a PoP. Fibre follows the scenario's\n"
        "backhaul.roads (GeoJSON lines) when given. Opt-in technologies (Local 5G / HaLow as backhaul: local5g-n79-fwa,\n"
        "halow-4mhz-ptp; capacity from their link budget) are used only where chosen (--tech, backhaul.technologies).\n"
        "Outputs in --out: backhaul.geojson, backhaul.kml, backhaul_links.csv, backhaul_bom.csv,\n"
        "backhaul_rejected.csv (every rejected candidate hop and why), backhaul_summary.json.\n\n"
        "Example:\n"
        "  dxplan backhaul scenarios/fuji-kofu.yaml --out out/kofu-bh --redundancy --max-hops 3\n"
        "  dxplan backhaul scenarios/fuji-kofu.yaml --exact --tech fibre --tech mw-11ghz --tech mw-18ghz");
    cmd->add_option("scenario", cfg->scenario, "Scenario YAML (sites and fibre_pops are used)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--out", cfg->out, "Output folder (default: <scenario name>-backhaul, as a safe file name in the "
                                       "current directory); replaced only if dxplan wrote it, or with --force");
    cmd->add_flag("--force", cfg->force, "Replace a non-empty --out folder that dxplan did not write");
    cmd->add_flag("--exact", cfg->exact, "Solve the mixed-integer program with GLPK (up to about 40 sites) instead of the heuristic");
    cmd->add_flag("--redundancy", cfg->redundancy, "Every site gets two edge-disjoint paths to the PoPs");
    cmd->add_option("--max-hops", cfg->max_hops, "Most hops from a site to its PoP")->capture_default_str()->check(CLI::Range(1, 16));
    cmd->add_option("--demand-mbps", cfg->demand_mbps, "Backhaul traffic of each site, Mbps")->capture_default_str()->check(CLI::Range(0.0, 1e5));
    cmd->add_option("--relays", cfg->relays, "Hilltop relay candidates to look for in the area (0: none)")->capture_default_str()->check(CLI::Range(0, 500));
    cmd->add_option("--relay-mast-m", cfg->relay_mast_m, "Mast height of a relay, m")->capture_default_str()->check(CLI::Range(1.0, 200.0));
    cmd->add_option("--pop-mast-m", cfg->pop_mast_m, "Mast height at a fibre PoP for radio links, m")->capture_default_str()->check(CLI::Range(1.0, 200.0));
    cmd->add_option("--k-nearest", cfg->k_nearest, "Candidate links per node and technology (nearest neighbours)")->capture_default_str()->check(CLI::Range(1, 100));
    cmd->add_option("--tech", cfg->techs, "Only these backhaul technologies (repeatable; default: the scenario's "
                                           "backhaul.technologies, else all in --tech-dir not marked opt_in)");
    cmd->add_option("--tech-dir", cfg->tech_dir, "Folder of backhaul technologies and design-criteria.yaml")->capture_default_str();
    cmd->add_option("--target-availability", cfg->target_availability_pct, "Hop availability target, % (default: design-criteria.yaml)")->check(CLI::Range(90.0, 99.99999));
    cmd->add_option("--rain-rate", cfg->r001_mm_per_h, "Rain rate R0.01 exceeded 0.01 % of the year, mm/h (default: design-criteria.yaml)")->check(CLI::Range(0.0, 300.0));
    cmd->add_option("--time-limit-s", cfg->time_limit_s, "Time limit of the exact solver, s")->capture_default_str()->check(CLI::Range(1.0, 86400.0));
    cmd->callback([cfg] { run_backhaul(*cfg); });
}

}  // namespace dxplan::cli
