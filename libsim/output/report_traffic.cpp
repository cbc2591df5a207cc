// The "Many terminals" report section (see report_traffic.hpp).
#include "libsim/output/report_traffic.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

namespace dxplan::output {

namespace {

const char* kColours[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f"};

std::string esc(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '&') o += "&amp;";
        else if (c == '<') o += "&lt;";
        else if (c == '>') o += "&gt;";
        else if (c == '"') o += "&quot;";
        else o += c;
    }
    return o;
}

std::string f(double v, int digits) {
    if (std::isnan(v)) return "–";
    if (!std::isfinite(v)) return "∞";
    char b[48];
    std::snprintf(b, sizeof b, "%.*f", digits, v);
    return b;
}

const char* tr(Lang l, const char* en, const char* ja) { return l == Lang::ja ? ja : en; }

struct Table {
    std::vector<std::string> head;
    std::vector<std::vector<std::string>> rows;
};

Table load_table(const ManyTerminalsSection& s, Lang l) {
    Table t{{tr(l, "technology", "技術"), tr(l, "traffic", "トラフィック"), tr(l, "cells", "セル数"),
             tr(l, "terminals in the busiest cell (busy hour)", "最繁セルの端末数（最繁時）"),
             tr(l, "delivery ratio (worst cell)", "到達率（最悪セル）"), tr(l, "p99 delay ms (worst cell)", "99%遅延 ms（最悪セル）"),
             tr(l, "headroom, terminals per cell", "余裕（端末数/セル）"), tr(l, "target met", "目標達成")},
            {}};
    for (const auto& r : s.technologies)
        t.rows.push_back({r.technology, r.traffic, std::to_string(r.cells), f(r.busiest_cell_terminals, 1), f(r.delivery_ratio, 4),
                          f(r.delay_p99_ms, 1), f(r.headroom_terminals, 0), r.meets_target ? tr(l, "yes", "はい") : tr(l, "no", "いいえ")});
    return t;
}

Table edge_table(const ManyTerminalsSection& s, Lang l) {
    const bool scen = std::any_of(s.edge.begin(), s.edge.end(), [](const EdgeComparisonRow& r) { return std::isfinite(r.cameras_total); });
    Table t{{tr(l, "technology", "技術"), tr(l, "processing", "処理"), tr(l, "uplink kbit/s per camera", "カメラ1台の上り kbit/s"),
             tr(l, "cameras per cell", "カメラ台数/セル"), tr(l, "delivery ratio", "到達率"), tr(l, "p99 delay ms", "99%遅延 ms"),
             tr(l, "target met", "目標達成"), tr(l, "max cameras per cell", "最大台数/セル")},
            {}};
    if (scen)
        for (const auto& [en, ja] : {std::pair{"cameras", "カメラ台数"}, std::pair{"busiest cell uplink Mbit/s", "最繁セルの上り Mbps"},
                                     std::pair{"edge computers NPV JPY", "エッジ計算機の現在費用（円）"},
                                     std::pair{"network NPV JPY", "ネットワークの正味現在費用（円）"}})
            t.head.push_back(tr(l, en, ja));
    for (const auto& r : s.edge) {
        t.rows.push_back({r.technology, r.processing == "edge" ? tr(l, "edge AI", "エッジAI") : tr(l, "raw video", "映像そのまま"),
                          f(r.uplink_kbps_per_terminal, 1), f(r.cameras, 0), f(r.delivery_ratio, 4), f(r.delay_p99_ms, 1),
                          r.meets_target ? tr(l, "yes", "はい") : tr(l, "no", "いいえ"), f(r.max_terminals, 0)});
        if (scen)
            for (const auto& c : {f(r.cameras_total, 0), f(r.uplink_mbps_busiest_cell, 3), f(r.edge_computers_npv_jpy, 0), f(r.npv_jpy, 0)})
                t.rows.back().push_back(c);
    }
    return t;
}

std::string html_table(const Table& t) {
    std::ostringstream h;
    h << "<table><thead><tr>";
    for (const auto& c : t.head) h << "<th>" << esc(c) << "</th>";
    h << "</tr></thead><tbody>\n";
    for (const auto& r : t.rows) {
        h << "<tr>";
        for (const auto& c : r) h << "<td>" << esc(c) << "</td>";
        h << "</tr>\n";
    }
    h << "</tbody></table>\n";
    return h.str();
}

std::string md_table(const Table& t) {
    std::ostringstream m;
    m << "|";
    for (const auto& c : t.head) m << " " << c << " |";
    m << "\n|";
    for (std::size_t i = 0; i < t.head.size(); ++i) m << "---|";
    m << "\n";
    for (const auto& r : t.rows) {
        m << "|";
        for (const auto& c : r) m << " " << c << " |";
        m << "\n";
    }
    return m.str() + "\n";
}

// One chart: x = terminals per cell (log), y = delivery (linear 0..1) or p99 delay (log ms); one line per technology.
std::string curve_svg(const ManyTerminalsSection& s, bool delay, Lang l) {
    const double w = 420, h = 260, x0 = 56, x1 = w - 12, y0 = h - 36, y1 = 14;
    double nmin = 1e300, nmax = 0, dmin = 1e300, dmax = 0;
    for (const auto& t : s.technologies)
        for (const auto& p : t.curve) {
            nmin = std::min(nmin, p.terminals), nmax = std::max(nmax, p.terminals);
            if (std::isfinite(p.delay_p99_ms) && p.delay_p99_ms > 0) dmin = std::min(dmin, p.delay_p99_ms), dmax = std::max(dmax, p.delay_p99_ms);
        }
    if (!(nmax > nmin)) return "";
    if (!(dmax > 0)) dmin = 1, dmax = 10;
    const double lmin = std::floor(std::log10(dmin)), lmax = std::max(lmin + 1, std::ceil(std::log10(dmax)));
    const auto X = [&](double n) { return x0 + (std::log10(n) - std::log10(nmin)) / (std::log10(nmax) - std::log10(nmin)) * (x1 - x0); };
    const auto Y = [&](double v) {
        const double fr = delay ? (std::log10(v) - lmin) / (lmax - lmin) : v;
        return y0 - std::clamp(fr, 0.0, 1.0) * (y0 - y1);
    };
    std::ostringstream o;
    o << "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w
      << " " << h << "\" role=\"img\" aria-label=\""
      << esc(delay ? tr(l, "p99 delay against terminals per cell", "セルあたり端末数と99%遅延") : tr(l, "delivery ratio against terminals per cell", "セルあたり端末数と到達率"))
      << "\" font-family=\"sans-serif\" font-size=\"11\">\n";
    for (double p = std::pow(10.0, std::ceil(std::log10(nmin))); p <= nmax * 1.0001; p *= 10)
        o << "<line x1=\"" << f(X(p), 1) << "\" y1=\"" << y0 << "\" x2=\"" << f(X(p), 1) << "\" y2=\"" << y1 << "\" stroke=\"#ddd\"/>"
          << "<text x=\"" << f(X(p), 1) << "\" y=\"" << y0 + 14 << "\" text-anchor=\"middle\">" << f(p, 0) << "</text>\n";
    if (delay)
        for (double e = lmin; e <= lmax; e += 1)
            o << "<line x1=\"" << x0 << "\" y1=\"" << f(Y(std::pow(10, e)), 1) << "\" x2=\"" << x1 << "\" y2=\"" << f(Y(std::pow(10, e)), 1)
              << "\" stroke=\"#ddd\"/><text x=\"" << x0 - 4 << "\" y=\"" << f(Y(std::pow(10, e)) + 4, 1) << "\" text-anchor=\"end\">"
              << f(std::pow(10, e), e < 0 ? 2 : 0) << "</text>\n";
    else
        for (double v = 0; v <= 1.0001; v += 0.25)
            o << "<line x1=\"" << x0 << "\" y1=\"" << f(Y(v), 1) << "\" x2=\"" << x1 << "\" y2=\"" << f(Y(v), 1) << "\" stroke=\"#ddd\"/><text x=\""
              << x0 - 4 << "\" y=\"" << f(Y(v) + 4, 1) << "\" text-anchor=\"end\">" << f(v, 2) << "</text>\n";
    o << "<text x=\"" << (x0 + x1) / 2 << "\" y=\"" << h - 4 << "\" text-anchor=\"middle\">"
      << esc(tr(l, "terminals per cell", "セルあたり端末数")) << "</text>\n";
    o << "<text x=\"12\" y=\"" << (y0 + y1) / 2 << "\" transform=\"rotate(-90 12 " << (y0 + y1) / 2 << ")\" text-anchor=\"middle\">"
      << esc(delay ? tr(l, "p99 delay (ms)", "99%遅延 (ms)") : tr(l, "delivery ratio", "到達率")) << "</text>\n";
    for (std::size_t i = 0; i < s.technologies.size(); ++i) {
        std::ostringstream pts;
        bool any = false;
        for (const auto& p : s.technologies[i].curve) {
            const double v = delay ? p.delay_p99_ms : p.delivery_ratio;
            if (!std::isfinite(v) || (delay && v <= 0)) continue;
            pts << f(X(p.terminals), 1) << "," << f(Y(v), 1) << " ";
            any = true;
        }
        if (any)
            o << "<polyline fill=\"none\" stroke=\"" << kColours[i % 8] << "\" stroke-width=\"2\" points=\"" << pts.str() << "\"><title>"
              << esc(s.technologies[i].technology) << "</title></polyline>\n";
    }
    o << "</svg>\n";
    return o.str();
}

std::string legend_html(const ManyTerminalsSection& s) {
    std::ostringstream o;
    o << "<p class=\"note\">";
    for (std::size_t i = 0; i < s.technologies.size(); ++i)
        o << "<span style=\"color:" << kColours[i % 8] << "\">&#9632;</span> " << esc(s.technologies[i].technology) << "&nbsp;&nbsp;";
    o << "</p>\n";
    return o.str();
}

// Uplink load per camera, raw vs edge, as horizontal bars (log scale kbit/s).
std::string edge_svg(const ManyTerminalsSection& s, Lang l) {
    if (s.edge.empty()) return "";
    const double w = 560, row = 22, x0 = 200, x1 = w - 60;
    const double h = 30 + row * static_cast<double>(s.edge.size());
    double vmax = 1;
    for (const auto& r : s.edge) vmax = std::max(vmax, r.uplink_kbps_per_terminal);
    const double lmax = std::ceil(std::log10(vmax)), lmin = lmax - 5;
    const auto X = [&](double v) { return x0 + std::clamp((std::log10(std::max(v, 1e-9)) - lmin) / (lmax - lmin), 0.0, 1.0) * (x1 - x0); };
    std::ostringstream o;
    o << "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w << " " << h
      << "\" role=\"img\" aria-label=\"" << esc(tr(l, "uplink load per camera, raw vs edge", "カメラ1台の上り負荷（映像そのまま/エッジAI）"))
      << "\" font-family=\"sans-serif\" font-size=\"11\">\n";
    for (std::size_t i = 0; i < s.edge.size(); ++i) {
        const auto& r = s.edge[i];
        const double y = 8 + row * static_cast<double>(i);
        o << "<text x=\"" << x0 - 6 << "\" y=\"" << y + 13 << "\" text-anchor=\"end\">" << esc(r.technology) << " "
          << esc(r.processing == "edge" ? tr(l, "edge", "エッジ") : tr(l, "raw", "そのまま")) << "</text>"
          << "<rect x=\"" << x0 << "\" y=\"" << y + 2 << "\" width=\"" << f(X(r.uplink_kbps_per_terminal) - x0, 1) << "\" height=\"" << row - 6
          << "\" fill=\"" << (r.meets_target ? "#59a14f" : "#e15759") << "\"/>"
          << "<text x=\"" << f(X(r.uplink_kbps_per_terminal) + 4, 1) << "\" y=\"" << y + 13 << "\">" << f(r.uplink_kbps_per_terminal, 1)
          << "</text>\n";
    }
    o << "<text x=\"" << (x0 + x1) / 2 << "\" y=\"" << h - 4 << "\" text-anchor=\"middle\">"
      << esc(tr(l, "kbit/s per camera (log); green: target met at the evaluated cameras per cell, red: not met",
                "カメラ1台あたり kbit/s（対数）。緑: 評価台数で目標達成、赤: 未達"))
      << "</text>\n</svg>\n";
    return o.str();
}

const char* intro(Lang l) {
    return tr(l,
              "Each technology's busiest cell at the busy hour, judged with its load model (docs/traffic.md): delivery ratio, "
              "99th-percentile access delay and the headroom in terminals before the target is missed; below, delivery and delay "
              "against the number of terminals per cell over the SINR of the demand the technology serves.",
              "各技術の最繁セル（最繁時）を負荷モデル（docs/traffic.md）で判定: 到達率、99パーセンタイルのアクセス遅延、目標を外れるまでの"
              "端末数の余裕。下図はその技術が収容する需要点のSINR分布での、セルあたり端末数に対する到達率と遅延。");
}
const char* edge_intro(Lang l) {
    return tr(l, "Edge AI: one camera per terminal sending its video (raw) or only the inference output of an edge computer next to it (edge).",
              "エッジAI: 端末ごとに1台のカメラが映像をそのまま送る場合（raw）と、隣接するエッジ計算機の推論結果だけを送る場合（edge）。");
}

}  // namespace

