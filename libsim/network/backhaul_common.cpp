// Backhaul: problem validation, adjacency, max-flow disjointness check and the independent plan checker.
#include <algorithm>
#include <cmath>
#include <queue>
#include <string>

// Boost.Graph's max-flow trips g++ 12's -Wmaybe-uninitialized inside Boost's own iterators: silence it there only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/boykov_kolmogorov_max_flow.hpp>
#pragma GCC diagnostic pop

#include "libsim/core/error.hpp"
#include "libsim/network/backhaul.hpp"
#include "libsim/network/backhaul_internal.hpp"

namespace dxplan::net {

void validate(const BackhaulProblem& p) {
    if (p.max_hops < 1 || p.max_hops > 16)
        throw InputError("backhaul.max_hops = " + std::to_string(p.max_hops) + ": must be in [1, 16]");
    const int n = static_cast<int>(p.nodes.size());
    bool have_pop = false;
    for (const auto& v : p.nodes) {
        have_pop |= v.kind == NodeKind::pop;
        if (!std::isfinite(v.demand_mbps) || v.demand_mbps < 0)
            throw InputError("backhaul node '" + v.id + "': demand_mbps must be finite and >= 0");
    }
    if (!have_pop && n > 0) throw InputError("backhaul: no fibre point of presence (pops) to connect to");
    for (std::size_t e = 0; e < p.links.size(); ++e) {
        const auto& l = p.links[e];
        if (l.a < 0 || l.b < 0 || l.a >= n || l.b >= n || l.a == l.b)
            throw InputError("backhaul link " + std::to_string(e) + ": endpoints must be two different nodes");
        if (!std::isfinite(l.cost_jpy) || l.cost_jpy < 0 || !std::isfinite(l.capacity_mbps) || l.capacity_mbps < 0)
            throw InputError("backhaul link " + std::to_string(e) + ": cost and capacity must be finite and >= 0");
    }
}

Adjacency build_adjacency(const BackhaulProblem& p) {
    Adjacency adj(p.nodes.size());
    for (std::size_t e = 0; e < p.links.size(); ++e) {
        const auto& l = p.links[e];
        if (!l.feasible) continue;
        adj[l.a].emplace_back(static_cast<int>(e), l.b);
        adj[l.b].emplace_back(static_cast<int>(e), l.a);
    }
    return adj;
}

int count_disjoint(const BackhaulProblem& p, const std::vector<char>& chosen, int site) {
    using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
    using Graph = boost::adjacency_list<
        boost::vecS, boost::vecS, boost::directedS,
        boost::property<boost::vertex_index_t, long,
                        boost::property<boost::vertex_color_t, boost::default_color_type,
                                        boost::property<boost::vertex_distance_t, long,
                                                        boost::property<boost::vertex_predecessor_t,
                                                                        Traits::edge_descriptor>>>>,
        boost::property<boost::edge_capacity_t, long,
                        boost::property<boost::edge_residual_capacity_t, long,
                                        boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
    const int n = static_cast<int>(p.nodes.size());
    Graph g(n + 1);  // vertex n: super-sink joined to every PoP
    auto cap = boost::get(boost::edge_capacity, g);
    auto rev = boost::get(boost::edge_reverse, g);
    auto add = [&](int u, int v, long c) {  // a directed arc u->v of capacity c with its reverse of 0
        const auto e1 = boost::add_edge(u, v, g).first;
        const auto e2 = boost::add_edge(v, u, g).first;
        cap[e1] = c, cap[e2] = 0, rev[e1] = e2, rev[e2] = e1;
    };
    for (std::size_t e = 0; e < p.links.size(); ++e)
        if (chosen[e]) add(p.links[e].a, p.links[e].b, 1), add(p.links[e].b, p.links[e].a, 1);
    for (int v = 0; v < n; ++v)
        if (p.nodes[v].kind == NodeKind::pop) add(v, n, 1000);
    if (p.nodes[site].kind == NodeKind::pop) return 1000;
    return static_cast<int>(boost::boykov_kolmogorov_max_flow(g, site, n));
}

int edge_disjoint_paths_to_pops(const BackhaulProblem& p, const BackhaulPlan& plan, int site) {
    std::vector<char> chosen(p.links.size(), 0);
    for (std::size_t e : plan.links) chosen.at(e) = 1;
    return count_disjoint(p, chosen, site);
}

std::vector<std::string> check_plan(const BackhaulProblem& p, const BackhaulPlan& plan) {
    std::vector<std::string> problems;
    const int n = static_cast<int>(p.nodes.size());
    std::vector<char> chosen(p.links.size(), 0);
    for (std::size_t i = 0; i < plan.links.size(); ++i) {
        const std::size_t e = plan.links[i];
        chosen.at(e) = 1;
        if (!p.links[e].feasible) problems.push_back("link " + std::to_string(e) + " is not feasible");
        if (i < plan.flow_mbps.size() && plan.flow_mbps[i] > p.links[e].capacity_mbps + 1e-6)
            problems.push_back("link " + std::to_string(e) + " carries " + std::to_string(plan.flow_mbps[i]) +
                               " Mbps > capacity " + std::to_string(p.links[e].capacity_mbps));
    }
    // Hop distance from the PoPs over chosen links (breadth-first).
    std::vector<int> hops(n, -1);
    std::queue<int> q;
    for (int v = 0; v < n; ++v)
        if (p.nodes[v].kind == NodeKind::pop) hops[v] = 0, q.push(v);
    const Adjacency adj = build_adjacency(p);
    while (!q.empty()) {
        const int u = q.front();
        q.pop();
        for (const auto& [e, w] : adj[u])
            if (chosen[e] && hops[w] < 0) hops[w] = hops[u] + 1, q.push(w);
    }
    for (int v = 0; v < n; ++v) {
        if (p.nodes[v].kind != NodeKind::site) continue;
        const bool excused = std::find(plan.unconnected.begin(), plan.unconnected.end(), v) != plan.unconnected.end();
        if (hops[v] < 0 && !excused) problems.push_back("site " + p.nodes[v].id + " is not connected");
        if (hops[v] > p.max_hops)
            problems.push_back("site " + p.nodes[v].id + " is " + std::to_string(hops[v]) + " hops from a PoP");
        if (p.redundancy && hops[v] >= 0 && count_disjoint(p, chosen, v) < 2 &&
            std::find(plan.without_second_path.begin(), plan.without_second_path.end(), v) ==
                plan.without_second_path.end())
            problems.push_back("site " + p.nodes[v].id + " has fewer than two edge-disjoint paths");
    }
    // Without redundancy the chosen links form a forest rooted at the PoPs: recompute the traffic on each
    // link from the sites below it, independently of the solver's flows.
    if (!p.redundancy) {
        std::vector<int> parent_link(n, -1), order;
        std::vector<char> seen(n, 0);
        for (int v = 0; v < n; ++v)
            if (p.nodes[v].kind == NodeKind::pop) q.push(v), seen[v] = 1;
        while (!q.empty()) {
            const int u = q.front();
            q.pop();
            order.push_back(u);
            for (const auto& [e, w] : adj[u])
                if (chosen[e] && !seen[w]) seen[w] = 1, parent_link[w] = e, q.push(w);
        }
        std::vector<double> below(n, 0.0);
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            const int v = *it;
            if (p.nodes[v].kind == NodeKind::site) below[v] += p.nodes[v].demand_mbps;
            if (parent_link[v] >= 0) {
                const auto& l = p.links[parent_link[v]];
                below[other(l, v)] += below[v];
                if (below[v] > l.capacity_mbps + 1e-6)
                    problems.push_back("link " + std::to_string(parent_link[v]) + " must carry " +
                                       std::to_string(below[v]) + " Mbps > capacity " + std::to_string(l.capacity_mbps));
            }
        }
    }
    return problems;
}

}  // namespace dxplan::net
