// Backhaul heuristic: hop-limited shortest-path Steiner tree with capacity repair and local improvement.
// See backhaul.hpp for the method.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
#include <random>

#include "libsim/core/error.hpp"
#include "libsim/network/backhaul.hpp"
#include "libsim/network/backhaul_internal.hpp"

namespace dxplan::net {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kMaxPerturbedStarts = 60;
constexpr double kRestartWork = 5e6;   // sites x feasible links summed over the perturbed restarts
constexpr double kPerturbation = 0.3;  // link costs x U[0.7, 1.3] in a perturbed restart
constexpr std::size_t kRedundancyPool = 4;  // with redundancy: best distinct trees finished with their second paths

// Tree state: each connected node has a parent link (PoPs: none, depth 0).
struct Tree {
    std::vector<int> parent_link;   // candidate link index, -1 for PoPs and nodes outside the tree
    std::vector<int> parent;        // parent node, -1 likewise
    std::vector<int> depth;         // hops from the PoP, -1 outside the tree
};

class Heuristic {
public:
    explicit Heuristic(const BackhaulProblem& p) : p_(p), adj_(build_adjacency(p)), n_(static_cast<int>(p.nodes.size())) {
        for (const auto& l : p_.links) cost_.push_back(l.cost_jpy);
        t_.parent_link.assign(n_, -1);
        t_.parent.assign(n_, -1);
        t_.depth.assign(n_, -1);
        for (int v = 0; v < n_; ++v)
            if (p_.nodes[v].kind == NodeKind::pop) t_.depth[v] = 0;
    }

    BackhaulPlan run() {
        // Three growth orders (cheapest site first, farthest first, largest demand first) at the true costs, then
        // restarts at randomly perturbed costs (each link's cost times a factor in [1 - a, 1 + a], fixed seeds:
        // deterministic), each improved at the perturbed and then at the true costs; keep the tree that serves
        // the most sites, then the cheapest (with redundancy: the best kRedundancyPool distinct trees, each
        // finished with its second paths, and the cheapest plan). The perturbation lets the search leave the
        // greedy tree where capacities bind (a cheap radio trunk filled early forces later sites onto dear paths).
        const Tree empty = t_;
        const std::vector<double> true_cost = cost_;
        std::vector<Candidate> pool;  // the best trees found, best first (one without redundancy)
        const std::size_t pool_size = p_.redundancy ? kRedundancyPool : 1;
        const int starts = 3 + perturbed_starts();
        for (int k = 0; k < starts; ++k) {
            const Order order = k % 3 == 0 ? Order::cheapest : k % 3 == 1 ? Order::farthest : Order::largest;
            if (k >= 3) perturb_costs(static_cast<unsigned>(k));
            t_ = empty;
            unconnected_.clear();
            grow(order);
            improve();
            cost_ = true_cost;
            if (k >= 3) improve();
            Candidate c{t_, unconnected_, tree_cost()};
            const bool seen = std::any_of(pool.begin(), pool.end(), [&](const Candidate& o) {
                return o.tree.parent_link == c.tree.parent_link;
            });
            if (seen) continue;
            pool.insert(std::upper_bound(pool.begin(), pool.end(), c, better), std::move(c));
            if (pool.size() > pool_size) pool.pop_back();
        }
        // With redundancy the second paths are part of the cost: finish each pooled tree, keep the best plan.
        BackhaulPlan best;
        for (const Candidate& c : pool) {
            BackhaulPlan plan = finish(c);
            const auto missing = [](const BackhaulPlan& q) { return q.unconnected.size() + q.without_second_path.size(); };
            if (best.solver.empty() || missing(plan) < missing(best) ||
                (missing(plan) == missing(best) && plan.cost_jpy < best.cost_jpy - 1e-6))
                best = std::move(plan);
        }
        return best;
    }

private:
    struct Candidate {
        Tree tree;
        std::vector<int> unconnected;
        double cost_jpy = 0.0;
    };
    // Serves more sites, then costs less.
    static bool better(const Candidate& a, const Candidate& b) {
        return a.unconnected.size() != b.unconnected.size() ? a.unconnected.size() < b.unconnected.size()
                                                            : a.cost_jpy < b.cost_jpy - 1e-6;
    }

