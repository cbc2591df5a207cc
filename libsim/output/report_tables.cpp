// Comparison report: the tables and statements built from a ComparisonReport (shared by HTML and Markdown).
#include "libsim/output/report_parts.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace dxplan::output::detail {

namespace {

void replace_all(std::string& s, std::string_view key, const std::string& value) {
    for (auto at = s.find(key); at != std::string::npos; at = s.find(key, at + value.size())) s.replace(at, key.size(), value);
}

}  // namespace

// The claim the verdict makes, computed from the same evaluations as the comparison table (and so from the
// same numbers as summary.json: the report test recomputes each from there).
RecommendationClaim recommendation_claim(const ComparisonReport& r) {
    RecommendationClaim c;
    const auto rec = econ::recommend(evaluations(r));
    c.reason = rec.reason;
    if (!rec.index) return c;
    c.index = *rec.index;
    const auto& ev = r.technologies[c.index].eval;
    const double cost = round_to(ev.effectiveness.per_household_jpy, 0);
    for (const auto& t : r.technologies) {
        const double x = round_to(t.eval.effectiveness.per_household_jpy, 0);
        if (std::isfinite(x)) {
            ++c.options_with_cost;
            c.cost_rank += x < cost ? 1 : 0;
        }
        c.same_failures += t.eval.complete && t.eval.fails.size() == ev.fails.size() ? 1 : 0;
    }
    c.cost_rank += 1;
    return c;
}

// The verdict: which option and why, then where its cost per covered household stands among all options. The
// name and each figure are marked (HTML: <strong data-k="recommendation.name">, <span data-claim=...>) for the
// report-vs-summary check; Markdown: the name in bold.
std::string recommendation_statement(const ComparisonReport& r, Lang l, bool html) {
    const RecommendationClaim c = recommendation_claim(r);
    const std::string reason(econ::to_string(c.reason));
    if (c.reason == econ::RecommendationReason::no_options) {
        const std::string s = T(l, "rec.no_options");
        return html ? "<p class=\"statement\" data-reason=\"no_options\">" + esc(s) + "</p>\n" : s + "\n\n";
    }
    const auto& ev = r.technologies[c.index].eval;
    auto e = [&](const std::string& x) { return html ? esc(x) : x; };
    auto claim = [&](const char* what, std::size_t value, const std::string& shown) {
        return html ? "<span data-claim=\"" + std::string(what) + "\" data-value=\"" + std::to_string(value) + "\">" +
                          shown + "</span>"
                    : shown;
    };
    std::string names;
    std::vector<econ::Requirement> named;  // each requirement once, however many kinds or members miss it
    for (const auto& f : ev.fails) {
        if (std::find(named.begin(), named.end(), f.requirement) != named.end()) continue;
        named.push_back(f.requirement);
        names += (names.empty() ? "" : (l == Lang::ja ? "、" : ", ")) + T(l, "req." + std::string(econ::to_string(f.requirement)));
    }
    std::string s = e(T(l, "rec." + reason + (c.same_failures > 1 ? ".cheapest" : ".only")));
    replace_all(s, "{fails}", e(names));
    replace_all(s, "{m}", claim("same_failures", c.same_failures, std::to_string(c.same_failures)));
    replace_all(s, "{tech}", html ? "<strong data-k=\"recommendation.name\">" + esc(ev.name) + "</strong>" : "**" + ev.name + "**");
    if (c.options_with_cost > 1 && std::isfinite(ev.effectiveness.per_household_jpy)) {
        std::string pos = c.cost_rank == 1 ? T(l, "rec.position.lowest")
                          : c.cost_rank == c.options_with_cost ? T(l, "rec.position.highest")
                                                               : T(l, "rec.position.kth");
        replace_all(pos, "{k}", std::to_string(c.cost_rank));
        std::string p = e(T(l, "rec.cost_position"));
        replace_all(p, "{cost}", claim("cost_rank", c.cost_rank, jpy(ev.effectiveness.per_household_jpy)));
        replace_all(p, "{n}", claim("options", c.options_with_cost, std::to_string(c.options_with_cost)));
        replace_all(p, "{position}", e(pos));
        s += (l == Lang::ja ? "" : " ") + p;
    }
    if (!html) return s + "\n\n";
    return "<p class=\"statement\" data-reason=\"" + reason + "\">" + s + "</p>\n";
}

