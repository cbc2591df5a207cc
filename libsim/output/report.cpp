// Comparison report (HTML, Markdown) and the comparison part of summary.json, from one ComparisonReport.
#include "libsim/output/report.hpp"
#include "libsim/output/report_route.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "libsim/core/atomic_file.hpp"
#include "libsim/core/error.hpp"
#include "libsim/core/text.hpp"

namespace dxplan::output {

namespace {

using nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------------------
// One rounding for summary.json and the tables: JPY to 1 JPY, shares to 0.001 (shown as % with 1 decimal),
// km², Mbit/s, km and dB to 0.01, years and ms to 0.1.

double round_to(double v, int digits) {
    const double s = std::pow(10.0, digits);
    return std::round(v * s) / s;
}

ordered_json jnum(double v, int digits) {
    if (!std::isfinite(v)) return nullptr;
    return round_to(v, digits);
}

ordered_json jjpy(double v) {
    if (!std::isfinite(v)) return nullptr;
    return static_cast<long long>(std::llround(v));
}

// Text of a number with `digits` decimals and thousands separators; "–" when not finite.
std::string fmt(double v, int digits, bool group = true) {
    if (!std::isfinite(v)) return "&ndash;";
    std::ostringstream os;
    os << std::fixed << std::setprecision(digits) << round_to(v, digits);
    std::string s = os.str();
    if (!group) return s;
    const bool neg = !s.empty() && s[0] == '-';
    const std::size_t start = neg ? 1 : 0;
    std::size_t dot = s.find('.');
    if (dot == std::string::npos) dot = s.size();
    for (std::ptrdiff_t i = static_cast<std::ptrdiff_t>(dot) - 3; i > static_cast<std::ptrdiff_t>(start); i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

std::string jpy(double v) { return fmt(v, 0); }
std::string pct(double fraction) { return std::isfinite(fraction) ? fmt(100.0 * round_to(fraction, 3), 1) : fmt(fraction, 1); }


std::string esc(std::string_view s) { return xml_escape(s); }

std::string md_esc(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (c == '|') o += "\\|";
        else if (c == '\n') o += ' ';
        else o += c;
    }
    return o;
}

// Markdown cells carry no markup: turn the HTML entity of "no value" back into text.
std::string plain(std::string s) {
    for (const auto& [ent, ch] : {std::pair<std::string, std::string>{"&ndash;", "-"}, {"&lt;", "<"}, {"&gt;", ">"},
                                  {"&quot;", "\""}, {"&amp;", "&"}})
        for (auto p = s.find(ent); p != std::string::npos; p = s.find(ent, p + ch.size())) s.replace(p, ent.size(), ch);
    return s;
}

std::string T(Lang l, std::string_view key) { return std::string(tr(l, key)); }

std::string acquisition_key(econ::Acquisition a) {
    switch (a) {
        case econ::Acquisition::purchase: return "purchase";
        case econ::Acquisition::lease: return "lease";
        case econ::Acquisition::subscription: return "subscription";
    }
    return "purchase";
}

const econ::CatalogueItem* find_item(const ComparisonReport& r, std::string_view id) {
    for (const auto& it : r.catalogue_items)
        if (it.id == id) return &it;
    return nullptr;
}

std::string item_name(const ComparisonReport& r, std::string_view id, Lang l) {
    const econ::CatalogueItem* it = find_item(r, id);
    if (!it) return std::string(id);
    return l == Lang::ja ? it->name_ja : it->name_en;
}

std::string parameter_name(const ComparisonReport& r, std::string_view p, Lang l) {
    if (p.starts_with("price:")) return T(l, "param.price") + ": " + item_name(r, p.substr(6), l);
    return T(l, std::string("param.") + std::string(p));
}

std::string parameter_value(std::string_view p, double v) {
    if (p.starts_with("price:")) return jpy(v);
    if (p == "horizon_years") return fmt(v, 0);
    if (p == "margin_db") return fmt(v, 2);
    return fmt(v, 3);
}

std::vector<std::string> fail_names(const econ::TechnologyEvaluation& e) {
    std::vector<std::string> v;
    for (const auto& f : e.fails) v.emplace_back(econ::to_string(f.requirement));
    return v;
}

// The reason of a failure in the report's language (English: the evaluation's own line).
std::string fail_reason(const econ::Failure& f, Lang l) {
    if (l == Lang::en) return f.reason;
    using R = econ::Requirement;
    auto num = [](double v, int d) { return std::isfinite(v) ? fmt(v, d) : std::string("-"); };
    switch (f.requirement) {
        case R::coverage: return "カバー率 " + num(100.0 * f.value, 1) + " % < 目標 " + num(100.0 * f.limit, 1) + " %";
        case R::capacity: return num(f.value, 2) + " Mbps < 必要 " + num(f.limit, 2) + " Mbps";
        case R::latency: return "往復 " + num(f.value, 0) + " ms > 許容 " + num(f.limit, 0) + " ms";
        case R::battery: return num(f.value, 1) + " 年 < 必要 " + num(f.limit, 1) + " 年";
        case R::regulatory: return "屋外利用不可" + (f.rule.empty() ? std::string() : "（" + f.rule + "）");
    }
    return f.reason;
}

std::string fails_text(const econ::TechnologyEvaluation& e, Lang l) {
    if (e.fails.empty()) return T(l, "none");
    std::string s;
    for (const auto& f : e.fails) {
        if (!s.empty()) s += "; ";
        s += T(l, "req." + std::string(econ::to_string(f.requirement))) + " (" + fail_reason(f, l) + ")";
    }
    return s;
}

std::vector<econ::TechnologyEvaluation> evaluations(const ComparisonReport& r) {
    std::vector<econ::TechnologyEvaluation> ev;
    for (const auto& t : r.technologies) ev.push_back(t.eval);
    return ev;
}

// Rank as in rank_by_cost_per_household (1 = recommended: meets every requirement, then cheapest).
std::vector<std::size_t> ranks(const ComparisonReport& r) {
    const auto order = econ::rank_by_cost_per_household(evaluations(r));
    std::vector<std::size_t> rank(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = k + 1;
    return rank;
}

// The verdict in one sentence, the recommended option's name marked (HTML: <strong data-k=
// "recommendation.name"> for the report-vs-summary check; Markdown: bold).
std::string recommendation_statement(const ComparisonReport& r, Lang l, bool html) {
    const auto rec = econ::recommend(evaluations(r));
    std::string s = T(l, "rec." + std::string(econ::to_string(rec.reason)));
    auto e = [&](const std::string& x) { return html ? esc(x) : x; };
    if (!rec.index) return html ? "<p class=\"statement\" data-reason=\"no_options\">" + esc(s) + "</p>\n" : s + "\n\n";
    const auto& ev = r.technologies[*rec.index].eval;
    std::string names;
    for (const auto& f : ev.fails)
        names += (names.empty() ? "" : (l == Lang::ja ? "、" : ", ")) + T(l, "req." + std::string(econ::to_string(f.requirement)));
    if (const auto at = s.find("{fails}"); at != std::string::npos) s.replace(at, 7, names);
    const auto at = s.find("{tech}");
    const std::string name =
        html ? "<strong data-k=\"recommendation.name\">" + esc(ev.name) + "</strong>" : "**" + ev.name + "**";
    const std::string body = e(s.substr(0, at)) + name + e(s.substr(at + 6));
    if (!html) return body + "\n\n";
    return "<p class=\"statement\" data-reason=\"" + std::string(econ::to_string(rec.reason)) + "\">" + body + "</p>\n";
}

// ---------------------------------------------------------------------------------------------------------
// summary.json

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
    o["municipality_npv_jpy"] = jjpy(e.costs.municipality_npv_jpy);
    o["cost_per_household_jpy"] = jjpy(e.effectiveness.per_household_jpy);
    o["municipality_cost_per_household_jpy"] = jjpy(e.effectiveness.municipality_per_household_jpy);
    o["cost_per_km2_jpy"] = jjpy(e.effectiveness.per_km2_jpy);
    o["cost_per_device_jpy"] = jjpy(e.effectiveness.per_device_jpy);
    o["cost_per_mbps_jpy"] = jjpy(e.effectiveness.per_mbps_jpy);
    o["throughput_mbps"] = {{"median", jnum(e.throughput_median_mbps, 3)}, {"p5", jnum(e.throughput_p5_mbps, 3)}};
    o["capacity_mbps_per_household"] = jnum(e.capacity_mbps_per_household, 2);
    o["latency_ms"] = jnum(e.latency_ms, 1);
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
                      {"discount_factor", jnum(y.discount_factor, 6)}});
    o["cash_flow"] = cf;
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

}  // namespace

std::string comparison_summary_json(const ComparisonReport& r) {
    ordered_json j;
    const auto rank = ranks(r);
    ordered_json techs = ordered_json::array();
    for (std::size_t i = 0; i < r.technologies.size(); ++i) techs.push_back(technology_json(r.technologies[i], rank[i]));
    j["technologies"] = techs;
    const auto rec = econ::recommend(evaluations(r));
    ordered_json rec_fails = ordered_json::array();
    if (rec.index) rec_fails = fail_names(r.technologies[*rec.index].eval);
    j["recommendation"] = {{"name", rec.index ? ordered_json(r.technologies[*rec.index].eval.name) : ordered_json(nullptr)},
                           {"reason", econ::to_string(rec.reason)},
                           {"fails", rec_fails}};

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
    j["backhaul"] = bh;

    if (r.budget_jpy > 0.0) {
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
        j["budget"] = {{"budget_jpy", jjpy(r.budget_jpy)}, {"technologies", bt}};
    } else {
        j["budget"] = nullptr;
    }

    const auto& p = r.params;
    j["economics"] = {{"horizon_years", p.horizon_years},
                      {"discount_rate", jnum(p.discount_rate, 4)},
                      {"subsidy_rate", jnum(p.rules.subsidy_rate, 3)},
                      {"subsidy_cap_jpy", p.rules.subsidy_cap_jpy > 0.0 ? jjpy(p.rules.subsidy_cap_jpy) : nullptr},
                      {"opex_escalation_rate", jnum(p.opex_escalation_rate, 4)},
                      {"budget_jpy", r.budget_jpy > 0.0 ? jjpy(r.budget_jpy) : nullptr},
                      {"demonstration", p.rules.demonstration},
                      {"rentals_booked_up_front", p.rules.rentals_booked_up_front},
                      {"rental_eligible_years", p.rules.rental_eligible_years},
                      {"catalogue_version", r.catalogue_version}};
    const auto& q = r.requirements;
    j["requirements"] = {{"coverage_target_fraction", jnum(q.coverage_target_fraction, 3)},
                         {"location_reliability", jnum(q.location_reliability, 3)},
                         {"min_mbps_per_household", jnum(q.min_mbps_per_household, 2)},
                         {"busy_hour_activity", jnum(q.busy_hour_activity, 3)},
                         {"min_edge_mbps", jnum(q.min_edge_mbps, 2)},
                         {"max_latency_ms", jnum(q.max_latency_ms, 1)},
                         {"min_battery_years", jnum(q.min_battery_years, 1)},
                         {"outdoor", q.outdoor}};

    ordered_json unc;
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
    unc["tornado"] = tor;
    if (r.monte_carlo) {
        const auto& m = *r.monte_carlo;
        ordered_json mt = ordered_json::array();
        for (const auto& t : m.technologies)
            mt.push_back({{"name", t.name},
                          {"p5_jpy", jjpy(t.p5_jpy)},
                          {"p50_jpy", jjpy(t.p50_jpy)},
                          {"p95_jpy", jjpy(t.p95_jpy)},
                          {"cheapest_share", jnum(t.cheapest_share, 3)}});
        unc["monte_carlo"] = {{"draws", m.draws},
                              {"seed", m.seed},
                              {"distribution", m.distribution == econ::PriceDistribution::uniform ? "uniform" : "triangular"},
                              {"shadow_sigma_db", jnum(m.shadow_sigma_db, 2)},
                              {"technologies", mt}};
    } else {
        unc["monte_carlo"] = nullptr;
    }
    j["uncertainty"] = unc;

    const auto& pv = r.provenance;
    ordered_json files = ordered_json::array();
    for (const auto& f : pv.data_files) files.push_back({{"name", f.name}, {"sha256", f.sha256}, {"bytes", f.bytes}});
    ordered_json models = ordered_json::object();
    for (const auto& [k, v] : pv.models) models[k] = v;
    j["provenance"] = {{"dxplan_version", pv.dxplan_version},
                       {"scenario_file", pv.scenario_file},
                       {"scenario_sha256", pv.scenario_sha256},
                       {"data_files", files},
                       {"models", models},
                       {"seed", pv.seed}};
    return j.dump(2);
}

namespace {

// ---------------------------------------------------------------------------------------------------------
// SVG charts

inline constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#76b7b2", "#b07aa1", "#edc948", "#9c755f"};
const char* colour(std::size_t i) { return kPalette[i % std::size(kPalette)]; }

// A round axis step giving about `ticks` intervals up to max_v.
double nice_step(double max_v, int ticks) {
    if (!(max_v > 0)) return 1.0;
    const double raw = max_v / ticks;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * mag >= raw) return m * mag;
    return 10.0 * mag;
}

// Axis labels in millions of JPY (百万円).
std::string mjpy(double v) {
    return fmt(v / 1e6, std::abs(v) < 1e6 && v != 0 ? 2 : (std::abs(v) < 1e7 ? 1 : 0));
}
std::string mjpy_unit(Lang l) { return l == Lang::ja ? "百万円" : "M JPY"; }

std::string svg_open(int w, int h, const std::string& label) {
    std::ostringstream s;
    s << "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h
      << "\" viewBox=\"0 0 " << w << " " << h << "\" role=\"img\" aria-label=\"" << esc(label)
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    return s.str();
}

std::string text(double x, double y, const std::string& s, const char* anchor = "start", int size = 12) {
    std::ostringstream o;
    o << "<text x=\"" << fmt(x, 1, false) << "\" y=\"" << fmt(y, 1, false) << "\" text-anchor=\"" << anchor
      << "\" font-size=\"" << size << "\">" << esc(s) << "</text>\n";
    return o.str();
}

std::string rect(double x, double y, double w, double h, const char* fill, double opacity = 1.0) {
    std::ostringstream o;
    o << "<rect x=\"" << fmt(x, 1, false) << "\" y=\"" << fmt(y, 1, false) << "\" width=\""
      << fmt(std::max(0.0, w), 1, false) << "\" height=\"" << fmt(std::max(0.0, h), 1, false) << "\" fill=\"" << fill
      << "\"" << (opacity < 1.0 ? " fill-opacity=\"" + fmt(opacity, 2, false) + "\"" : "") << "/>\n";
    return o.str();
}

std::string line(double x1, double y1, double x2, double y2, const char* stroke, double width = 1.0) {
    std::ostringstream o;
    o << "<line x1=\"" << fmt(x1, 1, false) << "\" y1=\"" << fmt(y1, 1, false) << "\" x2=\"" << fmt(x2, 1, false)
      << "\" y2=\"" << fmt(y2, 1, false) << "\" stroke=\"" << stroke << "\" stroke-width=\"" << fmt(width, 1, false)
      << "\"/>\n";
    return o.str();
}

// Horizontal bars: rows of (label, values per series), each series its own colour; x axis in M JPY.
struct HBarRow {
    std::string label;
    std::vector<double> values;
};
std::string hbar_chart(const std::vector<HBarRow>& rows, const std::vector<std::pair<std::string, const char*>>& series,
                       const std::string& title, Lang l, double max_fixed = 0.0, bool percent = false) {
    const int W = 880, left = 230, right = 120, bar_h = 16, gap = 10;
    const int per_row = static_cast<int>(series.size()) * bar_h + gap;
    const int H = 40 + static_cast<int>(rows.size()) * per_row + 40;
    double max_v = max_fixed;
    for (const auto& r : rows)
        for (double v : r.values)
            if (std::isfinite(v)) max_v = std::max(max_v, v);
    if (!(max_v > 0)) max_v = 1.0;
    const double step = nice_step(max_v, 5);
    const double axis_max = std::ceil(max_v / step) * step;
    const double plot_w = W - left - right;
    auto X = [&](double v) { return left + plot_w * v / axis_max; };
    std::string s = svg_open(W, H, title);
    s += text(left, 18, title, "start", 13);
    const double y_axis = 30 + rows.size() * per_row;
    for (double v = 0; v <= axis_max * 1.0001; v += step) {
        s += line(X(v), 28, X(v), y_axis, "#ddd");
        s += text(X(v), y_axis + 14, percent ? fmt(100 * v, 0) + " %" : mjpy(v), "middle", 11);
    }
    if (!percent) s += text(W - right + 8, y_axis + 14, mjpy_unit(l), "start", 11);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double y0 = 32 + static_cast<double>(i) * per_row;
        s += text(left - 6, y0 + per_row / 2.0, rows[i].label, "end", 12);
        for (std::size_t k = 0; k < series.size() && k < rows[i].values.size(); ++k) {
            const double v = rows[i].values[k];
            const double y = y0 + static_cast<double>(k) * bar_h;
            if (!std::isfinite(v)) continue;
            s += rect(left, y, X(v) - left, bar_h - 2, series[k].second);
            s += text(X(v) + 4, y + bar_h - 5, percent ? pct(v) + " %" : jpy(v), "start", 11);
        }
    }
    // legend
    double lx = left;
    for (const auto& [name, col] : series) {
        if (series.size() < 2) break;
        s += rect(lx, H - 16, 12, 12, col);
        s += text(lx + 16, H - 6, name, "start", 11);
        lx += 20 + 7.0 * static_cast<double>(name.size());
    }
    s += "</svg>\n";
    return s;
}

