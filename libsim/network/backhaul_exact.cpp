// Backhaul exact solver: mixed-integer programs solved by GLPK (see backhaul.hpp for the formulations).
#include <algorithm>
#include <cmath>
#include <tuple>
#include <memory>
#include <string>
#include <vector>

#include <glpk.h>

#include "libsim/network/backhaul.hpp"
#include "libsim/network/backhaul_internal.hpp"

namespace dxplan::net {

namespace {

// A thin builder over the GLPK C API: columns and rows by index, coefficients collected then loaded once.
class Mip {
public:
    Mip() : lp_(glp_create_prob(), glp_delete_prob) { glp_set_obj_dir(lp_.get(), GLP_MIN); }

    int col(double lo, double hi, bool binary, double cost) {
        const int j = glp_add_cols(lp_.get(), 1);
        if (binary) glp_set_col_kind(lp_.get(), j, GLP_BV);
        else glp_set_col_bnds(lp_.get(), j, hi == lo ? GLP_FX : (std::isinf(hi) ? GLP_LO : GLP_DB), lo, hi);
        glp_set_obj_coef(lp_.get(), j, cost);
        return j;
    }
    // A row lo <= sum <= hi (use -inf / +inf for one-sided rows).
    int row(double lo, double hi) {
        const int i = glp_add_rows(lp_.get(), 1);
        const int type = std::isinf(lo) ? GLP_UP : std::isinf(hi) ? GLP_LO : (lo == hi ? GLP_FX : GLP_DB);
        glp_set_row_bnds(lp_.get(), i, type, lo, hi);
        return i;
    }
    void add(int row, int col, double a) { ia_.push_back(row), ja_.push_back(col), ar_.push_back(a); }