std::string many_terminals_html(const ManyTerminalsSection& s, Lang l) {
    if (s.technologies.empty()) return "";
    std::ostringstream h;
    h << "<p class=\"note\">" << esc(intro(l)) << "</p>\n"
      << html_table(load_table(s, l)) << legend_html(s) << "<div class=\"maps\">" << curve_svg(s, false, l) << curve_svg(s, true, l)
      << "</div>\n";
    if (!s.edge.empty())
        h << "<h3>" << esc(tr(l, "Edge AI: raw video vs edge inference", "エッジAI: 映像そのまま vs エッジ推論")) << " (" << esc(s.edge_traffic)
          << ")</h3>\n<p class=\"note\">" << esc(edge_intro(l)) << "</p>\n" << html_table(edge_table(s, l)) << edge_svg(s, l);
    for (const auto& n : s.notes) h << "<p class=\"note\">" << esc(n) << "</p>\n";
    return h.str();
}

std::string many_terminals_markdown(const ManyTerminalsSection& s, Lang l) {
    if (s.technologies.empty()) return "";
    std::ostringstream m;
    m << intro(l) << "\n\n" << md_table(load_table(s, l));
    if (!s.edge.empty())
        m << "### " << tr(l, "Edge AI: raw video vs edge inference", "エッジAI: 映像そのまま vs エッジ推論") << " (" << s.edge_traffic << ")\n\n"
          << edge_intro(l) << "\n\n" << md_table(edge_table(s, l));
    for (const auto& n : s.notes) m << n << "\n\n";
    return m.str();
}

