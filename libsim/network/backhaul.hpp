// dxplan backhaul planner: connect every access site to a fibre point of presence (PoP) at minimum cost,
// over a graph of candidate links (fibre, microwave, 60 GHz / E-band, Wi-Fi point-to-point, ...).
//
// The optimisation works on plain data: nodes, and candidate links whose feasibility, capacity and cost were
// decided before (link_feasibility.hpp does that from the terrain). Two solvers share one problem:
//  - plan_backhaul_heuristic(): hop-limited shortest-path Steiner tree (Takahashi-Matsuyama: grow a tree from
//    the PoPs, each time joining the site whose cheapest hop-limited path to the tree is shortest), capacity
//    repair (upgrade an overloaded link to a parallel candidate of higher capacity, else re-attach the
//    overloaded subtree elsewhere), local improvement (re-attach each subtree where cheaper, drop relays that
//    serve nobody), restarted from three growth orders at the true link costs and then from up to 60 growths at
//    randomly perturbed costs (x U[0.7, 1.3], fixed seeds: deterministic; their number shrinks with sites x
//    links so that 200 sites stay fast), keeping the best tree; then trunk upgrades, and, with redundancy, a
//    second path per site edge-disjoint from its first (for the 4 best trees, keeping the cheapest plan);
//  - plan_backhaul_exact(): a mixed-integer program solved by GLPK: a hop-limited arborescence (MTZ levels)
//    with a single-commodity flow for capacity; with redundancy, the tree's links are paid as built links and
//    every site also gets a 2-unit flow to the PoPs over built links of unit capacity (integral links + flow 2
//    = two edge-disjoint paths, by max-flow/min-cut). For about 40 sites. A site that cannot be served within
//    capacities and the hop limit is left unserved at a penalty above every link's cost together.
// With redundancy, both solvers apply the hop limit and the capacities to the primary (tree) path only; the
// second path is a protection path of any length.
// Costs are the links' total cost over the horizon (capex + discounted opex), already in CandidateLink.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dxplan::net {

enum class NodeKind { site, pop, relay };

struct Node {
    std::string id;
    NodeKind kind = NodeKind::site;
    double lat_deg = 0.0;
    double lon_deg = 0.0;
    double demand_mbps = 0.0;   // traffic a site sends back (sites only)
    double mast_height_m = 0.0;
};

struct CandidateLink {
    int a = 0;                   // node indices
    int b = 0;
    std::string technology;      // e.g. "fibre", "microwave-18ghz", "eband-80ghz", "wifi5-ptp"
    double length_m = 0.0;
    double capacity_mbps = 0.0;
    double capex_jpy = 0.0;
    double opex_jpy_per_year = 0.0;
    double cost_jpy = 0.0;       // capex + present value of opex over the horizon: what is minimised
    // Feasibility from the terrain (filled by link_feasibility): why a link is rejected.
    bool feasible = true;
    std::string reason;          // empty when feasible
    double clearance_f1 = 0.0;   // worst clearance as a fraction of the first Fresnel zone radius
    double availability_pct = 100.0;
    double fade_margin_db = 0.0;
};

struct BackhaulProblem {
    std::vector<Node> nodes;
    std::vector<CandidateLink> links;
    int max_hops = 4;            // hops from a site to its PoP, in [1, 16]
    bool redundancy = false;     // every site gets two edge-disjoint paths to the PoPs
};

struct BackhaulPlan {
    std::vector<std::size_t> links;      // chosen candidate links, ascending
    std::vector<double> flow_mbps;       // traffic on each chosen link (primary routing)
    double cost_jpy = 0.0;
    std::vector<int> unconnected;        // sites left without a feasible connection
    std::vector<int> without_second_path;  // with redundancy: sites for which no second disjoint path exists
    std::string solver;                  // "steiner-heuristic" or "glpk"
    bool optimal = false;                // exact solver proved optimality
    double lower_bound_jpy = 0.0;        // exact solver: a lower bound on its objective (links + penalties of the
                                         // sites it could serve but left unserved); = the optimum when optimal
    bool solved = false;                 // every site connected (and, with redundancy, doubly connected)
};

// Validates the problem (InputError naming the field); returns nothing.
void validate(const BackhaulProblem& problem);

BackhaulPlan plan_backhaul_heuristic(const BackhaulProblem& problem);
BackhaulPlan plan_backhaul_exact(const BackhaulProblem& problem, double time_limit_s = 60.0);

// Independent checks of a plan (used by tests and after the exact solver): every site reaches a PoP within
// max_hops over chosen links, capacities hold for its primary routing, and, with redundancy, every site has
// two edge-disjoint paths (computed by a max-flow). Returns one line per violation; empty when the plan holds.
std::vector<std::string> check_plan(const BackhaulProblem& problem, const BackhaulPlan& plan);

// Number of edge-disjoint paths from a site to the set of PoPs over the plan's links (Boost.Graph max-flow).
int edge_disjoint_paths_to_pops(const BackhaulProblem& problem, const BackhaulPlan& plan, int site);

}  // namespace dxplan::net
