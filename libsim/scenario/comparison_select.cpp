// dxplan run, comparison stage: candidate sites, their links to the demand points, site selection and the
// coverage reachable for a budget (comparison_internal.hpp).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "libsim/coverage/multi_site.hpp"
#include "libsim/geo/geo.hpp"
#include "libsim/scenario/comparison_internal.hpp"

namespace dxplan::comparison {

namespace {

double fibre_km_cost_jpy(const econ::Catalogue& c, const econ::EconomicParams& p) {
    const auto& it = c.item("fibre-aerial-km");
    return it.capex_jpy + it.opex_jpy_per_year * econ::opex_pv_factor(p);
}

double nearest_pop_m(const Scenario& s, const LatLon& pos) {
    double best = INFINITY;
    for (const auto& pop : s.fibre_pops) best = std::min(best, geodesic_inverse(pos, pop.pos).d_m);
    return std::isfinite(best) ? best : 0.0;
}

// One candidate's links to every demand point, and the in-scope points it covers noise-limited. Sectors: each
// one's pattern attenuation toward the demand point (multi_site.hpp).
econ::CandidateSite candidate_links(const StageContext& ctx, const SiteSpec& site_spec, const output::SiteResult& site,
                                    const Radio& radio, const Scope& scope, std::vector<coverage::PointLink>& links) {
    econ::CandidateSite cs;
    const std::vector<coverage::SiteRadio> sectors =
        site_spec.sectors.empty() ? std::vector<coverage::SiteRadio>{} : cells_of(site_spec);
    const coverage::SiteFrame frame(site_spec.pos);
    const double z_tx_m = sectors.empty() ? 0.0 : ctx.world.terrain.height_m(site_spec.pos) + site_spec.mast_height_m;
    std::vector<double> atten_db(sectors.size());
    for (std::size_t i = 0; i < links.size(); ++i) {
        if (std::isfinite(site.demand_loss_db[i]))
            for (std::size_t c = 0; c < sectors.size(); ++c)
                atten_db[c] = coverage::antenna_attenuation_db(ctx.world.terrain, sectors[c], frame, z_tx_m,
                                                               ctx.s.propagation.h_rx_m, ctx.res.demand[i].pos);
        links[i] = coverage::point_link(radio.dl, radio.ul, site.demand_loss_db[i], atten_db);
        if (scope.in[i] && coverage::closes_noise_limited(links[i])) cs.covers.push_back(i);
    }
    return cs;
}

std::size_t served_count(const Candidates& c, const std::vector<std::size_t>& chosen, const link::Budget& dl) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < c.problem.demand_weight.size(); ++i)
        n += c.problem.demand_weight[i] > 0.0 && coverage::serving(c.links, chosen, i, dl).served ? 1 : 0;
    return n;
}

}  // namespace

double kit_cost_jpy(const econ::Catalogue& c, const std::string& kit, econ::Per per, const econ::EconomicParams& p) {
    econ::Quantities q;
    q.networks = per == econ::Per::network ? 1.0 : 0.0;
    q.sites = per == econ::Per::site ? 1.0 : 0.0;
    std::vector<econ::CostItem> bill = econ::bill_of_materials(c, kit, q);
    std::erase_if(bill, [&](const econ::CostItem& it) { return c.item(it.id).per != per; });
    return econ::evaluate_costs(bill, p).npv_jpy;
}

Candidates candidates_of(const StageContext& ctx, const TechnologySpec& spec, const Radio& radio, const Scope& scope,
                         const std::vector<output::SiteResult>& losses, const std::string& kit) {
    // Site cost = the kit's per-site items (capex + present value of opex) + fibre to the nearest PoP.
    const std::size_t n_demand = ctx.res.demand.size();
    Candidates c;
    for (std::size_t i = 0; i < ctx.s.sites.size(); ++i)
        if (!ctx.s.sites[i].technology || *ctx.s.sites[i].technology == spec.profile) c.site.push_back(i);
    const double site_jpy = kit_cost_jpy(ctx.cat, kit, econ::Per::site, ctx.params);
    const double fibre_jpy_per_km = fibre_km_cost_jpy(ctx.cat, ctx.params);
    c.problem.target_fraction = ctx.req.coverage_target_fraction;
    for (std::size_t i = 0; i < n_demand; ++i) c.problem.demand_weight.push_back(scope.in[i] ? 1.0 : 0.0);
    c.links.assign(c.site.size(), std::vector<coverage::PointLink>(n_demand));
    for (std::size_t k = 0; k < c.site.size(); ++k) {
        const SiteSpec& site_spec = ctx.s.sites[c.site[k]];
        econ::CandidateSite cs = candidate_links(ctx, site_spec, losses[c.site[k]], radio, scope, c.links[k]);
        cs.cost_jpy = site_jpy + fibre_jpy_per_km * ctx.backhaul.fibre_detour * nearest_pop_m(ctx.s, site_spec.pos) / 1000.0;
        c.problem.candidates.push_back(std::move(cs));
    }
    return c;
}

