// Comparison report: SVG primitives and the horizontal bar chart.
#include "libsim/output/report_parts.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <sstream>

namespace dxplan::output::detail {

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

std::string text(double x, double y, const std::string& s, const char* anchor, int size) {
    std::ostringstream o;
    o << "<text x=\"" << fmt(x, 1, false) << "\" y=\"" << fmt(y, 1, false) << "\" text-anchor=\"" << anchor
      << "\" font-size=\"" << size << "\">" << esc(s) << "</text>\n";
    return o.str();
}

std::string rect(double x, double y, double w, double h, const char* fill, double opacity) {
    std::ostringstream o;
    o << "<rect x=\"" << fmt(x, 1, false) << "\" y=\"" << fmt(y, 1, false) << "\" width=\""
      << fmt(std::max(0.0, w), 1, false) << "\" height=\"" << fmt(std::max(0.0, h), 1, false) << "\" fill=\"" << fill
      << "\"" << (opacity < 1.0 ? " fill-opacity=\"" + fmt(opacity, 2, false) + "\"" : "") << "/>\n";
    return o.str();
}

std::string line(double x1, double y1, double x2, double y2, const char* stroke, double width) {
    std::ostringstream o;
    o << "<line x1=\"" << fmt(x1, 1, false) << "\" y1=\"" << fmt(y1, 1, false) << "\" x2=\"" << fmt(x2, 1, false)
      << "\" y2=\"" << fmt(y2, 1, false) << "\" stroke=\"" << stroke << "\" stroke-width=\"" << fmt(width, 1, false)
      << "\"/>\n";
    return o.str();
}

// Horizontal bars: rows of (label, values per series), each series its own colour; x axis in M JPY.
std::string hbar_chart(const std::vector<HBarRow>& rows, const std::vector<std::pair<std::string, const char*>>& series,
                       const std::string& title, Lang l, double max_fixed, bool percent) {
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

}  // namespace dxplan::output::detail
