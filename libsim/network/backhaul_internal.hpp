// Internal helpers shared by the backhaul solvers (not installed, not for other layers).
#pragma once

#include <utility>
#include <vector>

#include "libsim/network/backhaul.hpp"

namespace dxplan::net {

// For each node: (candidate link index, neighbour) over the feasible links.
using Adjacency = std::vector<std::vector<std::pair<int, int>>>;
Adjacency build_adjacency(const BackhaulProblem& p);

inline int other(const CandidateLink& l, int v) { return l.a == v ? l.b : l.a; }

// Edge-disjoint paths from `site` to the PoP set over the links with chosen[e] != 0 (Boost.Graph max-flow).
int count_disjoint(const BackhaulProblem& p, const std::vector<char>& chosen, int site);

}  // namespace dxplan::net