Table area_table(const ComparisonReport& r, Lang l) {
    Table t{{T(l, "item"), T(l, "value")}, {}};
    if (!r.run) return t;
    const auto& run = *r.run;
    const auto& tr_ = run.terrain;
    t.rows.push_back({txt(T(l, "scenario")), txt(run.scenario_name)});
    t.rows.push_back({txt(T(l, "terrain")), txt(tr_.source)});
    t.rows.push_back({txt(T(l, "grid")), {std::to_string(tr_.rows) + (l == Lang::ja ? "×" : " x ") + std::to_string(tr_.cols) + ", " +
                                              fmt(tr_.native_spacing_m, 1) + " m", ""}});
    const auto& b = tr_.bounds;  // Japanese: 北緯／東経 in degrees, the range with 〜
    t.rows.push_back({txt(T(l, "extent")),
                      {l == Lang::ja ? "北緯" + fmt(b.south_deg, 4) + "〜" + fmt(b.north_deg, 4) + "度、東経" +
                                           fmt(b.west_deg, 4) + "〜" + fmt(b.east_deg, 4) + "度"
                                     : fmt(b.south_deg, 4) + "&ndash;" + fmt(b.north_deg, 4) + " N, " + fmt(b.west_deg, 4) +
                                           "&ndash;" + fmt(b.east_deg, 4) + " E",
                       ""}});
    if (!run.land_cover_source.empty()) {
        std::string lc;
        for (const auto& s : run.land_cover)
            lc += (lc.empty() ? "" : "; ") + esc(T(l, "lc." + s.category)) + " " + fmt(100.0 * s.share, 1) + " %";
        t.rows.push_back({txt(T(l, "land_cover")), {lc, ""}});
    }
    for (const char* kind : {"household", "facility", "iot"}) {
        std::size_t n = 0;
        for (const auto& d : run.demand) n += to_string(d.kind) == kind ? 1 : 0;
        t.rows.push_back({txt(T(l, std::string("kind.") + kind)), {std::to_string(n), ""}});
    }
    t.rows.push_back({txt(T(l, "fibre_pops")), {std::to_string(run.fibre_pops.size()), ""}});
    return t;
}

LoadFigures load_figures(const econ::TechnologyEvaluation& e) {
    LoadFigures f;
    auto worse = [](double& acc, double v, bool lower) {
        if (std::isnan(v)) return;
        acc = std::isnan(acc) ? v : lower ? std::min(acc, v) : std::max(acc, v);
    };
    for (const auto& k : e.kinds) {
        if (k.served == 0) continue;
        worse(f.delivery_ratio, k.delivery_ratio, true);
        worse(f.delay_p99_ms, k.delay_p99_ms, false);
        worse(f.headroom_terminals_per_cell, k.headroom_terminals, true);
    }
    return f;
}

namespace {

// OPEX as paid (economics.hpp: rentals booked up front are paid in year 0): "rentals years 1-5 prepaid in year 0
// (X); year 1: Y; year 6: Z" (every year in the cash-flow table), or the yearly figure when nothing is prepaid.
std::string opex_as_paid_text(const econ::CostSummary& c, Lang l) {
    const auto paid = econ::opex_paid_by_year_jpy(c);
    if (c.prepaid_years == 0 || c.prepaid_rental_jpy <= 0.0) return jpy(c.opex_jpy_per_year) + " " + T(l, "per_year");
    std::string s = T(l, "rentals") + " " + T(l, "years") + " 1-" + std::to_string(c.prepaid_years) + " " +
                    T(l, "prepaid_in_year0") + " (" + jpy(c.prepaid_rental_jpy) + ")";
    if (paid.size() > 1 && paid[1] > 0.0)  // other recurring costs still paid in the prepaid years
        s += "; " + T(l, "year_n") + " 1: " + jpy(paid[1]);
    const auto next = static_cast<std::size_t>(c.prepaid_years) + 1;
    if (next < paid.size())
        s += "; " + T(l, "year_n") + " " + std::to_string(next) + ": " + jpy(paid[next]);
    return s;
}

// A demonstration (economics.demonstration): the ②-1 scale check and the lease-vs-buy present values of the
// roll-out after it; nothing otherwise.
template <class Row>
void demonstration_rows(const ComparisonReport& r, Lang l, Row&& row) {
    const bool any = std::any_of(r.technologies.begin(), r.technologies.end(),
                                 [](const auto& t) { return t.eval.lease_vs_buy.has_value(); });
    if (!any) return;
    using E = econ::TechnologyEvaluation;
    row(T(l, "demo.check"), [&](std::size_t, const E& e) {
        return txt(e.costs.programme_flag.empty() ? T(l, "demo.within") : e.costs.programme_flag);
    });
    row(T(l, "demo.lease_pv"), [&](std::size_t i, const E& e) {
        return e.lease_vs_buy ? Cell{jpy(e.lease_vs_buy->lease_pv_jpy), tk(i, "lease_vs_buy.lease_pv_jpy")} : txt("");
    });
    row(T(l, "demo.buy_pv"), [&](std::size_t i, const E& e) {
        return e.lease_vs_buy ? Cell{jpy(e.lease_vs_buy->buy_pv_jpy), tk(i, "lease_vs_buy.buy_pv_jpy")} : txt("");
    });
}

}  // namespace

