#include "libsim/economics/site_selection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include <glpk.h>

#include "libsim/core/error.hpp"

namespace dxplan::econ {

namespace {

void validate(const SelectionProblem& p) {
    if (!(p.target_fraction >= 0.0 && p.target_fraction <= 1.0))
        throw InputError("site selection: target_fraction = " + std::to_string(p.target_fraction) +
                         ": must be in [0, 1]");
    for (double w : p.demand_weight)
        if (!std::isfinite(w) || w < 0.0) throw InputError("site selection: demand weights must be finite and >= 0");
    for (std::size_t j = 0; j < p.candidates.size(); ++j) {
        const auto& c = p.candidates[j];
        if (!std::isfinite(c.cost_jpy) || c.cost_jpy < 0.0)
            throw InputError("site selection: candidate " + std::to_string(j) + " cost must be finite and >= 0");
        for (std::size_t i : c.covers)
            if (i >= p.demand_weight.size())
                throw InputError("site selection: candidate " + std::to_string(j) + " covers an unknown demand point");
    }
}

double total_weight(const SelectionProblem& p) {
    return std::accumulate(p.demand_weight.begin(), p.demand_weight.end(), 0.0);
}

// Relative slack so that "95 % of 400 households" is not missed by rounding in the sums.
double target_weight(const SelectionProblem& p) { return p.target_fraction * total_weight(p) * (1.0 - 1e-12); }

// Cover counts per demand point for a chosen set.
std::vector<int> cover_counts(const SelectionProblem& p, const std::vector<char>& in) {
    std::vector<int> n(p.demand_weight.size(), 0);
    for (std::size_t j = 0; j < in.size(); ++j)
        if (in[j])
            for (std::size_t i : p.candidates[j].covers) ++n[i];
    return n;
}

double weight_of(const SelectionProblem& p, const std::vector<int>& counts) {
    double w = 0.0;
    for (std::size_t i = 0; i < counts.size(); ++i)
        if (counts[i] > 0) w += p.demand_weight[i];
    return w;
}

Selection finish(const SelectionProblem& p, const std::vector<char>& in, std::string solver) {
    Selection s;
    for (std::size_t j = 0; j < in.size(); ++j)
        if (in[j]) {
            s.chosen.push_back(j);
            s.cost_jpy += p.candidates[j].cost_jpy;
        }
    s.covered_weight = covered_weight(p, s.chosen);
    const double total = total_weight(p);
    s.covered_fraction = total > 0.0 ? s.covered_weight / total : 1.0;
    s.target_met = s.covered_weight >= target_weight(p);
    s.solver = std::move(solver);
    return s;
}

// Greedy by newly covered weight per JPY, among the sites `allowed(j)` accepts, until `stop(weight)` or
// nothing adds weight; `on_add(j)` is told of every site added.
// `need(weight)` is the weight still wanted (infinity when maximising coverage).
template <class Need, class Allowed, class OnAdd>
void greedy_fill(const SelectionProblem& p, std::vector<char>& in, std::vector<int>& counts, Need need,
                 Allowed allowed, OnAdd on_add) {
    double weight = weight_of(p, counts);
    while (need(weight) > 0.0) {
        std::size_t best = p.candidates.size();
        double best_ratio = -1.0;
        for (std::size_t j = 0; j < p.candidates.size(); ++j) {
            if (in[j] || !allowed(j)) continue;
            double gain = 0.0;
            for (std::size_t i : p.candidates[j].covers)
                if (counts[i] == 0) gain += p.demand_weight[i];
            if (gain <= 0.0) continue;
            // Partial cover: weight beyond what is still needed is worth nothing (capped gain).
            gain = std::min(gain, std::max(need(weight), 0.0));
            if (gain <= 0.0) gain = std::numeric_limits<double>::min();
            const double cost = p.candidates[j].cost_jpy;
            const double ratio = cost > 0.0 ? gain / cost : std::numeric_limits<double>::infinity();
            if (ratio > best_ratio) {
                best_ratio = ratio;
                best = j;
            }
        }
        if (best == p.candidates.size()) return;
        in[best] = 1;
        for (std::size_t i : p.candidates[best].covers)
            if (counts[i]++ == 0) weight += p.demand_weight[i];
        on_add(best);
    }
}

}  // namespace

double covered_weight(const SelectionProblem& p, std::span<const std::size_t> chosen) {
    std::vector<char> in(p.candidates.size(), 0);
    for (std::size_t j : chosen) in.at(j) = 1;
    return weight_of(p, cover_counts(p, in));
}

Selection select_sites_greedy(const SelectionProblem& p) {
    validate(p);
    const double target = target_weight(p);
    const std::size_t n = p.candidates.size();
    auto need = [&](double w) { return target - w; };
    auto any = [](std::size_t) { return true; };
    auto none = [](std::size_t) {};

    // Sites by decreasing cost: the order in which redundant sites are dropped.
    std::vector<std::size_t> by_cost(n);
    std::iota(by_cost.begin(), by_cost.end(), 0);
    std::stable_sort(by_cost.begin(), by_cost.end(),
                     [&](std::size_t a, std::size_t b) { return p.candidates[a].cost_jpy > p.candidates[b].cost_jpy; });
    auto prune = [&](std::vector<char>& in, std::vector<int>& counts) {
        for (std::size_t j : by_cost) {
            if (!in[j]) continue;
            double lost = 0.0;
            for (std::size_t i : p.candidates[j].covers)
                if (counts[i] == 1) lost += p.demand_weight[i];
            if (weight_of(p, counts) - lost >= target) {
                in[j] = 0;
                for (std::size_t i : p.candidates[j].covers) --counts[i];
            }
        }
    };
    auto cost_of = [&](const std::vector<char>& in) {
        double c = 0.0;
        for (std::size_t j = 0; j < n; ++j)
            if (in[j]) c += p.candidates[j].cost_jpy;
        return c;
    };

    std::vector<char> in(n, 0);
    std::vector<int> counts(p.demand_weight.size(), 0);
    greedy_fill(p, in, counts, need, any, none);
    prune(in, counts);

    // Local search. Moves, tried in this order until none improves: add one unchosen site then prune
    // (which may drop several dearer ones); drop one or two chosen sites and refill greedily without them,
    // then prune. A move is kept when it is cheaper and still meets the target.
    auto try_move = [&](const std::vector<std::size_t>& add, const std::vector<std::size_t>& drop) {
        std::vector<char> trial = in;
        std::vector<int> trial_counts = counts;
        for (std::size_t j : drop) {
            trial[j] = 0;
            for (std::size_t i : p.candidates[j].covers) --trial_counts[i];
        }
        for (std::size_t j : add) {
            trial[j] = 1;
            for (std::size_t i : p.candidates[j].covers) ++trial_counts[i];
        }
        auto not_dropped = [&](std::size_t j) { return std::find(drop.begin(), drop.end(), j) == drop.end(); };
        greedy_fill(p, trial, trial_counts, need, not_dropped, none);
        prune(trial, trial_counts);
        if (weight_of(p, trial_counts) >= target && cost_of(trial) < cost_of(in) - 1e-9) {
            in = std::move(trial);
            counts = std::move(trial_counts);
            return true;
        }
        return false;
    };
    if (weight_of(p, counts) >= target) {
        bool improved = true;
        while (improved) {
            improved = false;
            for (std::size_t a = 0; a < n && !improved; ++a)
                if (!in[a]) improved = try_move({a}, {});
            for (std::size_t a = 0; a < n && !improved; ++a)
                if (in[a]) improved = try_move({}, {a});
            for (std::size_t a = 0; a < n && !improved; ++a)
                for (std::size_t b = a + 1; b < n && !improved; ++b)
                    if (in[a] && in[b]) improved = try_move({}, {a, b});
        }
    }
    return finish(p, in, "greedy+local");
}

Selection select_sites_for_budget(const SelectionProblem& p, double budget_jpy) {
    validate(p);
    if (!std::isfinite(budget_jpy) || budget_jpy < 0.0)
        throw InputError("site selection: budget_jpy must be finite and >= 0");
    std::vector<char> in(p.candidates.size(), 0);
    std::vector<int> counts(p.demand_weight.size(), 0);
    double spent = 0.0;
    greedy_fill(
        p, in, counts, [](double) { return std::numeric_limits<double>::infinity(); },
        [&](std::size_t j) { return spent + p.candidates[j].cost_jpy <= budget_jpy; },
        [&](std::size_t j) { spent += p.candidates[j].cost_jpy; });
    return finish(p, in, "greedy-budget");
}

Selection select_sites_exact(const SelectionProblem& p, double time_limit_s) {
    validate(p);
    const int n = static_cast<int>(p.candidates.size());
    // Demand points with the same covering set form one group (weights summed): the same optimum with one y
    // per group instead of one per point (tens of thousands of points on real terrain, a few hundred groups).
    std::vector<std::vector<int>> point_covering(p.demand_weight.size());
    for (int j = 0; j < n; ++j)
        for (std::size_t i : p.candidates[j].covers) point_covering[i].push_back(j);
    std::map<std::vector<int>, double> groups;
    for (std::size_t i = 0; i < point_covering.size(); ++i) groups[point_covering[i]] += p.demand_weight[i];
    std::vector<std::vector<int>> covering;
    std::vector<double> weight;
    for (const auto& [sites, w] : groups) covering.push_back(sites), weight.push_back(w);
    const int m = static_cast<int>(covering.size());
    glp_prob* lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    // Columns: x_j (site built, binary) then y_i (share of group i covered, continuous in [0, 1]).
    glp_add_cols(lp, n + m);
    for (int j = 0; j < n; ++j) {
        glp_set_col_kind(lp, j + 1, GLP_BV);
        glp_set_obj_coef(lp, j + 1, p.candidates[j].cost_jpy);  // min sum c_j x_j
    }
    for (int i = 0; i < m; ++i) glp_set_col_bnds(lp, n + i + 1, GLP_DB, 0.0, 1.0);
    // Rows: y_i - sum_{j covers i} x_j <= 0 for each group i; sum w_i y_i >= target.
    glp_add_rows(lp, m + 1);
    std::vector<int> ia{0}, ja{0};
    std::vector<double> ar{0.0};
    for (int i = 0; i < m; ++i) {
        glp_set_row_bnds(lp, i + 1, GLP_UP, 0.0, 0.0);
        ia.push_back(i + 1), ja.push_back(n + i + 1), ar.push_back(1.0);
        for (int j : covering[i]) ia.push_back(i + 1), ja.push_back(j + 1), ar.push_back(-1.0);
    }
    glp_set_row_bnds(lp, m + 1, GLP_LO, target_weight(p), 0.0);
    for (int i = 0; i < m; ++i) ia.push_back(m + 1), ja.push_back(n + i + 1), ar.push_back(weight[i]);
    glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());

    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    parm.tm_lim = static_cast<int>(time_limit_s * 1000.0);
    parm.mip_gap = 0.0;
    const int rc = glp_intopt(lp, &parm);
    const int status = glp_mip_status(lp);
    std::vector<char> in(p.candidates.size(), 0);
    const bool have = rc == 0 || status == GLP_FEAS || status == GLP_OPT;
    if (have && (status == GLP_OPT || status == GLP_FEAS))
        for (int j = 0; j < n; ++j) in[j] = glp_mip_col_val(lp, j + 1) > 0.5;
    glp_delete_prob(lp);
    if (status == GLP_NOFEAS) {  // even every site cannot meet the target: report all of them
        std::fill(in.begin(), in.end(), 1);
    }
    Selection s = finish(p, in, "glpk");
    s.optimal = status == GLP_OPT || status == GLP_NOFEAS;  // proven: an optimum, or the target is unreachable
    return s;
}

}  // namespace dxplan::econ
