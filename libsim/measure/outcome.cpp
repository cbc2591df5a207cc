// Before/after outcome evaluation (see outcome.hpp).
#include "libsim/measure/outcome.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "libsim/core/error.hpp"
#include "libsim/core/text.hpp"
#include "libsim/measure/csv_table.hpp"

namespace dxplan::measure {

namespace fs = std::filesystem;

namespace {

bool is_key_column(const std::string& c) { return c == "id" || c == "group"; }

// One group's values of one indicator, with the row key (id, or row number) and the line for each.
struct Column {
    std::vector<std::string> keys;
    std::vector<std::optional<double>> values;
    std::vector<std::size_t> lines;
    std::string file;
};

Column read_column(const CsvTable& t, const std::vector<const CsvRow*>& rows, std::size_t col) {
    Column c;
    c.file = t.file.string();
    const auto id = t.column("id");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        c.keys.push_back(id ? rows[i]->cells[*id] : "#" + std::to_string(i + 1));
        c.values.push_back(cell_number(t, *rows[i], col));  // text: InputError naming file, line, column
        c.lines.push_back(rows[i]->line);
    }
    return c;
}

void require_rows(const CsvTable& t, std::size_t n, const std::string& what) {
    if (n < 2)
        throw InputError(t.file.string() + ": " + std::to_string(n) + " data row(s)" + what +
                         ": at least 2 are needed for a rank test");
}

std::string fmt(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4g", v);
    return b;
}

std::string fmt_p(double p) {
    if (p < 0.001) return "< 0.001";
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", p);
    return b;
}

std::string display_name(std::string n) {
    std::replace(n.begin(), n.end(), '_', ' ');
    return n;
}

void write_summaries(IndicatorResult& r, double alpha, bool holm) {
    const std::string name = display_name(r.name);
    const double a = r.median_before, b = r.median_after;
    const std::string verb_en = b > a ? "rose" : (b < a ? "fell" : "stayed");
    const std::string pv = fmt_p(holm ? r.p_holm : r.p_value);
    const std::string p = (pv[0] == '<' ? "p " : "p = ") + pv + (holm ? ", Holm-adjusted" : "");
    r.summary_en = name + " " + verb_en + (b == a ? " at a median of " + fmt(a) : " from a median of " + fmt(a) + " to " + fmt(b)) +
                   " (" + p + "; " + (r.significant ? "significant" : "not significant") + " at alpha = " + fmt(alpha) + ")";
    const std::string verb_ja = b > a ? "増加しました" : (b < a ? "減少しました" : "変わりませんでした");
    const std::string p_ja = (pv[0] == '<' ? "p " : "p = ") + pv + (holm ? "、Holm 補正後" : "");
    r.summary_ja = name + " は中央値 " + fmt(a) + (b == a ? " のまま" : " から " + fmt(b) + " に") + verb_ja + "（" + p_ja +
                   "、有意水準 " + fmt(alpha) + " で" + (r.significant ? "有意" : "有意ではない") + "）";
}

// Runs the test of one indicator on its two columns (excluded cells noted in `notes`).
IndicatorResult test_indicator(const std::string& name, const Column& before, const Column& after,
                               const OutcomeOptions& o, std::vector<CellNote>& notes) {
    IndicatorResult r;
    r.name = name;
    auto note = [&](const Column& c, std::size_t i) {
        notes.push_back({c.file, c.lines[i], name, "missing value: excluded"});
    };
    if (o.paired) {
        std::map<std::string, std::size_t> idx;
        for (std::size_t i = 0; i < after.keys.size(); ++i) idx[after.keys[i]] = i;
        if (before.keys.size() != after.keys.size())
            throw InputError(after.file + ": " + std::to_string(after.keys.size()) + " rows, " + before.file + " has " +
                             std::to_string(before.keys.size()) + ": --paired needs one row per unit in each file");
        for (std::size_t i = 0; i < before.keys.size(); ++i) {
            const auto it = idx.find(before.keys[i]);
            if (it == idx.end())
                throw InputError(before.file + ":" + std::to_string(before.lines[i]) + ", column id = " + before.keys[i] +
                                 ": no row with this id in " + after.file + " (--paired)");
            const std::size_t j = it->second;
            if (!before.values[i]) note(before, i);
            if (!after.values[j]) note(after, j);
            if (!before.values[i] || !after.values[j]) continue;
            r.before.push_back(*before.values[i]);
            r.after.push_back(*after.values[j]);
        }
    } else {
        for (std::size_t i = 0; i < before.values.size(); ++i)
            before.values[i] ? r.before.push_back(*before.values[i]) : note(before, i);
        for (std::size_t i = 0; i < after.values.size(); ++i)
            after.values[i] ? r.after.push_back(*after.values[i]) : note(after, i);
    }
    for (const Column* c : {&before, &after}) {
        const std::size_t n = c == &before ? r.before.size() : r.after.size();
        if (n < 2)
            throw InputError(c->file + ", column " + name + ": " + std::to_string(n) +
                             " value(s) after excluding missing cells: at least 2 are needed");
    }
    try {
        if (o.paired) {
            const stats::SignedRankResult s = stats::signed_rank(r.after, r.before, o.alternative, o.alpha);
            r.test = "wilcoxon-signed-rank";
            r.statistic = s.w_plus, r.z = s.z, r.p_value = s.p_value, r.method = std::string(stats::to_string(s.method));
            r.ties = s.ties, r.shift = s.shift, r.rank_biserial = s.rank_biserial;
        } else {
            const stats::MannWhitneyResult s = stats::mann_whitney(r.after, r.before, o.alternative, o.alpha);
            r.test = "mann-whitney";
            r.statistic = s.u_x, r.z = s.z, r.p_value = s.p_value, r.method = std::string(stats::to_string(s.method));
            r.ties = s.ties, r.shift = s.shift, r.rank_biserial = s.rank_biserial;
        }
    } catch (const InputError& e) {
        throw InputError(before.file + " and " + after.file + ", column " + name + ": " + e.what());
    }
    r.median_before = stats::median(r.before);
    r.median_after = stats::median(r.after);
    return r;
}

std::vector<const CsvRow*> all_rows(const CsvTable& t) {
    std::vector<const CsvRow*> v;
    for (const CsvRow& r : t.rows) v.push_back(&r);
    return v;
}

OutcomeResult finish(OutcomeResult res) {
    std::vector<double> p;
    for (const auto& i : res.indicators) p.push_back(i.p_value);
    const std::vector<double> adj = stats::holm_adjust(p);
    for (std::size_t k = 0; k < res.indicators.size(); ++k) {
        res.indicators[k].p_holm = adj[k];
        res.indicators[k].significant = adj[k] < res.options.alpha;
        write_summaries(res.indicators[k], res.options.alpha, res.indicators.size() > 1);
    }
    return res;
}

OutcomeResult evaluate_tables(const CsvTable& tb, const std::vector<const CsvRow*>& rb, const CsvTable& ta,
                              const std::vector<const CsvRow*>& ra, const OutcomeOptions& o) {
    if (!(o.alpha > 0.0 && o.alpha < 1.0)) throw InputError("--alpha: must be in (0, 1)");
    require_rows(tb, rb.size(), tb.file == ta.file ? " in group before" : "");
    require_rows(ta, ra.size(), tb.file == ta.file ? " in group after" : "");
    OutcomeResult res;
    res.before_file = tb.file.filename().string();  // no absolute paths in outputs
    res.after_file = ta.file.filename().string();
    res.options = o;
    for (std::size_t cb = 0; cb < tb.header.size(); ++cb) {
        const std::string& name = tb.header[cb];
        const auto ca = ta.column(name);
        if (is_key_column(name) || !ca) continue;
        res.indicators.push_back(test_indicator(name, read_column(tb, rb, cb), read_column(ta, ra, *ca), o, res.excluded));
    }
    if (res.indicators.empty())
        throw InputError(ta.file.string() + ":1: no indicator column in common with " + tb.file.string() +
                         " (columns other than id and group, with the same name in both files)");
    return finish(std::move(res));
}

}  // namespace