Table comparison_table(const ComparisonReport& r, Lang l) {
    Table t;
    t.head.push_back(T(l, "item"));
    for (const auto& tech : r.technologies) t.head.push_back(tech.eval.name);
    const auto rank = ranks(r);
    auto row = [&](const std::string& label, auto&& cell) {
        std::vector<Cell> cells{txt(label)};
        for (std::size_t i = 0; i < r.technologies.size(); ++i) cells.push_back(cell(i, r.technologies[i].eval));
        t.rows.push_back(std::move(cells));
    };
    using E = econ::TechnologyEvaluation;
    row(T(l, "rank"), [&](std::size_t i, const E&) { return Cell{std::to_string(rank[i]), tk(i, "rank")}; });
    row(T(l, "sites"), [&](std::size_t i, const E& e) { return Cell{std::to_string(e.sites), tk(i, "sites")}; });
    row(T(l, "coverage_area_km2"),
        [&](std::size_t i, const E& e) { return Cell{fmt(e.coverage_area_km2, 2), tk(i, "coverage_area_km2")}; });
    row(T(l, "demand_covered"), [&](std::size_t i, const E& e) {
        return Cell{std::to_string(e.demand_covered), tk(i, "demand_covered.count")};
    });
    row(T(l, "demand_fraction"),
        [&](std::size_t i, const E& e) { return Cell{pct(e.demand_fraction) + " %", tk(i, "demand_covered.fraction")}; });
    row(T(l, "capex_jpy"), [&](std::size_t i, const E& e) { return Cell{jpy(e.costs.capex_jpy), tk(i, "capex_jpy")}; });
    row(T(l, "opex_jpy_per_year"),
        [&](std::size_t i, const E& e) { return Cell{jpy(e.costs.opex_jpy_per_year), tk(i, "opex_jpy_per_year")}; });
    row(T(l, "opex_as_paid"), [&](std::size_t, const E& e) { return txt(opex_as_paid_text(e.costs, l)); });
    row(T(l, "npv_jpy"), [&](std::size_t i, const E& e) { return Cell{jpy(e.costs.npv_jpy), tk(i, "npv_jpy")}; });
    row(T(l, "eligible_jpy"),
        [&](std::size_t i, const E& e) { return Cell{jpy(e.costs.eligible_jpy), tk(i, "eligible_jpy")}; });
    row(T(l, "subsidy_jpy"), [&](std::size_t i, const E& e) { return Cell{jpy(e.costs.subsidy_jpy), tk(i, "subsidy_jpy")}; });
    row(T(l, "municipality_npv_jpy"), [&](std::size_t i, const E& e) {
        return Cell{jpy(e.costs.municipality_npv_jpy), tk(i, "municipality_npv_jpy")};
    });
    row(T(l, "cost_per_household_jpy"), [&](std::size_t i, const E& e) {
        return Cell{jpy(e.effectiveness.per_household_jpy), tk(i, "cost_per_household_jpy")};
    });
    row(T(l, "municipality_per_household_jpy"), [&](std::size_t i, const E& e) {
        return Cell{jpy(e.effectiveness.municipality_per_household_jpy), tk(i, "municipality_cost_per_household_jpy")};
    });
    row(T(l, "per_km2_jpy"),
        [&](std::size_t i, const E& e) { return Cell{jpy(e.effectiveness.per_km2_jpy), tk(i, "cost_per_km2_jpy")}; });
    row(T(l, "per_device_jpy"),
        [&](std::size_t i, const E& e) { return Cell{jpy(e.effectiveness.per_device_jpy), tk(i, "cost_per_device_jpy")}; });
    row(T(l, "per_mbps_jpy"),
        [&](std::size_t i, const E& e) { return Cell{jpy(e.effectiveness.per_mbps_jpy), tk(i, "cost_per_mbps_jpy")}; });
    row(T(l, "throughput_median"), [&](std::size_t i, const E& e) {
        return Cell{fmt(e.throughput_median_mbps, 3), tk(i, "throughput_mbps.median")};
    });
    row(T(l, "throughput_p5"),
        [&](std::size_t i, const E& e) { return Cell{fmt(e.throughput_p5_mbps, 3), tk(i, "throughput_mbps.p5")}; });
    row(T(l, "capacity"), [&](std::size_t i, const E& e) {
        return Cell{fmt(e.capacity_mbps_per_household, 2), tk(i, "capacity_mbps_per_household")};
    });
    row(T(l, "latency_ms"), [&](std::size_t i, const E& e) { return Cell{fmt(e.latency_ms, 1), tk(i, "latency_ms")}; });
    row(T(l, "delivery_ratio"), [&](std::size_t i, const E& e) {
        return Cell{fmt(load_figures(e).delivery_ratio, 3), tk(i, "delivery_ratio")};
    });
    row(T(l, "delay_p99_ms"),
        [&](std::size_t i, const E& e) { return Cell{fmt(load_figures(e).delay_p99_ms, 1), tk(i, "delay_p99_ms")}; });
    row(T(l, "headroom_terminals"), [&](std::size_t i, const E& e) {
        return Cell{fmt(load_figures(e).headroom_terminals_per_cell, 0), tk(i, "headroom_terminals_per_cell")};
    });
    row(T(l, "battery_years"), [&](std::size_t i, const E& e) { return Cell{fmt(e.battery_years, 1), tk(i, "battery_years")}; });
    row(T(l, "backhaul_capex_jpy"), [&](std::size_t i, const E&) {
        return Cell{jpy(r.technologies[i].backhaul.capex_jpy), "backhaul[" + std::to_string(i) + "].capex_jpy"};
    });
    row(T(l, "fails"), [&](std::size_t i, const E&) { return txt(fails_text(r.technologies[i], l)); });
    demonstration_rows(r, l, row);
    return t;
}