std::vector<std::size_t> drop_interfering_sites(const Candidates& c, std::vector<std::size_t> chosen,
                                                const link::Budget& dl) {
    // Selection counts noise-limited coverage; with every site of a technology on one channel, a site can serve
    // fewer points than it takes from the others by interference: cheaper and serving at least as many points.
    for (bool dropped = true; dropped && chosen.size() > 1;) {
        dropped = false;
        const std::size_t now = served_count(c, chosen, dl);
        std::vector<std::size_t> order(chosen.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return c.problem.candidates[chosen[a]].cost_jpy > c.problem.candidates[chosen[b]].cost_jpy;
        });
        for (std::size_t o : order) {
            std::vector<std::size_t> without = chosen;
            without.erase(without.begin() + static_cast<std::ptrdiff_t>(o));
            if (served_count(c, without, dl) >= now) {
                chosen = std::move(without);
                dropped = true;
                break;
            }
        }
    }
    return chosen;
}

Chosen select_sites(const Candidates& c, const link::Budget& dl) {
    // Greedy; the exact MIP as well with at most kExactMaxCandidates (the cheaper proven answer is used).
    Chosen out{econ::select_sites_greedy(c.problem), std::nullopt};
    econ::Selection& sel = out.selection;
    if (!c.problem.candidates.empty() && c.problem.candidates.size() <= kExactMaxCandidates) {
        try {
            const econ::Selection exact = econ::select_sites_exact(c.problem, 10.0);
            if (exact.optimal && exact.target_met && sel.target_met && exact.cost_jpy > 0.0)
                out.greedy_gap = (sel.cost_jpy - exact.cost_jpy) / exact.cost_jpy;
            if (exact.optimal && exact.target_met == sel.target_met && exact.cost_jpy < sel.cost_jpy) sel = exact;
        } catch (const std::exception&) {  // the greedy answer stands when the MIP cannot be solved
        }
    }
    sel.chosen = drop_interfering_sites(c, sel.chosen, dl);
    return out;
}

std::optional<output::BudgetCoverage> budget_coverage(const StageContext& ctx, const Candidates& c, const Scope& scope,
                                                      const std::string& kit, const link::Budget& dl) {
    // The inverse question: coverage reachable for the budget (report.hpp BudgetCoverage).
    const double budget_jpy = ctx.s.economics.budget_jpy;
    if (budget_jpy <= 0.0) return std::nullopt;
    output::BudgetCoverage bc;
    bc.network_jpy = kit_cost_jpy(ctx.cat, kit, econ::Per::network, ctx.params);
    if (budget_jpy >= bc.network_jpy && !c.problem.candidates.empty()) {
        const std::vector<std::size_t> chosen =
            drop_interfering_sites(c, econ::select_sites_for_budget(c.problem, budget_jpy - bc.network_jpy).chosen, dl);
        for (std::size_t k : chosen) {
            bc.sites_jpy += c.problem.candidates[k].cost_jpy;
            bc.site_ids.push_back(ctx.s.sites[c.site[k]].id);
        }
        for (std::size_t i = 0; i < scope.in.size(); ++i)
            bc.demand_covered += scope.in[i] && coverage::serving(c.links, chosen, i, dl).served ? 1 : 0;
    }
    bc.demand_total = scope.count;
    bc.fraction = scope.count > 0 ? static_cast<double>(bc.demand_covered) / static_cast<double>(scope.count) : 0.0;
    return bc;
}

}  // namespace dxplan::comparison