OutcomeResult evaluate_outcome(const fs::path& before, const fs::path& after, const OutcomeOptions& options) {
    const CsvTable tb = read_csv_table(before);
    const CsvTable ta = read_csv_table(after);
    return evaluate_tables(tb, all_rows(tb), ta, all_rows(ta), options);
}

OutcomeResult evaluate_outcome_grouped(const fs::path& file, const OutcomeOptions& options) {
    const CsvTable t = read_csv_table(file);
    const auto g = t.column("group");
    if (!g) throw InputError(file.string() + ":1: column group is missing (values before / after), or give two files");
    std::vector<const CsvRow*> rb, ra;
    for (const CsvRow& r : t.rows) {
        const std::string& v = r.cells[*g];
        if (v == "before") rb.push_back(&r);
        else if (v == "after") ra.push_back(&r);
        else throw InputError(t.where(r, *g) + ": '" + v + "': must be before or after");
    }
    return evaluate_tables(t, rb, t, ra, options);
}

std::string outcome_json(const OutcomeResult& r) {
    nlohmann::ordered_json j;
    j["before_file"] = r.before_file;
    j["after_file"] = r.after_file;
    j["paired"] = r.options.paired;
    j["alternative"] = std::string(stats::to_string(r.options.alternative));
    j["alpha"] = r.options.alpha;
    auto num = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); };
    nlohmann::ordered_json inds = nlohmann::ordered_json::array();
    for (const auto& i : r.indicators) {
        nlohmann::ordered_json x;
        x["name"] = i.name;
        x["test"] = i.test;
        x["method"] = i.method;
        x["n_before"] = i.before.size();
        x["n_after"] = i.after.size();
        x["median_before"] = i.median_before;
        x["median_after"] = i.median_after;
        x["statistic"] = i.statistic;
        x["z"] = i.z;
        x["ties"] = i.ties;
        x["p_value"] = i.p_value;
        x["p_holm"] = i.p_holm;
        x["significant"] = i.significant;
        x["shift_hodges_lehmann"] = i.shift.estimate;
        x["shift_ci"] = {num(i.shift.ci_low), num(i.shift.ci_high)};
        x["shift_ci_level"] = i.shift.ci_level;
        x["rank_biserial"] = i.rank_biserial;
        x["summary_en"] = i.summary_en;
        x["summary_ja"] = i.summary_ja;
        inds.push_back(std::move(x));
    }
    j["indicators"] = std::move(inds);
    nlohmann::ordered_json ex = nlohmann::ordered_json::array();
    for (const auto& e : r.excluded) ex.push_back({{"file", e.file}, {"line", e.line}, {"column", e.column}, {"message", e.message}});
    j["excluded_cells"] = std::move(ex);
    return j.dump(2);
}

