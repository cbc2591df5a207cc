// Comparison report: numbers and text (one rounding for the tables and summary.json), names, failure phrases,
// and tables written as HTML and Markdown.
#include "libsim/output/report_parts.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "libsim/core/text.hpp"

namespace dxplan::output::detail {

double round_to(double v, int digits) {
    const double s = std::pow(10.0, digits);
    return std::round(v * s) / s;
}

// Text of a number with `digits` decimals and thousands separators; "–" when not finite.
std::string fmt(double v, int digits, bool group) {
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

// Markdown text: user text never becomes markup. '<', '>' and '&' as HTML entities (Markdown renderers pass raw
// HTML through: a scenario name "<script>" must stay text; issue 15), '|' escaped for tables, newlines as spaces.
std::string md_esc(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (c == '|') o += "\\|";
        else if (c == '\n' || c == '\r') o += ' ';
        else if (c == '<') o += "&lt;";
        else if (c == '>') o += "&gt;";
        else if (c == '&') o += "&amp;";
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

std::size_t display_width(std::string_view s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = std::max<std::size_t>(1, utf8_sequence_length(s, i));
        w += n == 1 ? 1 : 2;
        i += n;
    }
    return w;
}

std::string shorten(std::string_view s, std::size_t max_width) {
    if (display_width(s) <= max_width) return std::string(s);
    const std::string_view ellipsis = "\u2026";  // …, counted two wide like any non-ASCII character
    std::size_t w = 0, i = 0;
    while (i < s.size()) {
        const std::size_t n = std::max<std::size_t>(1, utf8_sequence_length(s, i));
        const std::size_t cw = n == 1 ? 1 : 2;
        if (w + cw + 2 > max_width) break;
        w += cw;
        i += n;
    }
    return std::string(s.substr(0, i)) + std::string(ellipsis);
}

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
    for (const auto& f : e.fails)
        v.push_back(std::string(econ::to_string(f.requirement)) + (f.kind ? ":" + std::string(to_string(*f.kind)) : ""));
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
        case R::payload: return "ペイロード " + num(f.value, 0) + " バイト > 1メッセージの上限 " + num(f.limit, 0) + " バイト";
    }
    return f.reason;
}

std::string fails_text(const econ::TechnologyEvaluation& e, Lang l) {
    if (e.fails.empty()) return T(l, "none");
    std::string s;
    for (const auto& f : e.fails) {
        if (!s.empty()) s += l == Lang::ja ? "、" : "; ";
        const std::string reason = fail_reason(f, l);
        s += T(l, "req." + std::string(econ::to_string(f.requirement))) +
             (l == Lang::ja ? "（" + reason + "）" : " (" + reason + ")");
    }
    return s;
}

// A demand kind's name; a kind without a phrase (added by a later layer) shows as written in the scenario.
std::string kind_name(const std::string& kind, Lang l) {
    try {
        return T(l, "kind." + kind);
    } catch (const std::out_of_range&) {
        return kind;
    }
}

std::string fails_text(const TechnologyReport& t, Lang l) {
    if (t.member_evals.empty()) return fails_text(t.eval, l);
    std::string s;
    for (std::size_t m = 0; m < t.member_evals.size(); ++m) {
        const auto& e = t.member_evals[m];
        if (e.fails.empty()) continue;
        std::string kinds;
        if (m < t.member_kinds.size())
            for (const auto& k : t.member_kinds[m])
                kinds += (kinds.empty() ? "" : (l == Lang::ja ? "・" : ", ")) + kind_name(k, l);
        const std::string who = (m < t.mix_members.size() ? t.mix_members[m] : e.name) +
                                (kinds.empty() ? "" : (l == Lang::ja ? "（" + kinds + "）" : " (" + kinds + ")"));
        s += (s.empty() ? "" : (l == Lang::ja ? "。" : "; ")) + who + (l == Lang::ja ? "：" : ": ") + fails_text(e, l);
    }
    return s.empty() ? fails_text(t.eval, l) : s;
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


std::string html_table(const Table& t, const char* cls) {
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

}  // namespace dxplan::output::detail
