// Report section for driving routes (report_route.hpp).
#include "libsim/output/report_route.hpp"
#include "libsim/output/report_parts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace dxplan::output {

namespace {

std::string num(double v, int digits) {
    if (!std::isfinite(v)) return "–";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}
std::string pct(double f) { return std::isfinite(f) ? num(100.0 * f, 1) + " %" : "–"; }

std::string esc(const std::string& s) {
    std::string o;
    for (char c : s) o += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
    return o;
}

std::string safe(std::string s) {  // as libsim/route/output.cpp names the files
    for (char& c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '_';
    return s;
}

struct Text {
    const char* title;
    const char* intro;
    std::vector<const char*> head;
    const char* plots;
};

Text text(Lang l) {
    if (l == Lang::ja)
        return {"走行ルート",
                "ルート %s: 長さ %s km、走行時間 %s 分。要件: 上り %s Mbit/s、下り %s Mbit/s。表は技術・条件ごとに要件を満たす距離と時間の割合、"
                "信頼度（ルート全体が要件を満たす確率）、ハンドオーバー、途絶区間、交差点の結果を示す。",
                {"技術", "条件", "距離の割合", "時間の割合", "平均確率", "ルート全体の確率", "HO/km", "ピンポン", "途絶区間（最長 m）",
                 "交差点（満足/数、最小確率）"},
                "SINR とスループット（距離に対して、途絶区間を色帯で表示）"};
    return {"Driving routes",
            "Route %s: %s km, %s min driving. Requirement: uplink %s Mbit/s, downlink %s Mbit/s. Per technology and condition: "
            "the share of length and of time meeting the requirement, the reliability (probability the whole route meets it), "
            "handovers, outage segments and intersections.",
            {"technology", "condition", "share of length", "share of time", "mean probability", "whole route", "HO/km",
             "ping-pong", "outages (longest m)", "intersections (met/n, min probability)"},
            "SINR and throughput against distance, outage bands shaded"};
}

std::vector<std::vector<std::string>> rows(const route::RouteResult& r) {
    std::vector<std::vector<std::string>> out;
    for (const route::Track& t : r.tracks) {
        double longest = 0.0;
        for (const route::Outage& o : t.outages) longest = std::max(longest, o.length_m);
        int met = 0, n = 0;
        double p_min = 1.0;
        for (const route::IntersectionStat& x : t.intersections) {
            if (!std::isfinite(x.p_through)) continue;
            ++n;
            met += x.met ? 1 : 0;
            p_min = std::min(p_min, x.p_through);
        }
        out.push_back({t.label, t.condition, pct(t.share_length), pct(t.share_time), pct(t.mean_p_meet), pct(t.p_route),
                       num(t.handovers_per_km, 2), std::to_string(t.ping_pongs),
                       std::to_string(t.outages.size()) + " (" + num(longest, 0) + ")",
                       n == 0 ? "–" : std::to_string(met) + "/" + std::to_string(n) + ", " + pct(p_min)});
    }
    return out;
}

std::string intro(const route::RouteResult& r, Lang l) {
    char buf[1024];
    std::snprintf(buf, sizeof buf, text(l).intro, r.id.c_str(), num(r.length_m / 1000.0, 2).c_str(),
                  num(r.duration_s / 60.0, 1).c_str(), num(r.ul_required_mbps, 1).c_str(), num(r.dl_required_mbps, 1).c_str());
    return buf;
}

std::vector<std::string> plot_files(const route::RouteResult& r) {
    std::vector<std::string> out;
    std::string last;
    for (const route::Track& t : r.tracks)
        if (t.label != last) out.push_back("route-" + safe(r.id) + "-" + safe(t.label) + ".svg"), last = t.label;
    return out;
}

// Sun transits on the wireless backhaul hops feeding the cells that serve the route.
std::vector<std::string> sun_lines(const route::RouteResult& r, Lang l) {
    std::vector<std::string> out;
    for (const route::SunReport& s : r.sun) {
        if (s.hops.empty()) continue;
        int days = 0;
        for (const route::SunHop& h : s.hops) days = std::max(days, h.days);
        char buf[512];
        if (l == Lang::ja)
            std::snprintf(buf, sizeof buf, "%s: ルートを担うセルの無線バックホール %zu 区間で太陽干渉（ビーム幅 %.1f 度）: 年 %.0f 分（最大 %d 日）。",
                          s.label.c_str(), s.hops.size(), s.beamwidth_deg, s.minutes_per_year, days);
        else
            std::snprintf(buf, sizeof buf, "%s: sun transits on %zu wireless backhaul hops feeding the route's cells (beamwidth %.1f deg): "
                          "%.0f minutes a year (on up to %d days per hop).", s.label.c_str(), s.hops.size(), s.beamwidth_deg,
                          s.minutes_per_year, days);
        out.emplace_back(buf);
    }
    return out;
}

}  // namespace

std::string route_sections_html(const std::vector<route::RouteResult>& routes, Lang l) {
    if (routes.empty()) return "";
    const Text tx = text(l);
    std::ostringstream h;
    for (const route::RouteResult& r : routes) {
        h << "<h3>" << esc(r.id) << "</h3>\n<p>" << esc(intro(r, l)) << "</p>\n<table class=\"routes\"><tr>";
        for (const char* c : tx.head) h << "<th>" << c << "</th>";
        h << "</tr>\n";
        for (const auto& row : rows(r)) {
            h << "<tr>";
            for (const auto& c : row) h << "<td>" << esc(c) << "</td>";
            h << "</tr>\n";
        }
        h << "</table>\n";
        for (const std::string& line : sun_lines(r, l)) h << "<p class=\"note\">" << esc(line) << "</p>\n";
        h << "<details><summary>" << tx.plots << "</summary>\n";
        for (const std::string& f : plot_files(r)) h << "<img src=\"" << esc(f) << "\" alt=\"" << esc(f) << "\" style=\"max-width:100%\">\n";
        h << "</details>\n";
    }
    return h.str();
}

std::string route_sections_markdown(const std::vector<route::RouteResult>& routes, Lang l) {
    if (routes.empty()) return "";
    const Text tx = text(l);
    std::ostringstream m;
    for (const route::RouteResult& r : routes) {
        m << "### " << r.id << "\n\n" << intro(r, l) << "\n\n|";
        for (const char* c : tx.head) m << ' ' << c << " |";
        m << "\n|";
        for (std::size_t i = 0; i < tx.head.size(); ++i) m << "---|";
        m << "\n";
        for (const auto& row : rows(r)) {
            m << "|";
            for (const auto& c : row) m << ' ' << c << " |";
            m << "\n";
        }
        m << "\n";
        for (const std::string& line : sun_lines(r, l)) m << line << "\n\n";
        m << tx.plots << ":\n\n";
        for (const std::string& f : plot_files(r)) m << "![" << f << "](" << f << ")\n";
        m << "\n";
    }
    return m.str();
}

namespace detail {

// The report's "Driving routes" section (report_sections.cpp's list): left out without routes.
void routes_section(const ComparisonReport& r, Lang l, Doc& d) {
    if (r.routes.empty()) return;
    d.raw(route_sections_html(r.routes, l), route_sections_markdown(r.routes, l));
}

}  // namespace detail

}  // namespace dxplan::output
