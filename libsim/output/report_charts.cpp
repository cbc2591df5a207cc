// Comparison report: charts (cash flow by year, tornado, Monte Carlo histogram) as inline SVG.
#include "libsim/output/report_parts.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace dxplan::output::detail {

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
        // The name shortened by characters so that the value range always shows in full.
        const std::string range =
            " (" + parameter_value(b.parameter, b.low_value) + " – " + parameter_value(b.parameter, b.high_value) + ")";
        constexpr std::size_t kLabelWidth = 54;  // about 290 px at 11 px text
        const std::size_t room = kLabelWidth > display_width(range) + 8 ? kLabelWidth - display_width(range) : 8;
        const std::string label = shorten(parameter_name(r, b.parameter, l), room) + range;
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

}  // namespace dxplan::output::detail