namespace {

double quantile(std::vector<double> v, double q) {  // linear interpolation between order statistics (type 7)
    std::sort(v.begin(), v.end());
    const double h = (static_cast<double>(v.size()) - 1.0) * q;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

std::string box_strip_svg(const IndicatorResult& ind, const std::string& lang) {
    const double w = 360, h = 240, left = 50, right = 20, top = 30, bottom = 30;
    double lo = ind.before.front(), hi = lo;
    for (const auto* v : {&ind.before, &ind.after})
        for (double x : *v) lo = std::min(lo, x), hi = std::max(hi, x);
    if (hi == lo) hi = lo + 1.0;
    const double pad = 0.05 * (hi - lo);
    lo -= pad, hi += pad;
    auto y = [&](double v) { return top + (h - top - bottom) * (hi - v) / (hi - lo); };
    std::ostringstream o;
    o.precision(5);
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w << " " << h
      << "\" font-family=\"sans-serif\" font-size=\"11\">\n";
    o << "<text x=\"" << w / 2 << "\" y=\"16\" text-anchor=\"middle\" font-weight=\"bold\">" << xml_escape(display_name(ind.name))
      << "</text>\n";
    o << "<line x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left << "\" y2=\"" << h - bottom << "\" stroke=\"#444\"/>\n";
    for (int t = 0; t <= 4; ++t) {
        const double v = lo + (hi - lo) * t / 4.0;
        o << "<text x=\"" << left - 4 << "\" y=\"" << y(v) + 4 << "\" text-anchor=\"end\">" << fmt(v) << "</text>\n";
    }
    const std::string labels[2] = {lang == "ja" ? "導入前" : "before", lang == "ja" ? "導入後" : "after"};
    const std::string colours[2] = {"#7f7f7f", "#1f77b4"};
    const double plot_w = w - left - right;
    for (int g = 0; g < 2; ++g) {
        const std::vector<double>& v = g == 0 ? ind.before : ind.after;
        const double cx = left + plot_w * (g == 0 ? 0.3 : 0.7);
        const double q1 = quantile(v, 0.25), q2 = quantile(v, 0.5), q3 = quantile(v, 0.75);
        const double vmin = *std::min_element(v.begin(), v.end()), vmax = *std::max_element(v.begin(), v.end());
        o << "<line x1=\"" << cx << "\" y1=\"" << y(vmin) << "\" x2=\"" << cx << "\" y2=\"" << y(vmax) << "\" stroke=\"" << colours[g] << "\"/>\n";
        o << "<rect x=\"" << cx - 30 << "\" y=\"" << y(q3) << "\" width=\"60\" height=\"" << std::max(1.0, y(q1) - y(q3))
          << "\" fill=\"" << colours[g] << "\" fill-opacity=\"0.25\" stroke=\"" << colours[g] << "\"/>\n";
        o << "<line x1=\"" << cx - 30 << "\" y1=\"" << y(q2) << "\" x2=\"" << cx + 30 << "\" y2=\"" << y(q2) << "\" stroke=\"" << colours[g]
          << "\" stroke-width=\"2\"/>\n";
        for (std::size_t i = 0; i < v.size(); ++i) {  // deterministic jitter: golden-ratio sequence
            const double jitter = (std::fmod(static_cast<double>(i) * 0.6180339887, 1.0) - 0.5) * 40.0;
            o << "<circle cx=\"" << cx + jitter << "\" cy=\"" << y(v[i]) << "\" r=\"2.5\" fill=\"" << colours[g] << "\"/>\n";
        }
        o << "<text x=\"" << cx << "\" y=\"" << h - 10 << "\" text-anchor=\"middle\">" << labels[g] << " (n = " << v.size() << ")</text>\n";
    }
    o << "</svg>\n";
    return o.str();
}

}  // namespace dxplan::measure