std::string cashflow_chart(const ComparisonReport& r, Lang l) {
    const int W = 880, H = 320, left = 70, right = 20, top = 30, bottom = 60;
    std::size_t years = 0;
    double max_v = 0.0;
    for (const auto& t : r.technologies) {
        years = std::max(years, t.eval.costs.years.size());
        for (const auto& y : t.eval.costs.years) max_v = std::max(max_v, y.capex_jpy + y.opex_jpy);
    }
    const std::string title = T(l, "chart.cashflow");
    std::string s = svg_open(W, H, title);
    s += text(left, 18, title, "start", 13);
    if (years == 0 || r.technologies.empty()) return s + "</svg>\n";
    const double step = nice_step(max_v, 5);
    const double axis_max = std::max(step, std::ceil(max_v / step) * step);
    const double plot_h = H - top - bottom, plot_w = W - left - right;
    auto Y = [&](double v) { return top + plot_h * (1.0 - v / axis_max); };
    for (double v = 0; v <= axis_max * 1.0001; v += step) {
        s += line(left, Y(v), W - right, Y(v), "#ddd");
        s += text(left - 4, Y(v) + 4, mjpy(v), "end", 11);
    }
    s += text(4, top - 6, mjpy_unit(l), "start", 11);
    const double group_w = plot_w / static_cast<double>(years);
    const double bar_w = std::max(2.0, (group_w - 6.0) / static_cast<double>(r.technologies.size()));
    for (std::size_t y = 0; y < years; ++y) {
        const double gx = left + y * group_w + 3.0;
        for (std::size_t t = 0; t < r.technologies.size(); ++t) {
            const auto& ys = r.technologies[t].eval.costs.years;
            if (y >= ys.size()) continue;
            const double x = gx + t * bar_w;
            s += rect(x, Y(ys[y].capex_jpy), bar_w - 1, Y(0) - Y(ys[y].capex_jpy), colour(t));
            s += rect(x, Y(ys[y].capex_jpy + ys[y].opex_jpy), bar_w - 1, Y(ys[y].capex_jpy) - Y(ys[y].capex_jpy + ys[y].opex_jpy),
                      colour(t), 0.45);
        }
        s += text(gx + group_w / 2 - 3, Y(0) + 14, std::to_string(y), "middle", 11);
    }
    s += text(left + plot_w / 2, Y(0) + 28, T(l, "year"), "middle", 11);
    double lx = left;
    for (std::size_t t = 0; t < r.technologies.size(); ++t) {
        s += rect(lx, H - 16, 12, 12, colour(t));
        s += text(lx + 16, H - 6, r.technologies[t].eval.name, "start", 11);
        lx += 30 + 7.0 * static_cast<double>(r.technologies[t].eval.name.size());
    }
    return s + "</svg>\n";
}