    // Solves; returns GLPK's MIP status (GLP_OPT, GLP_FEAS, GLP_NOFEAS, GLP_UNDEF).
    int solve(double time_limit_s) {
        glp_load_matrix(lp_.get(), static_cast<int>(ia_.size()) - 1, ia_.data(), ja_.data(), ar_.data());
        glp_iocp parm;
        glp_init_iocp(&parm);
        parm.presolve = GLP_ON;
        parm.msg_lev = GLP_MSG_OFF;
        parm.tm_lim = static_cast<int>(time_limit_s * 1000.0);
        parm.mip_gap = 1e-9;
        // Keep GLPK's best bound (the lowest LP bound of the open nodes) as the search goes.
        parm.cb_func = [](glp_tree* tree, void* info) {
            const int best = glp_ios_best_node(tree);
            if (best != 0) *static_cast<double*>(info) = glp_ios_node_bound(tree, best);
        };
        parm.cb_info = &bound_;
        glp_intopt(lp_.get(), &parm);
        const int status = glp_mip_status(lp_.get());
        if (status == GLP_OPT) bound_ = glp_mip_obj_val(lp_.get());
        return status;
    }
    // A lower bound on the objective: the optimum when solved, else GLPK's best bound when it stopped.
    double bound() const { return bound_; }
    double value(int col) const { return glp_mip_col_val(lp_.get(), col); }

private:
    std::unique_ptr<glp_prob, void (*)(glp_prob*)> lp_;
    std::vector<int> ia_{0}, ja_{0};
    std::vector<double> ar_{0.0};
    double bound_ = 0.0;
};

constexpr double kInf = HUGE_VAL;

// Sites that cannot reach a PoP within max_hops over feasible links at all: left out of the model.
std::vector<char> reachable(const BackhaulProblem& p, const Adjacency& adj) {
    const int n = static_cast<int>(p.nodes.size());
    std::vector<int> hops(n, -1);
    std::vector<int> frontier;
    for (int v = 0; v < n; ++v)
        if (p.nodes[v].kind == NodeKind::pop) hops[v] = 0, frontier.push_back(v);
    for (int h = 1; h <= p.max_hops; ++h) {
        std::vector<int> next;
        for (int u : frontier)
            for (const auto& [e, w] : adj[u])
                if (hops[w] < 0) hops[w] = h, next.push_back(w);
        frontier = std::move(next);
    }
    std::vector<char> r(n);
    for (int v = 0; v < n; ++v) r[v] = hops[v] >= 0;
    return r;
}

}  // namespace

BackhaulPlan plan_backhaul_exact(const BackhaulProblem& p, double time_limit_s) {
    validate(p);
    const int n = static_cast<int>(p.nodes.size());
    const Adjacency adj = build_adjacency(p);
    const std::vector<char> ok = reachable(p, adj);
    const int H = p.max_hops;
    Mip mip;
    std::vector<int> edges;  // feasible links between reachable nodes
    for (std::size_t e = 0; e < p.links.size(); ++e)
        if (p.links[e].feasible && ok[p.links[e].a] && ok[p.links[e].b]) edges.push_back(static_cast<int>(e));
    const auto is = [&](int v, NodeKind k) { return p.nodes[v].kind == k; };

    // Flow columns for traffic (both directions of each link) and the per-node balance rows.
    std::vector<int> f_ab(edges.size()), f_ba(edges.size());
    for (std::size_t k = 0; k < edges.size(); ++k) f_ab[k] = mip.col(0, kInf, false, 0), f_ba[k] = mip.col(0, kInf, false, 0);
    // A site may stay unserved (u_v = 1) at a penalty above the cost of every link together, so the optimum
    // serves as many sites as capacities allow, then at least cost. Unserved sites need no traffic.
    double penalty_jpy = 1.0;
    for (int e : edges) penalty_jpy += p.links[e].cost_jpy;
    std::vector<int> unserved(n, 0);
    for (int v = 0; v < n; ++v)
        if (ok[v] && is(v, NodeKind::site)) unserved[v] = mip.col(0, 1, true, penalty_jpy);
    std::vector<int> balance(n, 0);
    for (int v = 0; v < n; ++v) {
        if (!ok[v] || is(v, NodeKind::pop)) continue;
        const double d = is(v, NodeKind::site) ? p.nodes[v].demand_mbps : 0.0;
        balance[v] = mip.row(d, d);  // inflow - outflow + d u_v = d (sites), = 0 (relays)   [flow conservation]
        if (unserved[v]) mip.add(balance[v], unserved[v], d);
    }
    auto add_flow = [&](std::size_t k, int col_ab, int col_ba) {
        const auto& l = p.links[edges[k]];
        if (balance[l.b]) mip.add(balance[l.b], col_ab, 1.0), mip.add(balance[l.b], col_ba, -1.0);
        if (balance[l.a]) mip.add(balance[l.a], col_ba, 1.0), mip.add(balance[l.a], col_ab, -1.0);
    };
    for (std::size_t k = 0; k < edges.size(); ++k) add_flow(k, f_ab[k], f_ba[k]);

    BackhaulPlan plan;
    plan.solver = "glpk";
    for (int v = 0; v < n; ++v)
        if (is(v, NodeKind::site) && !ok[v]) plan.unconnected.push_back(v);

    // Columns meaning "link k is built": z_ab + z_ba (tree) or x (redundant).
    std::vector<std::vector<int>> built_cols(edges.size());

    // Primary routing: a hop-limited arborescence rooted at the PoPs (z_uv = 1 when u is v's parent) carrying
    // the traffic within capacity. Without redundancy the arcs are what is built and paid for; with it, a
    // built-link column x_e is paid for, the tree uses built links only, and every site also gets a flow of
    // 2 units to the PoPs over built links with unit capacity (integral x + flow 2 = two edge-disjoint paths).
    std::vector<int> z_ab(edges.size()), z_ba(edges.size()), x(edges.size(), 0);
    for (std::size_t k = 0; k < edges.size(); ++k) {
        const auto& l = p.links[edges[k]];
        const double arc_cost = p.redundancy ? 0.0 : l.cost_jpy;
        z_ab[k] = is(l.b, NodeKind::pop) ? mip.col(0, 0, false, 0) : mip.col(0, 1, true, arc_cost);
        z_ba[k] = is(l.a, NodeKind::pop) ? mip.col(0, 0, false, 0) : mip.col(0, 1, true, arc_cost);
        built_cols[k] = {z_ab[k], z_ba[k]};
        if (p.redundancy) {
            x[k] = mip.col(0, 1, true, l.cost_jpy);
            built_cols[k] = {x[k]};
        }
    }
    std::vector<int> level(n, 0);
    for (int v = 0; v < n; ++v)
        if (ok[v]) level[v] = is(v, NodeKind::pop) ? mip.col(0, 0, false, 0) : mip.col(0, H, false, 0);
    std::vector<std::vector<int>> into(n);  // arcs into each node
    for (std::size_t k = 0; k < edges.size(); ++k) {
        into[p.links[edges[k]].b].push_back(z_ab[k]);
        into[p.links[edges[k]].a].push_back(z_ba[k]);
    }
    for (int v = 0; v < n; ++v) {
        if (!ok[v] || is(v, NodeKind::pop)) continue;
        const int r = is(v, NodeKind::site) ? mip.row(1, 1) : mip.row(-kInf, 1);  // one parent (relays: at most)
        for (int c : into[v]) mip.add(r, c, 1);
        if (unserved[v]) mip.add(r, unserved[v], 1);  // ... or unserved
    }
    for (std::size_t k = 0; k < edges.size(); ++k) {
        const auto& l = p.links[edges[k]];
        const int one_way = p.redundancy ? mip.row(-kInf, 0) : mip.row(-kInf, 1);  // z_ab + z_ba <= 1 (or <= x)
        mip.add(one_way, z_ab[k], 1), mip.add(one_way, z_ba[k], 1);
        if (p.redundancy) mip.add(one_way, x[k], -1);
        const std::tuple<int, int, int, int> arcs[2] = {{z_ab[k], f_ab[k], l.a, l.b}, {z_ba[k], f_ba[k], l.b, l.a}};
        for (const auto& [col_z, col_f, from, to] : arcs) {
            const int capr = mip.row(-kInf, 0);  // f_uv <= capacity * z_uv
            mip.add(capr, col_f, 1), mip.add(capr, col_z, -l.capacity_mbps);
            if (is(to, NodeKind::pop)) continue;
            const int mtz = mip.row(-H, kInf);  // l_v - l_u - (H+1) z_uv >= -H  (Miller-Tucker-Zemlin levels)
            mip.add(mtz, level[to], 1), mip.add(mtz, level[from], -1), mip.add(mtz, col_z, -(H + 1));
            if (is(from, NodeKind::relay)) {  // a relay serves others only if it is connected itself
                const int r = mip.row(-kInf, 0);  // z_uv - sum(z into u) <= 0
                mip.add(r, col_z, 1);
                for (int c : into[from]) mip.add(r, c, -1);
            }
        }
    }
    if (p.redundancy) {
        for (int s = 0; s < n; ++s) {
            if (!ok[s] || !is(s, NodeKind::site)) continue;
            std::vector<int> bal(n, 0);
            for (int v = 0; v < n; ++v)
                if (ok[v] && !is(v, NodeKind::pop)) bal[v] = v == s ? mip.row(2, 2) : mip.row(0, 0);  // out - in
            mip.add(bal[s], unserved[s], 2);  // out - in + 2 u_s = 2
            for (std::size_t k = 0; k < edges.size(); ++k) {
                const auto& l = p.links[edges[k]];
                const int g_ab = mip.col(0, 1, false, 0), g_ba = mip.col(0, 1, false, 0);
                const int unit = mip.row(-kInf, 0);  // g_ab + g_ba - x <= 0
                mip.add(unit, g_ab, 1), mip.add(unit, g_ba, 1), mip.add(unit, x[k], -1);
                if (bal[l.a]) mip.add(bal[l.a], g_ab, 1), mip.add(bal[l.a], g_ba, -1);
                if (bal[l.b]) mip.add(bal[l.b], g_ba, 1), mip.add(bal[l.b], g_ab, -1);
            }
        }
    }

    const int status = mip.solve(time_limit_s);
    plan.optimal = status == GLP_OPT;
    plan.lower_bound_jpy = mip.bound();
    if (status != GLP_OPT && status != GLP_FEAS) {
        for (int v = 0; v < n; ++v)
            if (is(v, NodeKind::site) && ok[v]) plan.unconnected.push_back(v);
        return plan;
    }
    for (int v = 0; v < n; ++v)
        if (unserved[v] && mip.value(unserved[v]) > 0.5) plan.unconnected.push_back(v);
    std::sort(plan.unconnected.begin(), plan.unconnected.end());
    for (std::size_t k = 0; k < edges.size(); ++k) {
        double b = 0.0;
        for (int c : built_cols[k]) b += mip.value(c);
        if (b < 0.5) continue;
        plan.links.push_back(static_cast<std::size_t>(edges[k]));
        plan.flow_mbps.push_back(mip.value(f_ab[k]) + mip.value(f_ba[k]));
        plan.cost_jpy += p.links[edges[k]].cost_jpy;
    }
    plan.solved = plan.unconnected.empty();
    return plan;
}

}  // namespace dxplan::net