std::string many_terminals_json(const ManyTerminalsSection& s) {
    const auto num = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); };
    nlohmann::ordered_json j;
    j["technologies"] = nlohmann::ordered_json::array();
    for (const auto& t : s.technologies) {
        nlohmann::ordered_json c = nlohmann::ordered_json::array();
        for (const auto& p : t.curve) c.push_back({{"terminals", p.terminals}, {"delivery_ratio", p.delivery_ratio}, {"delay_p99_ms", num(p.delay_p99_ms)}});
        j["technologies"].push_back({{"technology", t.technology}, {"traffic", t.traffic}, {"cells", t.cells},
                                     {"busiest_cell_terminals", t.busiest_cell_terminals}, {"delivery_ratio", t.delivery_ratio},
                                     {"delay_p99_ms", num(t.delay_p99_ms)}, {"headroom_terminals", num(t.headroom_terminals)},
                                     {"meets_target", t.meets_target}, {"curve", c}});
    }
    j["edge_traffic"] = s.edge_traffic;
    j["edge"] = nlohmann::ordered_json::array();
    for (const auto& r : s.edge)
        j["edge"].push_back({{"technology", r.technology}, {"processing", r.processing}, {"uplink_kbps_per_terminal", r.uplink_kbps_per_terminal},
                             {"cameras", r.cameras}, {"meets_target", r.meets_target}, {"delivery_ratio", r.delivery_ratio},
                             {"delay_p99_ms", num(r.delay_p99_ms)}, {"max_terminals", r.max_terminals},
                             {"cameras_total", num(r.cameras_total)}, {"uplink_mbps_busiest_cell", num(r.uplink_mbps_busiest_cell)},
                             {"edge_computers_npv_jpy", num(r.edge_computers_npv_jpy)}, {"npv_jpy", num(r.npv_jpy)}});
    j["notes"] = s.notes;
    return j.dump();
}

}  // namespace dxplan::output