std::string tornado_chart(const ComparisonReport& r, const econ::TechnologyTornado& t, std::size_t ti, Lang l) {
    const std::size_t n = std::min<std::size_t>(t.bars.size(), 8);
    const int W = 880, left = 300, right = 110, row = 22;
    const int H = 50 + static_cast<int>(n) * row + 24;
    const double base = t.base.per_household_jpy;
    double lo = base, hi = base;
    for (std::size_t i = 0; i < n; ++i)
        for (double v : {t.bars[i].low.per_household_jpy, t.bars[i].high.per_household_jpy,
                         t.bars[i].low.municipality_per_household_jpy, t.bars[i].high.municipality_per_household_jpy})
            if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    if (!(hi > lo)) hi = lo + 1.0;
    lo = std::max(0.0, lo - 0.05 * (hi - lo));
    hi += 0.05 * (hi - lo);
    const double plot_w = W - left - right;
    auto X = [&](double v) { return left + plot_w * (v - lo) / (hi - lo); };
    const std::string title = t.name + ": " + T(l, "chart.tornado");
    std::string s = svg_open(W, H, title);
    s += text(10, 18, title, "start", 13);
    const double step = nice_step(hi - lo, 5);
    for (double v = std::ceil(lo / step) * step; v <= hi; v += step) {
        s += line(X(v), 28, X(v), 32 + n * row, "#eee");
        s += text(X(v), 46 + n * row, jpy(v), "middle", 10);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const auto& b = t.bars[i];
        const double y = 32 + static_cast<double>(i) * row;
        // The per-household cost, or, when the parameter moves only the municipality's share (subsidy rate),
        // that share around its base.
        const bool muni = std::isfinite(b.low.per_household_jpy) && b.low.per_household_jpy == b.high.per_household_jpy;
        const double b0 = muni ? t.base.municipality_per_household_jpy : base;
        const double vl = muni ? b.low.municipality_per_household_jpy : b.low.per_household_jpy;
        const double vh = muni ? b.high.municipality_per_household_jpy : b.high.per_household_jpy;
        std::string label = parameter_name(r, b.parameter, l) + " (" + parameter_value(b.parameter, b.low_value) +
                            " – " + parameter_value(b.parameter, b.high_value) + ")";
        if (label.size() > 60) label = label.substr(0, 57) + "...";
        s += text(left - 6, y + 14, label, "end", 11);
        if (std::isfinite(vl)) s += rect(std::min(X(b0), X(vl)), y + 2, std::abs(X(vl) - X(b0)), row - 6, colour(ti));
        if (std::isfinite(vh)) s += rect(std::min(X(b0), X(vh)), y + 2, std::abs(X(vh) - X(b0)), row - 6, colour(ti), 0.45);
        s += text(W - right + 6, y + 14, jpy(vl) + " / " + jpy(vh), "start", 10);
    }
    s += line(X(base), 26, X(base), 34 + n * row, "#333", 1.5);
    return s + "</svg>\n";
}

