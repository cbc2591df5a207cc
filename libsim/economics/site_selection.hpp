// dxplan site selection: choose the candidate sites that reach a coverage target at minimum cost
// (weighted partial set cover), or the best coverage for a budget (maximum coverage).
//
// Input is plain data computed by the coverage layer: for each candidate site, its cost and the demand
// points it serves at the target location reliability. Two solvers:
//  - greedy: pick the site with the most newly covered weight per JPY until the target is met (Chvatal's
//    greedy for weighted set cover), then local improvement: drop sites that became redundant (most
//    expensive first) and try 1-for-1 swaps to cheaper unchosen sites while the target still holds;
//  - exact: the same problem as a mixed-integer program solved by GLPK (branch and cut), for small
//    instances, used to report the heuristic's optimality gap.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace dxplan::econ {

struct CandidateSite {
    double cost_jpy = 0.0;                 // cost of building (and running, as NPV) this site
    std::vector<std::size_t> covers;       // indices of the demand points it serves
};

struct SelectionProblem {
    std::vector<CandidateSite> candidates;
    std::vector<double> demand_weight;     // weight of each demand point (households, devices), >= 0
    double target_fraction = 0.95;         // share of total weight to cover, in [0, 1]
};

struct Selection {
    std::vector<std::size_t> chosen;       // candidate indices, ascending
    double cost_jpy = 0.0;
    double covered_weight = 0.0;
    double covered_fraction = 0.0;
    bool target_met = false;               // false when even all candidates cannot reach the target
    bool optimal = false;                  // exact solver proved its answer (optimum, or target unreachable)
    std::string solver;                    // "greedy+local" or "glpk"
};

// Greedy weighted set cover with local improvement. Deterministic (ties broken by lowest index).
Selection select_sites_greedy(const SelectionProblem& problem);

// Exact minimum-cost cover by MIP (GLPK). time_limit_s bounds the search; if it stops early, optimal=false.
Selection select_sites_exact(const SelectionProblem& problem, double time_limit_s = 30.0);

// The inverse question: the greatest covered weight for a budget (greedy, budget-feasible).
Selection select_sites_for_budget(const SelectionProblem& problem, double budget_jpy);

// Covered weight of a set of chosen candidates.
double covered_weight(const SelectionProblem& problem, std::span<const std::size_t> chosen);

}  // namespace dxplan::econ