    // A pooled tree -> plan: trunk upgrades, flows, and with redundancy the second paths.
    BackhaulPlan finish(const Candidate& c) {
        t_ = c.tree;
        unconnected_ = c.unconnected;
        unconnected_redundant_.clear();
        upgrade_trunks();
        BackhaulPlan plan;
        plan.solver = "steiner-heuristic";
        std::vector<char> chosen(p_.links.size(), 0);
        for (int v = 0; v < n_; ++v)
            if (t_.parent_link[v] >= 0) chosen[t_.parent_link[v]] = 1;
        const std::vector<double> flow = link_flows();
        if (p_.redundancy) add_second_paths(chosen);
        for (std::size_t e = 0; e < chosen.size(); ++e)
            if (chosen[e]) {
                plan.links.push_back(e);
                plan.flow_mbps.push_back(flow[e]);
                plan.cost_jpy += p_.links[e].cost_jpy;
            }
        plan.unconnected = unconnected_;
        plan.without_second_path = unconnected_redundant_;
        plan.solved = unconnected_.empty() && unconnected_redundant_.empty();
        return plan;
    }

    // Restarts at perturbed costs: as many as keep the work (sites x feasible links per restart) under a fixed
    // budget, at most kMaxPerturbedStarts; a count, not a time, so that the result does not depend on the machine.
    int perturbed_starts() const {
        std::size_t sites = 0, feasible = 0;
        for (const auto& v : p_.nodes) sites += v.kind == NodeKind::site;
        for (const auto& l : p_.links) feasible += l.feasible;
        const double work = std::max<double>(1.0, static_cast<double>(sites) * static_cast<double>(feasible));
        return static_cast<int>(std::min<double>(kMaxPerturbedStarts, kRestartWork / work));
    }

    void perturb_costs(unsigned seed) {
        std::mt19937 rng(seed);
        std::uniform_real_distribution<double> factor(1.0 - kPerturbation, 1.0 + kPerturbation);
        for (std::size_t e = 0; e < cost_.size(); ++e) cost_[e] = p_.links[e].cost_jpy * factor(rng);
    }

    // Hop-limited cheapest paths from the tree into the non-tree nodes (relays only as intermediates).
    // D[l][v]: cheapest cost to reach non-tree node v at level l (hops from its PoP).
    struct Search {
        std::vector<std::vector<double>> cost;
        std::vector<std::vector<int>> pred_link;
    };

    // `blocked[v]`: nodes that may not be used (a detached subtree). Links must carry `need_mbps`; a tree node
    // is a valid start only if its path to the PoP has that much spare capacity.
    // With `through_sites`, unconnected sites may pass traffic on too (they join the tree with the path).
    Search search(int max_level, double need_mbps, const std::vector<char>& blocked, bool through_sites = false) const {
        Search s;
        s.cost.assign(max_level + 1, std::vector<double>(n_, kInf));
        s.pred_link.assign(max_level + 1, std::vector<int>(n_, -1));
        const std::vector<double> spare = spare_to_root();
        for (int l = 0; l < max_level; ++l) {
            for (int u = 0; u < n_; ++u) {
                if (blocked[u]) continue;
                const bool in_tree = t_.depth[u] >= 0;
                double base = kInf;
                if (in_tree) {
                    if (t_.depth[u] != l || spare[u] < need_mbps) continue;
                    base = 0.0;
                } else {
                    if (!through_sites && p_.nodes[u].kind != NodeKind::relay) continue;
                    base = s.cost[l][u];
                    if (base == kInf) continue;
                }
                for (const auto& [e, v] : adj_[u]) {
                    if (blocked[v] || t_.depth[v] >= 0 || p_.nodes[v].kind == NodeKind::pop) continue;
                    if (p_.links[e].capacity_mbps < need_mbps) continue;
                    const double c = base + cost_[e];
                    if (c < s.cost[l + 1][v]) {
                        s.cost[l + 1][v] = c;
                        s.pred_link[l + 1][v] = e;
                    }
                }
            }
        }
        return s;
    }

    static std::pair<double, int> best_level(const Search& s, int v) {
        double best = kInf;
        int level = -1;
        for (int l = 1; l < static_cast<int>(s.cost.size()); ++l)
            if (s.cost[l][v] < best) best = s.cost[l][v], level = l;
        return {best, level};
    }