std::string histogram_chart(const econ::MonteCarloResult& m, Lang l) {
    const int W = 880, H = 300, left = 70, right = 20, top = 30, bottom = 60, bins = 30;
    std::vector<double> all;
    for (const auto& t : m.technologies)
        for (double v : t.per_household_jpy)
            if (std::isfinite(v)) all.push_back(v);
    const std::string title = T(l, "chart.histogram");
    std::string s = svg_open(W, H, title);
    s += text(left, 18, title, "start", 13);
    if (all.empty()) return s + "</svg>\n";
    std::sort(all.begin(), all.end());
    const double lo = all[all.size() / 100], hi = std::max(all[all.size() - 1 - all.size() / 100], lo + 1.0);
    const double width = (hi - lo) / bins;
    std::vector<std::vector<double>> share(m.technologies.size(), std::vector<double>(bins, 0.0));
    double max_share = 0.0;
    for (std::size_t t = 0; t < m.technologies.size(); ++t) {
        for (double v : m.technologies[t].per_household_jpy) {
            if (!std::isfinite(v) || v < lo || v > hi) continue;
            const int b = std::clamp(static_cast<int>((v - lo) / width), 0, bins - 1);
            share[t][b] += 1.0 / static_cast<double>(m.draws);
        }
        for (double x : share[t]) max_share = std::max(max_share, x);
    }
    const double plot_w = W - left - right, plot_h = H - top - bottom;
    auto X = [&](double v) { return left + plot_w * (v - lo) / (hi - lo); };
    auto Y = [&](double f) { return top + plot_h * (1.0 - f / max_share); };
    const double step = nice_step(hi - lo, 6);
    for (double v = std::ceil(lo / step) * step; v <= hi; v += step) {
        s += line(X(v), top, X(v), Y(0), "#eee");
        s += text(X(v), Y(0) + 14, jpy(v), "middle", 10);
    }
    s += line(left, Y(0), W - right, Y(0), "#333");
    for (std::size_t t = 0; t < share.size(); ++t) {
        std::ostringstream pts;
        for (int b = 0; b < bins; ++b) {
            pts << fmt(X(lo + b * width), 1, false) << "," << fmt(Y(share[t][b]), 1, false) << " ";
            pts << fmt(X(lo + (b + 1) * width), 1, false) << "," << fmt(Y(share[t][b]), 1, false) << " ";
        }
        s += "<polyline fill=\"" + std::string(colour(t)) + "\" fill-opacity=\"0.25\" stroke=\"" + colour(t) +
             "\" stroke-width=\"2\" points=\"" + fmt(X(lo), 1, false) + "," + fmt(Y(0), 1, false) + " " + pts.str() +
             fmt(X(hi), 1, false) + "," + fmt(Y(0), 1, false) + "\"/>\n";
    }
    s += text(left + plot_w / 2, Y(0) + 30, T(l, "cost_per_household_jpy"), "middle", 11);
    double lx = left;
    for (std::size_t t = 0; t < m.technologies.size(); ++t) {
        s += rect(lx, H - 16, 12, 12, colour(t));
        s += text(lx + 16, H - 6, m.technologies[t].name, "start", 11);
        lx += 30 + 7.0 * static_cast<double>(m.technologies[t].name.size());
    }
    return s + "</svg>\n";
}