Table equipment_table(const ComparisonReport& r, std::size_t i, Lang l) {
    Table t{{T(l, "equipment.id"), T(l, "equipment.acquisition"), T(l, "equipment.quantity"), T(l, "equipment.unit_capex"),
             T(l, "equipment.unit_opex")},
            {}};
    const auto& bill = r.technologies[i].eval.bill;
    for (std::size_t k = 0; k < bill.size(); ++k) {
        const auto& it = bill[k];
        const std::string key = tk(i, "equipment[" + std::to_string(k) + "].");
        t.rows.push_back({txt(item_name(r, it.id, l)), txt(T(l, "acq." + acquisition_key(it.acquisition))),
                          {fmt(it.quantity, 2), key + "quantity"},
                          {jpy(it.unit_capex_jpy), key + "unit_capex_jpy"},
                          {jpy(it.unit_opex_jpy_per_year), key + "unit_opex_jpy_per_year"}});
    }
    return t;
}

Table cashflow_table(const ComparisonReport& r, Lang l) {
    Table t;
    t.head.push_back(T(l, "year"));
    for (const auto& tech : r.technologies) {
        t.head.push_back(tech.eval.name + " " + T(l, "capex_purchases"));
        t.head.push_back(tech.eval.name + " " + T(l, "opex_paid"));
    }
    std::size_t years = 0;
    for (const auto& tech : r.technologies) years = std::max(years, tech.eval.costs.years.size());
    for (std::size_t y = 0; y < years; ++y) {
        std::vector<Cell> row{{std::to_string(y), ""}};
        for (std::size_t i = 0; i < r.technologies.size(); ++i) {
            const auto& ys = r.technologies[i].eval.costs.years;
            const std::string key = tk(i, "cash_flow[" + std::to_string(y) + "].");
            if (y < ys.size()) {
                const auto& c = r.technologies[i].eval.costs;  // year 0: purchases, and the rentals prepaid as OPEX
                row.push_back({jpy(y == 0 ? ys[y].capex_jpy - c.prepaid_rental_jpy : ys[y].capex_jpy), key + "purchases_jpy"});
                row.push_back({jpy(econ::opex_paid_by_year_jpy(c)[y]), tk(i, "opex_paid_by_year_jpy[" + std::to_string(y) + "]")});
            } else {
                row.push_back({"", ""});
                row.push_back({"", ""});
            }
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

// Coverage reachable for the scenario's budget, per technology (present values, JPY).
Table budget_table(const ComparisonReport& r, Lang l) {
    Table t{{T(l, "technology"), T(l, "sites"), T(l, "budget.network_jpy"), T(l, "budget.sites_jpy"),
             T(l, "budget.spent_jpy"), T(l, "demand_covered"), T(l, "demand_fraction")},
            {}};
    std::size_t k = 0;
    for (const auto& tech : r.technologies) {
        if (!tech.budget) continue;
        const auto& b = *tech.budget;
        const std::string key = "budget.technologies[" + std::to_string(k++) + "].";
        t.rows.push_back({txt(tech.eval.name),
                          {std::to_string(b.site_ids.size()), key + "sites"},
                          {jpy(b.network_jpy), key + "network_jpy"},
                          {jpy(b.sites_jpy), key + "sites_jpy"},
                          {jpy(b.site_ids.empty() ? 0.0 : b.network_jpy + b.sites_jpy), key + "spent_jpy"},
                          {std::to_string(b.demand_covered), key + "demand_covered.count"},
                          {pct(b.fraction) + " %", key + "demand_covered.fraction"}});
    }
    return t;
}

std::string budget_title(const ComparisonReport& r, Lang l) {
    std::string s = T(l, "sec.budget");
    s.replace(s.find("{budget}"), 8, plain(jpy(r.budget_jpy)));
    return s;
}

// The chosen sites of a technology with the origin of the automatic ones: "town-hall, hilltop-1 (hilltop)".
std::string chosen_sites_text(const TechnologyReport& t, Lang l) {
    std::string s;
    for (std::size_t i = 0; i < t.chosen_sites.size(); ++i) {
        s += (s.empty() ? "" : (l == Lang::ja ? "、" : ", ")) + t.chosen_sites[i];
        if (i < t.chosen_origins.size() && t.chosen_origins[i] != "given") {
            const std::string o = T(l, "origin." + t.chosen_origins[i]);
            s += l == Lang::ja ? "（" + o + "）" : " (" + o + ")";
        }
    }
    return s;
}

Table backhaul_table(const ComparisonReport& r, Lang l) {
    Table t{{T(l, "technology"), T(l, "backhaul_links"), T(l, "fibre_km"), T(l, "backhaul_capex_jpy"), T(l, "backhaul_opex_jpy")}, {}};
    for (std::size_t i = 0; i < r.technologies.size(); ++i) {
        const auto& b = r.technologies[i].backhaul;
        const std::string key = "backhaul[" + std::to_string(i) + "].";
        t.rows.push_back({txt(r.technologies[i].eval.name),
                          {std::to_string(b.links), key + "links"},
                          {fmt(b.fibre_km, 2), key + "fibre_km"},
                          {jpy(b.capex_jpy), key + "capex_jpy"},
                          {jpy(b.opex_jpy_per_year), key + "opex_jpy_per_year"}});
    }
    return t;
}

Table tornado_table(const ComparisonReport& r, std::size_t ti, Lang l) {
    Table t{{T(l, "param"), T(l, "low"), T(l, "high"), T(l, "at_low"), T(l, "at_high"), T(l, "at_low_municipality"),
             T(l, "at_high_municipality")},
            {}};
    const auto& tt = r.tornado[ti];
    for (std::size_t k = 0; k < tt.bars.size(); ++k) {
        const auto& b = tt.bars[k];
        const std::string key = "uncertainty.tornado[" + std::to_string(ti) + "].bars[" + std::to_string(k) + "].";
        t.rows.push_back({txt(parameter_name(r, b.parameter, l)),
                          {parameter_value(b.parameter, b.low_value), key + "low_value"},
                          {parameter_value(b.parameter, b.high_value), key + "high_value"},
                          {jpy(b.low.per_household_jpy), key + "low.cost_per_household_jpy"},
                          {jpy(b.high.per_household_jpy), key + "high.cost_per_household_jpy"},
                          {jpy(b.low.municipality_per_household_jpy), key + "low.municipality_cost_per_household_jpy"},
                          {jpy(b.high.municipality_per_household_jpy), key + "high.municipality_cost_per_household_jpy"}});
    }
    return t;
}

Table mc_table(const ComparisonReport& r, Lang l) {
    Table t{{T(l, "technology"), T(l, "mc.p5"), T(l, "mc.p50"), T(l, "mc.p95"), T(l, "mc.cheapest_share")}, {}};
    const auto& m = *r.monte_carlo;
    for (std::size_t i = 0; i < m.technologies.size(); ++i) {
        const auto& x = m.technologies[i];
        const std::string key = "uncertainty.monte_carlo.technologies[" + std::to_string(i) + "].";
        t.rows.push_back({txt(x.name),
                          {jpy(x.p5_jpy), key + "p5_jpy"},
                          {jpy(x.p50_jpy), key + "p50_jpy"},
                          {jpy(x.p95_jpy), key + "p95_jpy"},
                          {pct(x.cheapest_share) + " %", key + "cheapest_share"}});
    }
    return t;
}

std::string mc_statement(const ComparisonReport& r, Lang l) {
    const auto& m = *r.monte_carlo;
    if (m.technologies.empty()) return "";
    std::size_t best = 0;
    for (std::size_t i = 1; i < m.technologies.size(); ++i)
        if (m.technologies[i].cheapest_share > m.technologies[best].cheapest_share) best = i;
    std::string s = T(l, "mc.statement");
    s.replace(s.find("{tech}"), 6, m.technologies[best].name);
    s.replace(s.find("{pct}"), 5, pct(m.technologies[best].cheapest_share));
    for (const auto& t : r.technologies) {  // a cheap technology that misses a requirement is no answer
        if (t.eval.name != m.technologies[best].name || t.eval.fails.empty()) continue;
        std::string names;
        for (const auto& f : t.eval.fails)
            names += (names.empty() ? "" : (l == Lang::ja ? "、" : ", ")) + T(l, "req." + std::string(econ::to_string(f.requirement)));
        s += (l == Lang::ja ? "" : " ") + T(l, "mc.but_fails") + names + (l == Lang::ja ? "。" : "");
    }
    return s;
}

Table assumptions_table(const ComparisonReport& r, Lang l) {
    Table t{{T(l, "item"), T(l, "value")}, {}};
    const auto& p = r.params;
    const auto& q = r.requirements;
    auto opt = [&](double v, int d) { return std::isnan(v) ? esc(T(l, "not_required")) : fmt(v, d); };
    t.rows.push_back({txt(T(l, "econ.horizon")), {std::to_string(p.horizon_years), "economics.horizon_years"}});
    t.rows.push_back({txt(T(l, "econ.discount_rate")), {fmt(p.discount_rate, 4), "economics.discount_rate"}});
    t.rows.push_back({txt(T(l, "econ.subsidy_rate")), {fmt(p.rules.subsidy_rate, 3), "economics.subsidy_rate"}});
    t.rows.push_back({txt(T(l, "econ.subsidy_cap")),
                      p.rules.subsidy_cap_jpy > 0.0 ? Cell{jpy(p.rules.subsidy_cap_jpy), "economics.subsidy_cap_jpy"}
                                                    : txt(T(l, "econ.no_cap"))});
    t.rows.push_back({txt(T(l, "econ.opex_escalation")), {fmt(p.opex_escalation_rate, 4), "economics.opex_escalation_rate"}});
    if (r.budget_jpy > 0.0) t.rows.push_back({txt(T(l, "econ.budget")), {jpy(r.budget_jpy), "economics.budget_jpy"}});
    t.rows.push_back({txt(T(l, "econ.demonstration")), txt(T(l, p.rules.demonstration ? "yes" : "no"))});
    t.rows.push_back({txt(T(l, "econ.rentals")),
                      {p.rules.rentals_booked_up_front ? std::to_string(p.rules.rental_eligible_years) : "0",
                       p.rules.rentals_booked_up_front ? "economics.rental_eligible_years" : ""}});
    t.rows.push_back({txt(T(l, "req.coverage_target")),
                      {fmt(q.coverage_target_fraction, 3), "requirements.coverage_target_fraction"}});
    t.rows.push_back({txt(T(l, "req.reliability")), {fmt(q.location_reliability, 3), "requirements.location_reliability"}});
    t.rows.push_back({txt(T(l, "req.mbps")), {opt(q.min_mbps_per_household, 2), std::isnan(q.min_mbps_per_household) ? "" : "requirements.min_mbps_per_household"}});
    t.rows.push_back({txt(T(l, "req.activity")), {fmt(q.busy_hour_activity, 3), "requirements.busy_hour_activity"}});
    t.rows.push_back({txt(T(l, "req.edge")), {opt(q.min_edge_mbps, 2), std::isnan(q.min_edge_mbps) ? "" : "requirements.min_edge_mbps"}});
    t.rows.push_back({txt(T(l, "req.max_latency")), {opt(q.max_latency_ms, 1), std::isnan(q.max_latency_ms) ? "" : "requirements.max_latency_ms"}});
    t.rows.push_back({txt(T(l, "req.battery_years")), {opt(q.min_battery_years, 1), std::isnan(q.min_battery_years) ? "" : "requirements.min_battery_years"}});
    t.rows.push_back({txt(T(l, "req.outdoor")), txt(T(l, q.outdoor ? "yes" : "no"))});
    for (const auto& ps : r.propagation_settings) t.rows.push_back({txt(T(l, ps.key)), txt(ps.value + " (" + ps.field + ")")});
    return t;
}

Table catalogue_table(const ComparisonReport& r, Lang l) {
    Table t{{T(l, "equipment.id"), T(l, "equipment.unit_capex"), T(l, "equipment.unit_opex"), T(l, "low"), T(l, "high"),
             T(l, "status"), T(l, "source"), T(l, "date")},
            {}};
    for (const auto& it : r.catalogue_items)
        t.rows.push_back({txt((l == Lang::ja ? it.name_ja : it.name_en) + " (" + it.id + ")"), {jpy(it.capex_jpy), ""},
                          {jpy(it.opex_jpy_per_year), ""}, {jpy(it.low_jpy), ""}, {jpy(it.high_jpy), ""},
                          txt(it.status), txt(it.source), txt(it.date)});
    return t;
}

Table provenance_table(const ComparisonReport& r, Lang l) {
    const auto& p = r.provenance;
    Table t{{T(l, "item"), T(l, "value")}, {}};
    t.rows.push_back({txt(T(l, "prov.version")), txt(p.dxplan_version)});
    t.rows.push_back({txt(T(l, "prov.scenario")), txt(p.scenario_file)});
    t.rows.push_back({txt(T(l, "prov.sha256")), {"<code>" + esc(p.scenario_sha256) + "</code>", ""}});
    t.rows.push_back({txt(T(l, "prov.seed")), {std::to_string(p.seed), "provenance.seed"}});
    // The component names are summary.json's provenance.models keys (English); the report shows them in its language.
    const auto label = [&](const std::string& key) -> std::string {
        static constexpr std::pair<std::string_view, std::string_view> kKnown[] = {
            {"propagation model", "prov.propagation_model"},
            {"cost catalogue", "prov.catalogue"},
            {"planning shadowing sigma (dB)", "prov.shadow_sigma"}};
        for (const auto& [k, phrase] : kKnown)
            if (key == k) return T(l, phrase);
        constexpr std::string_view kTech = "technology ";
        if (key.starts_with(kTech)) return T(l, "prov.technology") + " " + key.substr(kTech.size());
        return key;
    };
    for (const auto& [k, v] : p.models) t.rows.push_back({txt(label(k)), txt(v)});
    for (const auto& f : p.data_files)
        t.rows.push_back({txt(T(l, "prov.files") + " " + f.name),
                          {"<code>" + esc(f.sha256) + "</code> (" + std::to_string(f.bytes) + " " +
                               T(l, "prov.bytes") + ")",
                           ""}});
    return t;
}

std::vector<HBarRow> per_household_rows(const ComparisonReport& r) {
    std::vector<HBarRow> rows;
    for (const auto& t : r.technologies)
        rows.push_back({t.eval.name, {t.eval.effectiveness.per_household_jpy, t.eval.effectiveness.municipality_per_household_jpy}});
    return rows;
}

std::string notes_html(const ComparisonReport& r, Lang l) {
    if (r.note_keys.empty()) return "";
    std::string h = "<ul class=\"note\">\n";
    for (const auto& k : r.note_keys) h += "<li>" + esc(T(l, k)) + "</li>\n";
    return h + "</ul>\n";
}

}  // namespace dxplan::output::detail