    // Adds the found path ending at v (level l) to the tree.
    void attach(const Search& s, int v, int level) {
        while (level > 0 && t_.depth[v] < 0) {
            const int e = s.pred_link[level][v];
            const int u = other(p_.links[e], v);
            t_.parent_link[v] = e;
            t_.parent[v] = u;
            t_.depth[v] = level;
            v = u;
            --level;
        }
    }

    std::vector<int> children_count() const {
        std::vector<int> c(n_, 0);
        for (int v = 0; v < n_; ++v)
            if (t_.parent[v] >= 0) ++c[t_.parent[v]];
        return c;
    }

    // Demand carried by the parent link of every node (its subtree's demand).
    std::vector<double> subtree_demand() const {
        std::vector<int> order(n_);
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](int a, int b) { return t_.depth[a] > t_.depth[b]; });
        std::vector<double> d(n_, 0.0);
        for (int v : order) {
            if (t_.depth[v] < 0) continue;
            if (p_.nodes[v].kind == NodeKind::site) d[v] += p_.nodes[v].demand_mbps;
            if (t_.parent[v] >= 0) d[t_.parent[v]] += d[v];
        }
        return d;
    }

    std::vector<double> link_flows() const {
        const std::vector<double> d = subtree_demand();
        std::vector<double> f(p_.links.size(), 0.0);
        for (int v = 0; v < n_; ++v)
            if (t_.parent_link[v] >= 0) f[t_.parent_link[v]] = d[v];
        return f;
    }

    // Spare capacity on the path from each tree node up to its PoP (minimum over its links).
    std::vector<double> spare_to_root() const {
        const std::vector<double> d = subtree_demand();
        std::vector<int> order(n_);
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](int a, int b) { return t_.depth[a] < t_.depth[b]; });
        std::vector<double> spare(n_, kInf);
        for (int v : order) {
            if (t_.depth[v] <= 0) continue;
            const int e = t_.parent_link[v];
            spare[v] = std::min(spare[t_.parent[v]], p_.links[e].capacity_mbps - d[v]);
        }
        return spare;
    }

    int subtree_height(int root, const std::vector<char>& in_sub) const {
        int h = 0;
        for (int v = 0; v < n_; ++v)
            if (in_sub[v]) h = std::max(h, t_.depth[v] - t_.depth[root]);
        return h;
    }

    std::vector<char> subtree_of(int root) const {
        std::vector<char> in(n_, 0);
        for (int v = 0; v < n_; ++v) {
            int u = v;
            while (u >= 0 && u != root) u = t_.parent[u];
            if (u == root) in[v] = 1;
        }
        return in;
    }

    // Capacity repair, one overloaded link at a time (deepest first): upgrade it to the cheapest parallel
    // candidate that carries the load; else re-attach the overloaded subtree by one link to another tree node
    // with spare capacity and depth to spare. Returns false when some overload cannot be removed.
    bool repair_capacity() {
        for (int guard = 0; guard < 4 * n_; ++guard) {
            const std::vector<double> d = subtree_demand();
            int v = -1;
            for (int w = 0; w < n_; ++w)
                if (t_.parent_link[w] >= 0 && p_.links[t_.parent_link[w]].capacity_mbps < d[w] &&
                    (v < 0 || t_.depth[w] > t_.depth[v]))
                    v = w;
            if (v < 0) return true;
            int best = -1;
            for (const auto& [f, w] : adj_[v])
                if (w == t_.parent[v] && p_.links[f].capacity_mbps >= d[v] &&
                    (best < 0 || cost_[f] < cost_[best]))
                    best = f;
            if (best >= 0) {
                t_.parent_link[v] = best;
                continue;
            }
            const std::vector<char> sub = subtree_of(v);
            const int h_sub = subtree_height(v, sub);
            const std::vector<double> spare = spare_to_root();
            for (const auto& [f, w] : adj_[v])
                if (t_.depth[w] >= 0 && !sub[w] && w != t_.parent[v] && p_.links[f].capacity_mbps >= d[v] &&
                    spare[w] >= d[v] && t_.depth[w] + 1 + h_sub <= p_.max_hops &&
                    (best < 0 || cost_[f] < cost_[best]))
                    best = f;
            if (best < 0) return false;
            const int w = other(p_.links[best], v);
            const int shift = t_.depth[w] + 1 - t_.depth[v];
            t_.parent_link[v] = best;
            t_.parent[v] = w;
            for (int x = 0; x < n_; ++x)
                if (sub[x]) t_.depth[x] += shift;
        }
        return false;
    }

    enum class Order { cheapest, farthest, largest };

    void grow(Order order) {
        const int H = p_.max_hops;
        std::vector<char> none(n_, 0);
        std::vector<char> pending(n_, 0);
        for (int v = 0; v < n_; ++v) pending[v] = p_.nodes[v].kind == NodeKind::site;
        while (true) {
            // The next site by the growth order (among those reachable, ignoring capacity); then its path with
            // capacity.
            const Search any = search(H, 0.0, none);
            int site = -1;
            double key_best = -kInf;
            for (int v = 0; v < n_; ++v) {
                const double c = pending[v] ? best_level(any, v).first : kInf;
                if (c == kInf) continue;
                const double key = order == Order::cheapest ? -c
                                   : order == Order::farthest ? c
                                                              : p_.nodes[v].demand_mbps;
                if (key > key_best) key_best = key, site = v;
            }
            if (site < 0) break;
            pending[site] = 0;
            const Search cap = search(H, p_.nodes[site].demand_mbps, none);
            const int level = best_level(cap, site).second;
            if (level > 0) {
                attach(cap, site, level);
                continue;
            }
            // No path with spare capacity through relays: try paths through unconnected sites too, then the
            // cheapest path of all; repair the capacity of what they overload (upgrades, re-attachments).
            bool joined = false;
            for (bool with_capacity : {true, false}) {
                const Search s = search(H, with_capacity ? p_.nodes[site].demand_mbps : 0.0, none, true);
                const int lv = best_level(s, site).second;
                if (lv <= 0) continue;
                const Tree saved = t_;
                attach(s, site, lv);
                if (repair_capacity()) {
                    joined = true;
                    break;
                }
                t_ = saved;
            }
            if (!joined) unconnected_.push_back(site);
            for (int v = 0; v < n_; ++v)  // sites that joined as part of the path
                if (t_.depth[v] >= 0) pending[v] = 0;
        }
        for (int v = 0; v < n_; ++v)
            if (pending[v]) unconnected_.push_back(v);
        std::sort(unconnected_.begin(), unconnected_.end());
    }

    // Local improvement: re-attach each subtree where that is cheaper, releasing relays it no longer needs.
    double tree_cost() const {
        double cost = 0.0;
        for (int v = 0; v < n_; ++v)
            if (t_.parent_link[v] >= 0) cost += p_.links[t_.parent_link[v]].cost_jpy;
        return cost;
    }

    // Trunk upgrades, for instances where capacity binds: a link near a PoP (depth <= 2) is swapped for a
    // parallel candidate of higher capacity, the sites left unconnected are tried again and the local
    // improvement re-attaches subtrees through the upgraded trunk. Kept when it serves more sites or costs
    // less; repeated until no upgrade helps.
    void upgrade_trunks() {
        bool improved = true;
        while (improved) {
            improved = false;
            for (int v = 0; v < n_ && !improved; ++v) {
                const int e = t_.parent_link[v];
                if (e < 0 || t_.depth[v] > 2) continue;
                for (const auto& [f, w] : adj_[v]) {
                    if (w != t_.parent[v] || p_.links[f].capacity_mbps <= p_.links[e].capacity_mbps) continue;
                    const Tree saved = t_;
                    const std::vector<int> saved_unconnected = unconnected_;
                    const double before = tree_cost();
                    t_.parent_link[v] = f;
                    retry_unconnected();
                    improve();
                    const bool better = unconnected_.size() < saved_unconnected.size() ||
                                        (unconnected_.size() == saved_unconnected.size() && tree_cost() < before - 1e-6);
                    if (better) {
                        improved = true;
                        break;
                    }
                    t_ = saved;
                    unconnected_ = saved_unconnected;
                }
            }
        }
    }

    // Tries again to join the sites left unconnected, by the cheapest path with spare capacity.
    void retry_unconnected() {
        std::vector<char> none(n_, 0);
        std::vector<int> still;
        for (int site : unconnected_) {
            if (t_.depth[site] >= 0) continue;  // joined meanwhile as part of another site's path
            const Search cap = search(p_.max_hops, p_.nodes[site].demand_mbps, none, true);
            const int level = best_level(cap, site).second;
            if (level <= 0) {
                still.push_back(site);
                continue;
            }
            const Tree saved = t_;
            attach(cap, site, level);
            if (!repair_capacity()) t_ = saved, still.push_back(site);
        }
        unconnected_ = std::move(still);
    }

    void improve() {
        for (int round = 0; round < 20; ++round) {
            bool improved = false;
            for (int v = 0; v < n_; ++v) {
                if (t_.parent_link[v] < 0) continue;
                const std::vector<char> sub = subtree_of(v);
                const double need = subtree_demand()[v];
                const int h_sub = subtree_height(v, sub);
                // Detach: the parent link, and relays left serving nobody up the chain.
                const Tree saved = t_;
                double saved_cost = cost_[t_.parent_link[v]];
                int u = t_.parent[v];
                t_.parent_link[v] = -1, t_.parent[v] = -1;
                std::vector<int> released;
                while (u >= 0 && p_.nodes[u].kind == NodeKind::relay && children_count()[u] == 0 &&
                       t_.parent_link[u] >= 0) {
                    saved_cost += cost_[t_.parent_link[u]];
                    const int up = t_.parent[u];
                    t_.parent_link[u] = -1, t_.parent[u] = -1, t_.depth[u] = -1;
                    u = up;
                }
                // Mark the subtree outside the tree for the search, but blocked except its root v.
                std::vector<char> blocked = sub;
                blocked[v] = 0;
                const std::vector<int> sub_depth = t_.depth;
                for (int w = 0; w < n_; ++w)
                    if (sub[w]) t_.depth[w] = -1;
                const Search s = search(p_.max_hops - h_sub, need, blocked);
                const auto [c, level] = best_level(s, v);
                if (level > 0 && c < saved_cost - 1e-6) {
                    attach(s, v, level);
                    for (int w = 0; w < n_; ++w)  // shift the subtree's depths
                        if (sub[w] && w != v) t_.depth[w] = sub_depth[w] - sub_depth[v] + level;
                    improved = true;
                } else {
                    t_ = saved;
                }
            }
            if (!improved) break;
        }
    }

    // Redundancy: give every site a second path edge-disjoint from its first (tree) path: Dijkstra from the
    // site to any PoP where built links cost nothing and the links of its tree path are forbidden.
    void add_second_paths(std::vector<char>& chosen) {
        for (int s = 0; s < n_; ++s) {
            if (p_.nodes[s].kind != NodeKind::site || t_.depth[s] < 0) continue;
            if (count_disjoint(p_, chosen, s) >= 2) continue;
            std::vector<char> forbidden(p_.links.size(), 0);
            for (int v = s; t_.parent_link[v] >= 0; v = t_.parent[v]) forbidden[t_.parent_link[v]] = 1;
            std::vector<double> dist(n_, kInf);
            std::vector<int> pred(n_, -1);
            using QE = std::pair<double, int>;
            std::priority_queue<QE, std::vector<QE>, std::greater<>> q;
            dist[s] = 0.0;
            q.push({0.0, s});
            int reached = -1;
            while (!q.empty()) {
                const auto [d, u] = q.top();
                q.pop();
                if (d > dist[u]) continue;
                if (p_.nodes[u].kind == NodeKind::pop) {
                    reached = u;
                    break;
                }
                for (const auto& [e, w] : adj_[u]) {
                    if (forbidden[e]) continue;
                    const double c = d + (chosen[e] ? 0.0 : p_.links[e].cost_jpy);
                    if (c < dist[w]) dist[w] = c, pred[w] = e, q.push({c, w});
                }
            }
            if (reached < 0) {
                unconnected_redundant_.push_back(s);
                continue;
            }
            for (int v = reached; v != s; v = other(p_.links[pred[v]], v)) chosen[pred[v]] = 1;
        }
    }

    const BackhaulProblem& p_;
    Adjacency adj_;
    int n_;
    std::vector<double> cost_;  // link costs the search works with (the true ones, or perturbed)
    Tree t_;
    std::vector<int> unconnected_;
    std::vector<int> unconnected_redundant_;
};

}  // namespace

BackhaulPlan plan_backhaul_heuristic(const BackhaulProblem& problem) {
    validate(problem);
    return Heuristic(problem).run();
}

}  // namespace dxplan::net