std::string map_svg(const ComparisonReport& r, const TechnologyReport& t, Lang l) {
    const auto& m = t.map;
    GeoBox box;
    bool have_png = !m.png.empty() && m.png_bounds && std::filesystem::exists(m.png);
    if (have_png) {
        box = *m.png_bounds;
    } else {
        box = {90.0, 180.0, -90.0, -180.0};
        auto grow = [&](const LatLon& p) {
            box.south_deg = std::min(box.south_deg, p.lat_deg);
            box.north_deg = std::max(box.north_deg, p.lat_deg);
            box.west_deg = std::min(box.west_deg, p.lon_deg);
            box.east_deg = std::max(box.east_deg, p.lon_deg);
        };
        for (const auto& p : m.demand) grow(p);
        for (const auto& p : m.sites) grow(p.pos);
        for (const auto& k : m.backhaul) {
            grow(k.a), grow(k.b);
            for (const LatLon& q : k.route) grow(q);
        }
        if (r.run)
            for (const auto& p : r.run->fibre_pops) grow(p.pos);
        if (box.north_deg < box.south_deg) box = {0.0, 0.0, 0.01, 0.01};
        const double pad_lat = std::max(0.002, 0.05 * (box.north_deg - box.south_deg));
        const double pad_lon = std::max(0.002, 0.05 * (box.east_deg - box.west_deg));
        box = {box.south_deg - pad_lat, box.west_deg - pad_lon, box.north_deg + pad_lat, box.east_deg + pad_lon};
    }
    const double W = 520;
    const double mid = 0.5 * (box.south_deg + box.north_deg) * 3.14159265358979 / 180.0;
    const double H = std::clamp(W * (box.north_deg - box.south_deg) / ((box.east_deg - box.west_deg) * std::cos(mid)), 120.0, 900.0);
    auto X = [&](double lon) { return W * (lon - box.west_deg) / (box.east_deg - box.west_deg); };
    auto Y = [&](double lat) { return H * (box.north_deg - lat) / (box.north_deg - box.south_deg); };
    std::ostringstream s;
    s << "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << fmt(W, 0, false) << "\" height=\""
      << fmt(H, 0, false) << "\" viewBox=\"0 0 " << fmt(W, 0, false) << " " << fmt(H, 0, false)
      << "\" role=\"img\" aria-label=\"" << esc(t.eval.name) << "\">\n";
    if (have_png) {
        std::ifstream in(m.png, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        s << "<image x=\"0\" y=\"0\" width=\"" << fmt(W, 0, false) << "\" height=\"" << fmt(H, 0, false)
          << "\" preserveAspectRatio=\"none\" href=\"data:image/png;base64," << base64(bytes) << "\"/>\n";
    } else {
        s << rect(0, 0, W, H, "#f4f1e8");
    }
    for (const auto& k : m.backhaul) {
        if (k.route.size() < 2) {
            s << line(X(k.a.lon_deg), Y(k.a.lat_deg), X(k.b.lon_deg), Y(k.b.lat_deg), "#1f5fbf", 2.5);
            continue;
        }
        s << "<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2.5\" points=\"";  // fibre along the roads
        for (std::size_t i = 0; i < k.route.size(); ++i)
            s << (i ? " " : "") << fmt(X(k.route[i].lon_deg), 1, false) << "," << fmt(Y(k.route[i].lat_deg), 1, false);
        s << "\"/>\n";
    }
    // At most about 5000 points drawn (every k-th), so that a large area keeps the page light.
    const std::size_t stride = std::max<std::size_t>(1, (m.demand.size() + 4999) / 5000);
    for (std::size_t i = 0; i < m.demand.size(); i += stride) {
        const bool cov = i < m.demand_covered.size() && m.demand_covered[i];
        s << "<circle cx=\"" << fmt(X(m.demand[i].lon_deg), 1, false) << "\" cy=\"" << fmt(Y(m.demand[i].lat_deg), 1, false)
          << "\" r=\"2.5\" fill=\"" << (cov ? "#33a02c" : "#9a9a9a") << "\"/>\n";
    }
    if (r.run)
        for (const auto& p : r.run->fibre_pops)
            s << rect(X(p.pos.lon_deg) - 5, Y(p.pos.lat_deg) - 5, 10, 10, "#000000");
    for (const auto& site : m.sites) {
        const double x = X(site.pos.lon_deg), y = Y(site.pos.lat_deg);
        s << "<polygon points=\"" << fmt(x, 1, false) << "," << fmt(y - 8, 1, false) << " " << fmt(x - 7, 1, false) << ","
          << fmt(y + 5, 1, false) << " " << fmt(x + 7, 1, false) << "," << fmt(y + 5, 1, false)
          << "\" fill=\"#e41a1c\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n";
        s << "<text x=\"" << fmt(x + 8, 1, false) << "\" y=\"" << fmt(y - 6, 1, false)
          << "\" font-family=\"sans-serif\" font-size=\"10\">" << esc(site.id) << "</text>\n";
    }
    s << "</svg>\n<p class=\"note\">" << esc(T(l, "map.legend")) << (have_png ? " " + esc(T(l, "map.background")) : "")
      << "</p>\n";
    return s.str();
}

// ---------------------------------------------------------------------------------------------------------
// Tables shared by HTML and Markdown: rows of cells, each cell its text and (optionally) its summary.json key.

struct Cell {
    std::string text;
    std::string key;  // JSON path in summary.json, or empty
};
struct Table {
    std::vector<std::string> head;
    std::vector<std::vector<Cell>> rows;
};

std::string html_table(const Table& t, const char* cls = "") {
    std::ostringstream h;
    h << "<table" << (*cls ? std::string(" class=\"") + cls + "\"" : "") << "><tr>";
    for (const auto& c : t.head) h << "<th>" << esc(c) << "</th>";
    h << "</tr>\n";
    for (const auto& row : t.rows) {
        h << "<tr>";
        for (const auto& c : row) {
            h << "<td";
            if (!c.key.empty()) h << " data-k=\"" << esc(c.key) << "\"";
            h << ">" << c.text << "</td>";
        }
        h << "</tr>\n";
    }
    h << "</table>\n";
    return h.str();
}

std::string md_table(const Table& t) {
    std::ostringstream m;
    m << "|";
    for (const auto& c : t.head) m << " " << md_esc(c) << " |";
    m << "\n|";
    for (std::size_t i = 0; i < t.head.size(); ++i) m << (i == 0 ? " --- |" : " ---: |");
    m << "\n";
    for (const auto& row : t.rows) {
        m << "|";
        for (const auto& c : row) m << " " << md_esc(plain(c.text)) << " |";
        m << "\n";
    }
    return m.str() + "\n";
}

// Cells hold HTML-escaped text (numbers are plain; names are escaped here).
Cell txt(const std::string& s) { return {esc(s), ""}; }

std::string tk(std::size_t i, const std::string& field) { return "technologies[" + std::to_string(i) + "]." + field; }

Table area_table(const ComparisonReport& r, Lang l) {
    Table t{{T(l, "item"), T(l, "value")}, {}};
    if (!r.run) return t;
    const auto& run = *r.run;
    const auto& tr_ = run.terrain;
    t.rows.push_back({txt(T(l, "scenario")), txt(run.scenario_name)});
    t.rows.push_back({txt(T(l, "terrain")), txt(tr_.source)});
    t.rows.push_back({txt(T(l, "grid")), {std::to_string(tr_.rows) + " x " + std::to_string(tr_.cols) + ", " +
                                              fmt(tr_.native_spacing_m, 1) + " m", ""}});
    t.rows.push_back({txt(T(l, "extent")), {fmt(tr_.bounds.south_deg, 4) + "&ndash;" + fmt(tr_.bounds.north_deg, 4) + " N, " +
                                                fmt(tr_.bounds.west_deg, 4) + "&ndash;" + fmt(tr_.bounds.east_deg, 4) + " E",
                                            ""}});
    if (!run.land_cover_source.empty()) {
        std::string lc;
        for (const auto& s : run.land_cover)
            lc += (lc.empty() ? "" : "; ") + esc(T(l, "lc." + s.category)) + " " + fmt(100.0 * s.share, 1) + " %";
        t.rows.push_back({txt(T(l, "land_cover")), {lc, ""}});
    }
    for (const char* kind : {"household", "facility", "iot"}) {
        std::size_t n = 0;
        for (const auto& d : run.demand) n += d.kind == kind ? 1 : 0;
        t.rows.push_back({txt(T(l, std::string("kind.") + kind)), {std::to_string(n), ""}});
    }
    t.rows.push_back({txt(T(l, "fibre_pops")), {std::to_string(run.fibre_pops.size()), ""}});
    return t;
}

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
    row(T(l, "battery_years"), [&](std::size_t i, const E& e) { return Cell{fmt(e.battery_years, 1), tk(i, "battery_years")}; });
    row(T(l, "backhaul_capex_jpy"), [&](std::size_t i, const E&) {
        return Cell{jpy(r.technologies[i].backhaul.capex_jpy), "backhaul[" + std::to_string(i) + "].capex_jpy"};
    });
    row(T(l, "fails"), [&](std::size_t, const E& e) { return txt(fails_text(e, l)); });
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
        t.head.push_back(tech.eval.name + " " + T(l, "capex"));
        t.head.push_back(tech.eval.name + " " + T(l, "opex"));
    }
    std::size_t years = 0;
    for (const auto& tech : r.technologies) years = std::max(years, tech.eval.costs.years.size());
    for (std::size_t y = 0; y < years; ++y) {
        std::vector<Cell> row{{std::to_string(y), ""}};
        for (std::size_t i = 0; i < r.technologies.size(); ++i) {
            const auto& ys = r.technologies[i].eval.costs.years;
            const std::string key = tk(i, "cash_flow[" + std::to_string(y) + "].");
            if (y < ys.size()) {
                row.push_back({jpy(ys[y].capex_jpy), key + "capex_jpy"});
                row.push_back({jpy(ys[y].opex_jpy), key + "opex_jpy"});
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
        s += (s.empty() ? "" : ", ") + t.chosen_sites[i];
        if (i < t.chosen_origins.size() && t.chosen_origins[i] != "given") s += " (" + T(l, "origin." + t.chosen_origins[i]) + ")";
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
        s += (l == Lang::ja ? "" : " ") + T(l, "mc.but_fails") + names;
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

inline constexpr const char* kCss =
    "body{font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',sans-serif;margin:2em;"
    "max-width:70em;color:#222}h1{font-size:1.6em}h2{border-bottom:2px solid #4e79a7;padding-bottom:.2em;"
    "margin-top:2em}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;"
    "padding:.25em .6em;text-align:right;vertical-align:top}th{background:#eef2f7}td:first-child,"
    "th:first-child{text-align:left}.note{color:#555;font-size:.9em}.maps{display:flex;flex-wrap:wrap;gap:1.5em}"
    ".maps figure{margin:0}.statement{font-size:1.15em;font-weight:bold}svg{max-width:100%;height:auto}"
    "code{font-size:.85em;word-break:break-all}";

}  // namespace

std::string base64(std::string_view bytes) {
    static constexpr char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += abc[v >> 18 & 63];
        out += abc[v >> 12 & 63];
        out += abc[v >> 6 & 63];
        out += abc[v & 63];
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += abc[v >> 18 & 63];
        out += abc[v >> 12 & 63];
        out += i + 1 < bytes.size() ? abc[v >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

namespace {

// The service maps' SINR image of a technology as a figure (embedded), or nothing.
std::string sinr_figure(const TechnologyReport& t, Lang l) {
    if (t.map.sinr_png.empty() || !std::filesystem::exists(t.map.sinr_png)) return {};
    std::ifstream in(t.map.sinr_png, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return "<figure><figcaption><b>" + esc(t.eval.name) + "</b> &ndash; SINR</figcaption>\n<img class=\"map\" alt=\"" +
           esc(t.eval.name) + " SINR\" src=\"data:image/png;base64," + base64(bytes) + "\"/>\n<p class=\"note\">" +
           esc(T(l, "map.sinr")) + "</p></figure>\n";
}

}  // namespace

std::string report_html(const ComparisonReport& r, Lang l) {
    std::ostringstream h;
    const std::string name = r.run ? r.run->scenario_name : std::string();
    h << "<!DOCTYPE html>\n<html lang=\"" << lang_code(l) << "\"><head><meta charset=\"utf-8\">\n<title>dxplan: "
      << esc(T(l, "title")) << (name.empty() ? "" : " &ndash; " + esc(name)) << "</title>\n<style>" << kCss
      << "</style></head><body>\n";
    h << "<h1>" << esc(T(l, "title")) << (name.empty() ? "" : ": " + esc(name)) << "</h1>\n";
    h << "<p class=\"note\">" << esc(T(l, "how_to_read")) << "</p>\n";

    if (r.run) h << "<h2 id=\"area\">1. " << esc(T(l, "sec.area")) << "</h2>\n" << html_table(area_table(r, l));

    h << "<h2 id=\"comparison\">2. " << esc(T(l, "sec.comparison")) << "</h2>\n"
      << recommendation_statement(r, l, true) << html_table(comparison_table(r, l), "comparison");
    if (r.monte_carlo) h << "<p class=\"statement\">" << esc(mc_statement(r, l)) << "</p>\n";
    if (r.budget_jpy > 0.0)
        h << "<h3 id=\"budget\">" << esc(budget_title(r, l)) << "</h3>\n<p class=\"note\">" << esc(T(l, "budget.note"))
          << "</p>\n" << html_table(budget_table(r, l));

    h << "<h2 id=\"maps\">3. " << esc(T(l, "sec.maps")) << "</h2>\n<div class=\"maps\">\n";
    for (const auto& t : r.technologies)
        h << "<figure><figcaption><b>" << esc(t.eval.name) << "</b> &ndash; " << esc(T(l, "sites")) << " "
          << t.eval.sites << (t.chosen_sites.empty() ? "" : ": " + esc(chosen_sites_text(t, l))) << "</figcaption>\n"
          << map_svg(r, t, l) << "</figure>\n" << sinr_figure(t, l);
    h << "</div>\n";
    h << "<h3>" << esc(T(l, "backhaul")) << "</h3>\n" << html_table(backhaul_table(r, l));

    h << "<h2 id=\"equipment\">4. " << esc(T(l, "sec.equipment")) << "</h2>\n";
    for (std::size_t i = 0; i < r.technologies.size(); ++i)
        h << "<h3>" << esc(r.technologies[i].eval.name) << "</h3>\n" << html_table(equipment_table(r, i, l));

    h << "<h2 id=\"costs\">5. " << esc(T(l, "sec.costs")) << "</h2>\n" << cashflow_chart(r, l)
      << html_table(cashflow_table(r, l));

    h << "<h2 id=\"effectiveness\">6. " << esc(T(l, "sec.effectiveness")) << "</h2>\n"
      << hbar_chart(per_household_rows(r), {{T(l, "cost_per_household_jpy"), "#4e79a7"},
                                            {T(l, "municipality_per_household_jpy"), "#f28e2b"}},
                    T(l, "chart.per_household"), l);

    if (!r.tornado.empty()) {
        h << "<h2 id=\"sensitivity\">7. " << esc(T(l, "sec.sensitivity")) << "</h2>\n";
        for (std::size_t i = 0; i < r.tornado.size(); ++i)
            h << tornado_chart(r, r.tornado[i], i, l) << "<details><summary>" << esc(r.tornado[i].name)
              << "</summary>\n" << html_table(tornado_table(r, i, l)) << "</details>\n";
    }
    if (r.monte_carlo) {
        const auto& m = *r.monte_carlo;
        h << "<h2 id=\"montecarlo\">8. " << esc(T(l, "sec.montecarlo")) << "</h2>\n<p>" << esc(T(l, "mc.draws")) << " "
          << m.draws << ", " << esc(T(l, "mc.seed")) << " " << m.seed << ", " << esc(T(l, "mc.distribution")) << " "
          << (m.distribution == econ::PriceDistribution::uniform ? "uniform" : "triangular") << ", "
          << esc(T(l, "mc.sigma")) << " " << fmt(m.shadow_sigma_db, 2) << "</p>\n"
          << histogram_chart(m, l);
        std::vector<HBarRow> rows;
        for (const auto& t : m.technologies) rows.push_back({t.name, {t.cheapest_share}});
        h << hbar_chart(rows, {{T(l, "mc.cheapest_share"), "#4e79a7"}}, T(l, "chart.ranking"), l, 1.0, true)
          << html_table(mc_table(r, l));
    }

    h << route_sections_html(r.routes, l, "8b");  // report_route.cpp (numbered with the section before it)
    h << "<h2 id=\"assumptions\">9. " << esc(T(l, "sec.assumptions")) << "</h2>\n" << html_table(assumptions_table(r, l))
      << notes_html(r, l) << "<h3>" << esc(T(l, "catalogue")) << " " << esc(r.catalogue_version) << "</h3>\n<p class=\"note\">"
      << esc(T(l, "status.note")) << "</p>\n" << html_table(catalogue_table(r, l));
    h << "<h2 id=\"provenance\">10. " << esc(T(l, "sec.provenance")) << "</h2>\n" << html_table(provenance_table(r, l));
    h << "</body></html>\n";
    return h.str();
}

std::string report_markdown(const ComparisonReport& r, Lang l) {
    std::ostringstream m;
    const std::string name = r.run ? r.run->scenario_name : std::string();
    m << "# " << T(l, "title") << (name.empty() ? "" : ": " + name) << "\n\n" << T(l, "how_to_read")
      << (l == Lang::ja ? "" : " ") << T(l, "md.charts") << "\n\n";
    if (r.run) m << "## 1. " << T(l, "sec.area") << "\n\n" << md_table(area_table(r, l));
    m << "## 2. " << T(l, "sec.comparison") << "\n\n" << recommendation_statement(r, l, false) << md_table(comparison_table(r, l));
    if (r.monte_carlo) m << "**" << mc_statement(r, l) << "**\n\n";
    if (r.budget_jpy > 0.0)
        m << "### " << budget_title(r, l) << "\n\n" << T(l, "budget.note") << "\n\n" << md_table(budget_table(r, l));
    // Maps: the coverage images written next to report.md (the HTML draws the sites and links over them).
    m << "## 3. " << T(l, "sec.maps") << "\n\n";
    for (const auto& t : r.technologies) {
        m << "**" << t.eval.name << "** – " << T(l, "sites") << " " << t.eval.sites
          << (t.chosen_sites.empty() ? "" : ": " + chosen_sites_text(t, l)) << "\n\n";
        if (!t.map.png.empty()) m << "![" << t.eval.name << "](" << t.map.png.filename().string() << ")\n\n";
        if (!t.map.sinr_png.empty())
            m << "![" << t.eval.name << " SINR](" << t.map.sinr_png.filename().string() << ")\n" << T(l, "map.sinr") << "\n\n";
    }
    m << "### " << T(l, "backhaul") << "\n\n" << md_table(backhaul_table(r, l));
    m << "## 4. " << T(l, "sec.equipment") << "\n\n";
    for (std::size_t i = 0; i < r.technologies.size(); ++i)
        m << "### " << r.technologies[i].eval.name << "\n\n" << md_table(equipment_table(r, i, l));
    m << "## 5. " << T(l, "sec.costs") << "\n\n" << md_table(cashflow_table(r, l));
    Table eff;
    eff.head = {T(l, "technology"), T(l, "cost_per_household_jpy"), T(l, "municipality_per_household_jpy")};
    for (const HBarRow& row : per_household_rows(r))
        eff.rows.push_back({{row.label, ""}, {fmt(row.values[0], 0), ""}, {fmt(row.values[1], 0), ""}});
    m << "## 6. " << T(l, "sec.effectiveness") << "\n\n" << md_table(eff);
    if (!r.tornado.empty()) {
        m << "## 7. " << T(l, "sec.sensitivity") << "\n\n";
        for (std::size_t i = 0; i < r.tornado.size(); ++i) m << "### " << r.tornado[i].name << "\n\n" << md_table(tornado_table(r, i, l));
    }
    if (r.monte_carlo) m << "## 8. " << T(l, "sec.montecarlo") << "\n\n" << md_table(mc_table(r, l));
    m << route_sections_markdown(r.routes, l, "8b");  // report_route.cpp
    m << "## 9. " << T(l, "sec.assumptions") << "\n\n" << md_table(assumptions_table(r, l));
    for (const auto& k : r.note_keys) m << "- " << T(l, k) << "\n";
    m << "\n" << T(l, "status.note")
      << "\n\n" << md_table(catalogue_table(r, l));
    std::string prov = md_table(provenance_table(r, l));
    for (const std::string tag : {"<code>", "</code>"})
        for (auto p = prov.find(tag); p != std::string::npos; p = prov.find(tag)) prov.replace(p, tag.size(), "`");
    m << "## 10. " << T(l, "sec.provenance") << "\n\n" << prov;
    return m.str();
}

void write_reports(const std::filesystem::path& dir, const ComparisonReport& r, Lang lang) {
    write_text_atomically(dir / "report.html", report_html(r, lang));
    write_text_atomically(dir / "report.md", report_markdown(r, lang));
}

}  // namespace dxplan::output
