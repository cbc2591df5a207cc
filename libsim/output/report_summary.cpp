// The comparison part of summary.json (docs/summary-schema.md), with the report tables' rounding.
#include "libsim/output/report_parts.hpp"
#include "libsim/output/report_requirements.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

namespace dxplan::output {

using namespace detail;

namespace {

using nlohmann::ordered_json;

ordered_json jnum(double v, int digits) {
    if (!std::isfinite(v)) return nullptr;
    return round_to(v, digits);
}

ordered_json jjpy(double v) {
    if (!std::isfinite(v)) return nullptr;
    return static_cast<long long>(std::llround(v));
}

ordered_json technology_json(const TechnologyReport& t, std::size_t rank) {
    const auto& e = t.eval;
    ordered_json o;
    o["name"] = e.name;
    o["rank"] = rank;
    o["complete"] = e.complete;
    o["sites"] = e.sites;
    o["site_ids"] = t.chosen_sites;
    o["site_origins"] = t.chosen_origins;
    o["selection_solver"] = t.selection_solver;
    o["members"] = t.mix_members;
    o["selection_greedy_gap"] = t.selection_greedy_gap ? jnum(*t.selection_greedy_gap, 4) : ordered_json(nullptr);
    o["coverage_area_km2"] = jnum(e.coverage_area_km2, 2);
    o["demand_covered"] = {{"count", e.demand_covered}, {"total", e.demand_total}, {"fraction", jnum(e.demand_fraction, 3)}};
    o["households_covered"] = jnum(e.households_covered, 0);
    o["capex_jpy"] = jjpy(e.costs.capex_jpy);
    o["opex_jpy_per_year"] = jjpy(e.costs.opex_jpy_per_year);
    o["npv_jpy"] = jjpy(e.costs.npv_jpy);
    o["tco_jpy"] = jjpy(e.costs.tco_jpy);
    o["eligible_jpy"] = jjpy(e.costs.eligible_jpy);
    o["subsidy_jpy"] = jjpy(e.costs.subsidy_jpy);
    o["subsidy_capped"] = e.costs.subsidy_capped;
    o["prepaid_rental_jpy"] = jjpy(e.costs.prepaid_rental_jpy);
    o["prepaid_years"] = e.costs.prepaid_years;
    ordered_json paid = ordered_json::array();
    for (const double v : econ::opex_paid_by_year_jpy(e.costs)) paid.push_back(jjpy(v));
    o["opex_paid_by_year_jpy"] = paid;
    o["programme_flag"] = e.costs.programme_flag.empty() ? ordered_json(nullptr) : ordered_json(e.costs.programme_flag);
    o["lease_vs_buy"] = e.lease_vs_buy ? ordered_json{{"lease_pv_jpy", jjpy(e.lease_vs_buy->lease_pv_jpy)},
                                                      {"buy_pv_jpy", jjpy(e.lease_vs_buy->buy_pv_jpy)},
                                                      {"cheaper", e.lease_vs_buy->lease_cheaper() ? "lease" : "buy"}}
                                       : ordered_json(nullptr);
    o["municipality_npv_jpy"] = jjpy(e.costs.municipality_npv_jpy);
    o["cost_per_household_jpy"] = jjpy(e.effectiveness.per_household_jpy);
    o["municipality_cost_per_household_jpy"] = jjpy(e.effectiveness.municipality_per_household_jpy);
    o["cost_per_km2_jpy"] = jjpy(e.effectiveness.per_km2_jpy);
    o["cost_per_device_jpy"] = jjpy(e.effectiveness.per_device_jpy);
    o["cost_per_mbps_jpy"] = jjpy(e.effectiveness.per_mbps_jpy);
    o["throughput_mbps"] = {{"median", jnum(e.throughput_median_mbps, 3)}, {"p5", jnum(e.throughput_p5_mbps, 3)}};
    o["capacity_mbps_per_household"] = jnum(e.capacity_mbps_per_household, 2);
    o["latency_ms"] = jnum(e.latency_ms, 1);
    const LoadFigures lf = load_figures(e);  // the cells at the busy hour under the traffic models (issue 14)
    o["delivery_ratio"] = jnum(lf.delivery_ratio, 3);
    o["delay_p99_ms"] = jnum(lf.delay_p99_ms, 1);
    o["headroom_terminals_per_cell"] = jnum(lf.headroom_terminals_per_cell, 0);
    o["battery_years"] = jnum(e.battery_years, 1);
    o["fails"] = fail_names(e);
    ordered_json reasons = ordered_json::array();
    for (const auto& f : e.fails) reasons.push_back(f.reason);
    o["fail_reasons"] = reasons;
    ordered_json eq = ordered_json::array();
    for (const auto& it : e.bill)
        eq.push_back({{"id", it.id},
                      {"category", it.category},
                      {"acquisition", acquisition_key(it.acquisition)},
                      {"quantity", jnum(it.quantity, 2)},
                      {"unit_capex_jpy", jjpy(it.unit_capex_jpy)},
                      {"unit_opex_jpy_per_year", jjpy(it.unit_opex_jpy_per_year)}});
    o["equipment"] = eq;
    ordered_json cf = ordered_json::array();
    for (const auto& y : e.costs.years)
        cf.push_back({{"year", y.year},
                      {"capex_jpy", jjpy(y.capex_jpy)},
                      {"opex_jpy", jjpy(y.opex_jpy)},
                      {"purchases_jpy", jjpy(y.year == 0 ? y.capex_jpy - e.costs.prepaid_rental_jpy : y.capex_jpy)},
                      {"discount_factor", jnum(y.discount_factor, 6)}});
    o["cash_flow"] = cf;
    o.update(ordered_json::parse(requirement_fields_json(e)));  // per-kind figures (report_requirements.hpp)
    return o;
}

ordered_json outcome_json(const econ::Outcome& o) {
    return {{"npv_jpy", jjpy(o.npv_jpy)},
            {"cost_per_household_jpy", jjpy(o.per_household_jpy)},
            {"municipality_cost_per_household_jpy", jjpy(o.municipality_per_household_jpy)}};
}

double round_value(std::string_view p, double v) {
    if (p.starts_with("price:") || p == "horizon_years") return round_to(v, 0);
    if (p == "margin_db") return round_to(v, 2);
    return round_to(v, 3);
}

ordered_json technologies_json(const ComparisonReport& r) {
    const auto rank = ranks(r);
    ordered_json techs = ordered_json::array();
    for (std::size_t i = 0; i < r.technologies.size(); ++i) techs.push_back(technology_json(r.technologies[i], rank[i]));
    return techs;
}

ordered_json diagnosis_part_json(const ComparisonReport& r) { return ordered_json::parse(diagnosis_json(r)); }

ordered_json recommendation_json(const ComparisonReport& r) {
    const auto rec = econ::recommend(evaluations(r));
    ordered_json rec_fails = ordered_json::array();
    if (rec.index) rec_fails = fail_names(r.technologies[*rec.index].eval);
    return {{"name", rec.index ? ordered_json(r.technologies[*rec.index].eval.name) : ordered_json(nullptr)},
            {"reason", econ::to_string(rec.reason)},
            {"fails", rec_fails}};
}

ordered_json backhaul_json(const ComparisonReport& r) {
    ordered_json bh = ordered_json::array();
    for (const auto& t : r.technologies) {
        const auto& b = t.backhaul;
        bh.push_back({{"technology", t.eval.name},
                      {"links", b.links},
                      {"fibre_km", jnum(b.fibre_km, 2)},
                      {"wireless_hops", b.wireless_hops},
                      {"capex_jpy", jjpy(b.capex_jpy)},
                      {"opex_jpy_per_year", jjpy(b.opex_jpy_per_year)},
                      {"solver", b.solver},
                      {"solved", b.solved}});
    }
    return bh;
}

ordered_json budget_json(const ComparisonReport& r) {
    if (!(r.budget_jpy > 0.0)) return nullptr;
    ordered_json bt = ordered_json::array();
    for (const auto& t : r.technologies) {
        if (!t.budget) continue;
        const auto& b = *t.budget;
        bt.push_back({{"name", t.eval.name},
                      {"sites", b.site_ids.size()},
                      {"site_ids", b.site_ids},
                      {"network_jpy", jjpy(b.network_jpy)},
                      {"sites_jpy", jjpy(b.sites_jpy)},
                      {"spent_jpy", jjpy(b.site_ids.empty() ? 0.0 : b.network_jpy + b.sites_jpy)},
                      {"demand_covered", {{"count", b.demand_covered}, {"total", b.demand_total}, {"fraction", jnum(b.fraction, 3)}}}});
    }
    return {{"budget_jpy", jjpy(r.budget_jpy)}, {"technologies", bt}};
}

ordered_json economics_json(const ComparisonReport& r) {
    const auto& p = r.params;
    return {{"horizon_years", p.horizon_years},
            {"discount_rate", jnum(p.discount_rate, 4)},
            {"subsidy_rate", jnum(p.rules.subsidy_rate, 3)},
            {"subsidy_cap_jpy", p.rules.subsidy_cap_jpy > 0.0 ? jjpy(p.rules.subsidy_cap_jpy) : nullptr},
            {"opex_escalation_rate", jnum(p.opex_escalation_rate, 4)},
            {"budget_jpy", r.budget_jpy > 0.0 ? jjpy(r.budget_jpy) : nullptr},
            {"demonstration", p.rules.demonstration},
            {"rentals_booked_up_front", p.rules.rentals_booked_up_front},
            {"rental_eligible_years", p.rules.rental_eligible_years},
            {"catalogue_version", r.catalogue_version}};
}

ordered_json requirements_json(const ComparisonReport& r) {
    const auto& q = r.requirements;
    return {{"coverage_target_fraction", jnum(q.coverage_target_fraction, 3)},
            {"location_reliability", jnum(q.location_reliability, 3)},
            {"min_mbps_per_household", jnum(q.min_mbps_per_household, 2)},
            {"busy_hour_activity", jnum(q.busy_hour_activity, 3)},
            {"min_edge_mbps", jnum(q.min_edge_mbps, 2)},
            {"max_latency_ms", jnum(q.max_latency_ms, 1)},
            {"min_battery_years", jnum(q.min_battery_years, 1)},
            {"outdoor", q.outdoor}};
}

ordered_json tornado_json(const ComparisonReport& r) {
    ordered_json tor = ordered_json::array();
    for (const auto& t : r.tornado) {
        ordered_json bars = ordered_json::array();
        for (const auto& b : t.bars)
            bars.push_back({{"parameter", b.parameter},
                            {"low_value", round_value(b.parameter, b.low_value)},
                            {"high_value", round_value(b.parameter, b.high_value)},
                            {"low", outcome_json(b.low)},
                            {"high", outcome_json(b.high)}});
        tor.push_back({{"technology", t.name}, {"base", outcome_json(t.base)}, {"bars", bars}});
    }
    return tor;
}

ordered_json monte_carlo_json(const ComparisonReport& r) {
    if (!r.monte_carlo) return nullptr;
    const auto& m = *r.monte_carlo;
    ordered_json mt = ordered_json::array();
    for (const auto& t : m.technologies)
        mt.push_back({{"name", t.name},
                      {"p5_jpy", jjpy(t.p5_jpy)},
                      {"p50_jpy", jjpy(t.p50_jpy)},
                      {"p95_jpy", jjpy(t.p95_jpy)},
                      {"cheapest_share", jnum(t.cheapest_share, 3)}});
    return {{"draws", m.draws},
            {"seed", m.seed},
            {"distribution", m.distribution == econ::PriceDistribution::uniform ? "uniform" : "triangular"},
            {"shadow_sigma_db", jnum(m.shadow_sigma_db, 2)},
            {"technologies", mt}};
}

ordered_json uncertainty_json(const ComparisonReport& r) {
    ordered_json unc;
    unc["tornado"] = tornado_json(r);
    unc["monte_carlo"] = monte_carlo_json(r);
    return unc;
}

ordered_json provenance_json(const ComparisonReport& r) {
    const auto& pv = r.provenance;
    ordered_json files = ordered_json::array();
    for (const auto& f : pv.data_files) files.push_back({{"name", f.name}, {"sha256", f.sha256}, {"bytes", f.bytes}});
    ordered_json models = ordered_json::object();
    for (const auto& [k, v] : pv.models) models[k] = v;
    return {{"dxplan_version", pv.dxplan_version},
            {"scenario_file", pv.scenario_file},
            {"scenario_sha256", pv.scenario_sha256},
            {"data_files", files},
            {"models", models},
            {"seed", pv.seed}};
}

// Load per cell and edge AI (report_traffic.cpp); null when the run has none.
ordered_json many_terminals_json_part(const ComparisonReport& r) {
    if (r.many_terminals.technologies.empty()) return nullptr;
    return ordered_json::parse(many_terminals_json(r.many_terminals));
}

// The keys of the comparison part of summary.json, in order. A new report part: its function and one line here.
struct SummaryPart {
    const char* key;
    ordered_json (*json)(const ComparisonReport&);
};
constexpr SummaryPart kSummaryParts[] = {
    {"technologies", technologies_json}, {"diagnosis", diagnosis_part_json}, {"recommendation", recommendation_json},
    {"backhaul", backhaul_json},         {"budget", budget_json},
    {"economics", economics_json},       {"requirements", requirements_json},
    {"uncertainty", uncertainty_json},   {"provenance", provenance_json},
    {"many_terminals", many_terminals_json_part},
};

}  // namespace

std::string comparison_summary_json(const ComparisonReport& r) {
    ordered_json j;
    for (const auto& part : kSummaryParts) j[part.key] = part.json(r);
    return j.dump(2);
}

}  // namespace dxplan::output
