// dxplan backhaul: the candidate graph the optimiser chooses from.
//
// Nodes: access sites, fibre PoPs and relay candidates (hilltops found in the terrain, or given). Edges: for
// every backhaul technology, each node joined to its k nearest nodes within the technology's maximum hop
// length (k-nearest keeps the graph sparse; PoP-PoP pairs are left out). Every radio candidate is assessed
// over the terrain (link_feasibility.hpp; one profile per node pair, shared by the technologies), fibre is the
// the road route when a road network is given (road_network.hpp; a pair without a road route falls back to the
// straight line times the detour factor, with a warning), else the straight line times the detour factor.
// Costs come from the catalogue: cost_jpy = capex + present value of
// the opex over the horizon (econ::present_value_jpy). Nodes closer than `colocated_m` are joined by a free
// "co-located" link (a site on a PoP's premises).
#pragma once

#include <string>
#include <vector>

#include "libsim/economics/catalogue.hpp"
#include "libsim/network/backhaul.hpp"
#include "libsim/network/backhaul_technology.hpp"
#include "libsim/network/link_feasibility.hpp"
#include "libsim/network/road_network.hpp"
#include "libsim/terrain/land_cover.hpp"
#include "libsim/terrain/terrain.hpp"

namespace dxplan::net {

inline constexpr const char* kColocatedTechnology = "co-located";

// Hilltop relay candidates: grid cells inside `area` that are the highest point within window_m and stand
// at least min_relief_m above the lowest point of that window (local relief, a cheap stand-in for
// topographic prominence), best relief first, thinned so that no two are closer than min_separation_m, at
// most max_count. Ids "relay-1", "relay-2", ... with mast height mast_height_m.
struct RelayOptions {
    double window_m = 1500.0;
    double min_relief_m = 100.0;
    double min_separation_m = 3000.0;
    int max_count = 20;
    double mast_height_m = 20.0;
};
[[nodiscard]] std::vector<Node> find_relay_candidates(const Terrain& terrain, const GeoBox& area, const RelayOptions& options);

struct GraphOptions {
    int k_nearest = 6;             // neighbours per node and technology, [1, 100]
    int horizon_years = 10;        // for the present value of the opex
    double discount_rate = 0.03;
    double colocated_m = 50.0;
    // Leave out a feasible candidate when a parallel feasible one (same node pair) costs no more and carries no
    // less (ties: the first technology in the list kept). Shrinks the MIP several-fold; the optimum is unchanged.
    bool prune_dominated = true;
    const RoadNetwork* roads = nullptr;  // fibre along these roads; nullptr: straight line x detour factor
    // A node farther than this from every road does not join the road network: its fibre is straight line x
    // detour factor, with a warning (a cross-country drop cable is not a road route; a roads file of another
    // area must not pass silently). [0, 100000] m.
    double max_drop_m = 500.0;
};

struct CandidateGraph {
    BackhaulProblem problem;                 // nodes and links (infeasible ones kept, with their reason)
    std::vector<HopAssessment> assessments;  // one per link
    std::size_t pairs_profiled = 0;          // node pairs whose terrain profile was extracted
    std::size_t pruned = 0;                  // dominated parallel candidates left out
    std::size_t fibre_on_roads = 0;          // fibre candidates routed along the roads
    std::vector<std::string> warnings;       // e.g. nodes without a road route to their fibre neighbours
};

// InputError when a node lies outside the terrain, or for options out of range. Uses OpenMP over node pairs.
[[nodiscard]] CandidateGraph build_candidate_graph(std::vector<Node> nodes, const std::vector<BackhaulTechnology>& technologies,
                                                   const econ::Catalogue& catalogue, const Terrain& terrain,
                                                   const LandCover* land_cover, const DesignCriteria& criteria,
                                                   const GraphOptions& options);

}  // namespace dxplan::net
